/**
 * Raw text (speech transcriptions, EmoBuddy message content, session summaries) under the stage's
 * retention rule (docs/privacy.md): stored only where the stage allows it, and then only for `days`. An item
 * carrying raw text gets the TTL attribute `expiresAt` (epoch seconds); DynamoDB deletes it some time
 * after, and every read treats it as gone from that second on.
 */
export interface RawTextPolicy {
  readonly store: boolean;
  readonly days: number;
}

const DAY_SECONDS = 86_400;

export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** What happens to a piece of raw text written now: kept until `expiresAt`, or dropped. */
export const rawTextRetention = (
  policy: RawTextPolicy,
  now: Date,
): { stored: true; expiresAt: number } | { stored: false } =>
  policy.store
    ? { stored: true, expiresAt: epochSeconds(now) + policy.days * DAY_SECONDS }
    : { stored: false };

/**
 * TTL'd items (raw text, analyses) count as gone from their expiry on, even before DynamoDB deletes them.
 * (Here, not in data-export.ts: the retention rule is read by every read route, and the export module
 * builds its position schema at import.)
 */
export const isExpired = (item: Record<string, unknown>, nowEpochSeconds: number): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt <= nowEpochSeconds;

/** Whether an item is still readable: not past its `expiresAt` (items without one never expire). */
export const isLive = (item: Record<string, unknown>, now: Date): boolean =>
  !isExpired(item, epochSeconds(now));

/** The filter every read of TTL'd items adds, so expired items are gone before DynamoDB deletes them. */
export const LIVE_FILTER = 'attribute_not_exists(expiresAt) OR expiresAt > :nowEpoch';

export const isoOfEpoch = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The policy from the runtime settings (STORE_RAW_TEXT, RAW_TEXT_DAYS); storing without a period is a bug. */
export const rawTextPolicyOf = (settings: {
  storeRawText: boolean;
  rawTextDays: number | undefined;
}): RawTextPolicy => {
  if (settings.storeRawText && settings.rawTextDays === undefined) {
    throw new Error(
      'Missing runtime setting: RAW_TEXT_DAYS (raw text is stored, so it needs a retention period)',
    );
  }
  return { store: settings.storeRawText, days: settings.rawTextDays ?? 1 };
};
