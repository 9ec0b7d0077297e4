/**
 * Erasure (GDPR Art. 17) rules as pure functions: when a request becomes due, what the purge counts,
 * and the guard that a purge never touches an item outside the user's own partitions.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The purge may run from this time on: the request time plus the stage's grace period. */
export const purgeDueAt = (requestedAt: Date, graceDays: number): Date => {
  if (!Number.isInteger(graceDays) || graceDays < 1)
    throw new Error('the grace period is a whole number of days ≥ 1');
  return new Date(requestedAt.getTime() + graceDays * DAY_MS);
};

export type ErasureStatus = 'pending' | 'purging' | 'purged';

/** Deleted items per entity type (`UNKNOWN` for an item without one). */
export type PurgeCounts = Record<string, number>;

export interface StoredKey {
  PK: string;
  SK: string;
}

export interface PurgeCandidate extends StoredKey {
  entityType?: unknown;
}

export const entityTypeOf = (item: PurgeCandidate): string =>
  typeof item.entityType === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(item.entityType)
    ? item.entityType
    : 'UNKNOWN';

export const countByEntityType = (items: readonly PurgeCandidate[]): PurgeCounts => {
  const counts: PurgeCounts = {};
  for (const item of items) {
    const type = entityTypeOf(item);
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
};

export const totalOf = (counts: PurgeCounts): number => Object.values(counts).reduce((a, n) => a + n, 0);

export const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  if (!Number.isInteger(size) || size < 1) throw new Error('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

/** A purge was about to delete an item outside the partitions it may delete. */
export class PurgeScopeError extends Error {
  override name = 'PurgeScopeError';
}

/**
 * The last line of defence of the purge: every key it deletes must lie in one of the user's own
 * partitions. A key builder bug or a corrupt session id stops the purge instead of deleting others' data.
 */
export const assertWithinPartitions = (items: readonly StoredKey[], allowed: ReadonlySet<string>): void => {
  for (const item of items) {
    if (!allowed.has(item.PK))
      throw new PurgeScopeError('refusing to delete an item outside the user’s partitions');
  }
};

/**
 * The id of an EmoBuddy session from its item in the user's partition: `id` or `sessionId`, whichever
 * the item carries; undefined when neither is a usable key part (a UUID-like token without `#`).
 */
export const sessionIdOf = (item: Record<string, unknown>): string | undefined => {
  for (const candidate of [item.id, item.sessionId]) {
    if (typeof candidate === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(candidate)) return candidate;
  }
  return undefined;
};
