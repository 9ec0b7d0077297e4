import { randomUUID } from 'node:crypto';
import { type AuditRequestContext, userTarget } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import {
  assertWithinPartitions,
  chunksOf,
  countByEntityType,
  type PurgeCandidate,
  type PurgeCounts,
} from '#domain/erasure.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { DepartmentChangedError, getDepartment, replaceDepartment } from '#data/department-repository.ts';
import * as partitions from '#data/dynamodb/partitions.ts';
import {
  claimPurge,
  commitPurgeChunk,
  getErasureRequest,
  journalPurgeChunk,
  markCognitoUserDeleted,
  recordPurge,
  releasePurge,
  type ErasureRequest,
  type PurgeJournalEntry,
} from '#data/erasure-repository.ts';
import {
  deleteStoredItems,
  emoSessionIdsOf,
  localRiskEventsOf,
  partitionCandidates,
  riskOutboxItemsOf,
} from '#data/purge-candidates.ts';
import { managedDepartmentIds } from '#data/user-repository.ts';

/**
 * The purge of an erased user (docs/privacy.md, GDPR Art. 17): what goes, in which order, resumable
 * with exact counts. The request item, its lease and its journal are persisted by
 * shared/data/erasure-repository.ts (which also describes the journal); the items are found and deleted
 * by shared/data/purge-candidates.ts; the Cognito user is deleted by the callback the job passes in.
 *
 * Order: the EmoBuddy message partitions of the user's sessions (first, while the session items that
 * name them still exist), the user's rollup partition, the lockout counters of the user's e-mail, the
 * local risk events and the risk outbox items of the user's alerts, the departments the user managed
 * (changed, each with its own audit record, not deleted), the user's own partition, then the Cognito
 * user; last the purge record, the request marked purged and the `privacy.purge` record in one
 * transaction. Every key is checked against the user's partitions before it is deleted.
 */

export interface PurgeOptions {
  /** Event time of the run: a request is purged only when purgeAfter ≤ now. */
  now: Date;
  /** Items per BatchWriteItem (DynamoDB's limit is 25). */
  chunkSize?: number;
  /** How long a claimed request stays reserved to this run (ms of wall-clock time). */
  leaseMs?: number;
  /**
   * Fault injection for tests: after this many items of the user were deleted, stop as a crash would,
   * after the deletion and before its counts are recorded (the worst moment).
   */
  interruptAfterDeletes?: number;
  context: AuditRequestContext;
  clock: Clock;
}

export type PurgeOutcome =
  | { kind: 'purged'; counts: PurgeCounts; cognitoUserDeleted: boolean }
  | { kind: 'skipped'; reason: 'not_found' | 'already_purged' | 'not_due' | 'leased' };

/** A deliberately interrupted purge (fault injection), resumable by the next run. */
export class PurgeInterrupted extends Error {
  override name = 'PurgeInterrupted';
}

/** One purge run over one user's request: the state it carries between chunks. */
class UserPurge {
  private deletedThisRun = 0;
  private readonly chunkSize: number;
  private readonly allowed = new Set<string>();

  constructor(
    private readonly sub: string,
    private readonly leaseId: string,
    private readonly options: PurgeOptions,
  ) {
    this.chunkSize = Math.min(25, Math.max(1, options.chunkSize ?? 25));
    this.allowed.add(partitions.user(sub));
    this.allowed.add(partitions.userRollups(sub));
  }

  /** Journal, delete, commit: a chunk whose deletion was interrupted is replayed by the next run. */
  private async deleteJournaled(entry: PurgeJournalEntry): Promise<void> {
    assertWithinPartitions(entry.keys, this.allowed);
    await deleteStoredItems(entry.keys);
    this.deletedThisRun += entry.keys.length;
    const limit = this.options.interruptAfterDeletes;
    if (limit !== undefined && this.deletedThisRun >= limit)
      throw new PurgeInterrupted('interrupted after deleting');
    await commitPurgeChunk(this.sub, entry);
  }

  /** A journal left by an interrupted run is finished first. */
  async replay(inFlight: ErasureRequest['inFlight']): Promise<void> {
    if (inFlight) await this.deleteJournaled(inFlight);
  }

  private async deleteItems(items: readonly PurgeCandidate[]): Promise<void> {
    for (const chunk of chunksOf(items, this.chunkSize)) {
      assertWithinPartitions(chunk, this.allowed);
      const entry = {
        id: randomUUID(),
        keys: chunk.map(({ PK, SK }) => ({ PK, SK })),
        counts: countByEntityType(chunk),
      };
      await journalPurgeChunk(this.sub, this.leaseId, entry);
      await this.deleteJournaled(entry);
    }
  }

  /**
   * The risk events of the user where there is no EventBridge bus (the local runtime's partition): they
   * name the user and why an alert fired, so they go with the user.
   */
  async deleteLocalRiskEvents(): Promise<void> {
    this.allowed.add(partitions.localRiskEvents());
    await this.deleteItems(await localRiskEventsOf(this.sub));
  }

  /**
   * The outbox items of the user's risk alerts: they name the user and why an alert fired. The stream
   * has published them long before a purge and TTL removes them within two days, but a purge does not
   * wait for TTL. Run before the user's partition, whose alert items name them.
   */
  async deleteRiskOutboxItems(): Promise<void> {
    const stored = await riskOutboxItemsOf(this.sub);
    this.allow(stored.map((item) => item.PK));
    await this.deleteItems(stored);
  }

  /** Partitions found to be the user's (its sessions' messages, its lockout item), before any deletion. */
  allow(partitions: readonly string[]): void {
    for (const pk of partitions) this.allowed.add(pk);
  }

  /** Deletes every item of one partition, a chunk at a time, until a consistent read finds none. */
  async deletePartition(pk: string): Promise<void> {
    assertWithinPartitions([{ PK: pk, SK: '' }], this.allowed);
    for (;;) {
      const items = await partitionCandidates(pk, this.chunkSize * 4);
      if (items.length === 0) return;
      await this.deleteItems(items);
    }
  }
}

/**
 * Departments the user managed drop them from their managers (their manager items go with it), each
 * change version-checked with its own audit record, as an admin's edit would be. Returns how many.
 */
const leaveManagedDepartments = async (sub: string, options: PurgeOptions): Promise<number> => {
  let left = 0;
  for (const departmentId of await managedDepartmentIds(sub)) {
    for (let attempt = 0; ; attempt++) {
      const before = await getDepartment(departmentId);
      if (!before || !before.managerIds.includes(sub)) break;
      const at = options.clock.now().toISOString();
      const next = {
        ...before,
        managerIds: before.managerIds.filter((id) => id !== sub),
        updatedAt: at,
        version: before.version + 1,
      };
      const audit = auditRecord(
        {
          action: 'departments.update',
          resourceType: 'department',
          resourceId: departmentId,
          status: 200,
          reason: 'manager_erased',
        },
        options.context,
        options.clock,
      );
      try {
        await replaceDepartment(before, next, audit);
        left += 1;
        break;
      } catch (error) {
        if (!(error instanceof DepartmentChangedError) || attempt >= 4) throw error;
      }
    }
  }
  return left;
};

/**
 * Purges one user whose request is due, resuming where an interrupted run stopped. Ends with the purge
 * record (counts per entity type), the request marked purged and out of the due index, and the
 * `privacy.purge` audit record, in one transaction.
 */
export const purgeErasedUser = async (
  sub: string,
  options: PurgeOptions,
  deleteIdentity: (sub: string) => Promise<unknown>,
): Promise<PurgeOutcome> => {
  const before = await getErasureRequest(sub);
  if (!before) return { kind: 'skipped', reason: 'not_found' };
  if (before.status === 'purged') return { kind: 'skipped', reason: 'already_purged' };
  const nowIso = options.now.toISOString();
  if (before.purgeAfter > nowIso) return { kind: 'skipped', reason: 'not_due' };

  const leaseId = randomUUID();
  if (!(await claimPurge(sub, leaseId, options.leaseMs ?? 15 * 60_000, nowIso)))
    return { kind: 'skipped', reason: 'leased' };
  try {
    const purge = new UserPurge(sub, leaseId, options);
    const request = (await getErasureRequest(sub)) ?? before;
    // Every partition of the user is known before anything is deleted, a left-over journal included.
    // Message partitions go first, while the session items that name them still exist.
    const messagePartitions = (await emoSessionIdsOf(sub)).map(partitions.emoMessages);
    purge.allow(messagePartitions);
    const lockoutPartition = request.loginSubject
      ? partitions.loginAttempts(request.loginSubject)
      : undefined;
    if (lockoutPartition) purge.allow([lockoutPartition]);
    await purge.replay(request.inFlight);
    for (const pk of messagePartitions) await purge.deletePartition(pk);
    await purge.deletePartition(partitions.userRollups(sub));
    if (lockoutPartition) await purge.deletePartition(lockoutPartition);
    await purge.deleteLocalRiskEvents();
    await purge.deleteRiskOutboxItems();
    const departmentsLeft = await leaveManagedDepartments(sub, options);
    await purge.deletePartition(partitions.user(sub));

    if (!request.cognitoUserDeleted) {
      await deleteIdentity(sub);
      await markCognitoUserDeleted(sub);
    }

    const done = await getErasureRequest(sub);
    if (!done || done.inFlight) throw new Error('purge state changed underneath this run');
    const purgedAt = options.clock.now().toISOString();
    const audit = auditRecord(
      {
        action: 'privacy.purge',
        ...userTarget(sub),
        status: 200,
        reason: `items=${done.deletedItems}`,
      },
      options.context,
      options.clock,
    );
    await recordPurge({
      request: done,
      leaseId,
      purgedAt,
      departmentsLeft,
      audit,
    });
    return { kind: 'purged', counts: done.counts, cognitoUserDeleted: true };
  } catch (error) {
    await releasePurge(sub, leaseId).catch(() => undefined);
    throw error;
  }
};
