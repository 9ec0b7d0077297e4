import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UserProfile } from '#contract/user-profile.ts';
import {
  sessionAccess,
  sessionCutAt,
  type AccessRefusal,
  type SessionFacts,
} from '#domain/account-access.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import {
  assertWithinPartitions,
  chunksOf,
  countByEntityType,
  purgeDueAt,
  sessionIdOf,
  totalOf,
  type ErasureStatus,
  type PurgeCandidate,
  type PurgeCounts,
  type StoredKey,
} from '#domain/erasure.ts';
import { auditPut, auditRecord } from './audit-repository.ts';
import { batchGetItems } from './dynamodb/batch.ts';
import { accessRecordOf, sessionCondition } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import { clinicianAccessRevocation } from './consent-repository.ts';
import { keys, partitions } from './dynamodb/keys.ts';
import { loginSubject } from './login-attempts.ts';
import { withdrawalRequestPut } from './withdrawal-request.ts';
import { DepartmentChangedError, getDepartment, replaceDepartment } from './department-repository.ts';
import { managedDepartmentIds, replaceProfile, StaleVersionError, toProfile } from './user-repository.ts';
import { batchWriteItems } from './dynamodb/batch.ts';
import { queryAll } from './dynamodb/query.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';

/**
 * Erasure requests and the purge (docs/privacy.md, GDPR Art. 17).
 *
 * Request item (keys.erasureRequest, indexed by keys.erasureDue(purgeAfter) while not purged):
 *   status pending → purging → purged, requestedAt, purgeAfter, counts so far per entity type,
 *   cognitoUserDeleted, loginSubject (the e-mail hash of the lockout item; removed when purged),
 *   inFlight (the chunk being deleted, see below), leaseId/leaseUntil (one purger at a time).
 *
 * Resumability with exact counts: BatchWriteItem cannot update the request in the same call, so each
 * chunk is journaled. (1) the chunk's keys and counts are written to `inFlight`; (2) the items are
 * deleted (unprocessed ones retried with backoff); (3) the counts are added and `inFlight` removed in
 * one conditional update. A run interrupted anywhere replays a left-over journal first (deleting is
 * idempotent, the condition makes the counts apply once), then continues with what is left: every
 * phase is "query what remains, delete it", so a re-run finishes the job.
 *
 * What is deleted (and nothing else: every key is checked against these partitions before deletion):
 * the EmoBuddy message partitions of the user's sessions (first, while the session items that name
 * them still exist), the user's rollup partition, the lockout counters of the user's e-mail (its whole
 * partition: the account's and each address's), the user's own partition (profile, consents, history,
 * analyses, surveys, alerts, sessions…), then the Cognito user. Items of others that name the user are
 * changed, not deleted, each with its own audit record: a department the user managed drops them from
 * its managers (and its manager item goes). Every other entity of dynamodb/keys.ts either lives in those
 * partitions or holds no data about the user: audit records (AUDIT#<sub>, kept: without the profile the
 * sub is a pseudonymous id), idempotency records (ids only, gone by TTL within a day), department and
 * organisation rollups (the user's aggregate part is withdrawn, see erasureWithdrawalItems), and
 * another user's consent naming the user as their clinician (that user's choice, now a pseudonymous id).
 *
 * Nothing can be added to these partitions after the request: the account is `erasure_pending`, every
 * write of the user's data is conditional on an active account in its own transaction, and every sign-in
 * of the user has ended (shared/data/caller-access.ts).
 */

export interface ErasureRequest {
  sub: string;
  status: ErasureStatus;
  requestedAt: string;
  purgeAfter: string;
  counts: PurgeCounts;
  deletedItems: number;
  cognitoUserDeleted: boolean;
  loginSubject?: string;
  inFlight?: { id: string; keys: StoredKey[]; counts: PurgeCounts };
}

const toRequest = (item: Record<string, unknown>): ErasureRequest => ({
  sub: String(item.sub),
  status: item.status as ErasureStatus,
  requestedAt: String(item.requestedAt),
  purgeAfter: String(item.purgeAfter),
  counts: (item.counts as PurgeCounts | undefined) ?? {},
  deletedItems: Number(item.deletedItems ?? 0),
  cognitoUserDeleted: item.cognitoUserDeleted === true,
  ...(typeof item.loginSubject === 'string' ? { loginSubject: item.loginSubject } : {}),
  ...(item.inFlight ? { inFlight: item.inFlight as ErasureRequest['inFlight'] & object } : {}),
});

export const getErasureRequest = async (sub: string): Promise<ErasureRequest | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.erasureRequest(sub), ConsistentRead: true }),
  );
  return Item ? toRequest(Item) : undefined;
};

/**
 * THE place the erasure request starts the withdrawal of the user's aggregate contributions, with
 * items for the request's transaction: the withdrawal request (withdrawal-request.ts), which the stream
 * aggregator works off page by page within the stated bound (docs/anonymity.md), not at the purge.
 */
export const erasureWithdrawalItems = (sub: string, now: Date): TransactAction[] => [
  withdrawalRequestPut(sub, 'erasure_requested', now),
];

export type RequestErasureOutcome =
  | { kind: 'scheduled' | 'already_requested'; request: ErasureRequest }
  | { kind: 'no_profile' }
  | { kind: 'refused'; reason: AccessRefusal };

/**
 * Closes the account at once, in one transaction: the profile's state becomes `erasure_pending`
 * (deletedAt, erasureRequestedAt; version + 1) and every sign-in of the user ends (the profile's cut);
 * clinician access is withdrawn (consent items and their record), the aggregate withdrawal starts, the
 * request is put and indexed as due at requestedAt + grace, and the audit record is written. The
 * profile write is conditional on the requesting sign-in still holding (`session`): a token already
 * signed out cannot close the account. A second request while one exists changes nothing and returns
 * the existing one (idempotent, also under a concurrent double DELETE).
 */
export const requestErasure = async (
  sub: string,
  graceDays: number,
  session: SessionFacts,
  context: AuditRequestContext,
  clock: Clock,
): Promise<RequestErasureOutcome> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await getErasureRequest(sub);
    if (existing) return { kind: 'already_requested', request: existing };
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName(), Key: keys.userProfile(sub), ConsistentRead: true }),
    );
    if (!Item) return { kind: 'no_profile' };
    const access = sessionAccess(accessRecordOf(Item), session);
    if (!access.allowed) return { kind: 'refused', reason: access.reason };
    const profile = toProfile(Item);

    const now = clock.now();
    const requestedAt = now.toISOString();
    const purgeAfter = purgeDueAt(now, graceDays).toISOString();
    const closed: UserProfile & { deletedAt: string; erasureRequestedAt: string } = {
      ...profile,
      isActive: false,
      accountState: 'erasure_pending',
      updatedAt: requestedAt,
      version: profile.version + 1,
      deletedAt: requestedAt,
      erasureRequestedAt: requestedAt,
    };
    const request: ErasureRequest = {
      sub,
      status: 'pending',
      requestedAt,
      purgeAfter,
      counts: {},
      deletedItems: 0,
      cognitoUserDeleted: false,
      loginSubject: loginSubject(profile.email),
    };
    const audit = auditRecord(
      {
        action: 'privacy.erase',
        resourceType: 'user',
        resourceId: sub,
        subjectId: sub,
        status: 202,
      },
      context,
      clock,
    );
    const consentItems = await clinicianAccessRevocation(sub, context, clock, 'erasure');
    try {
      await replaceProfile(
        closed,
        profile.version,
        audit,
        [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.erasureRequest(sub),
                ...keys.erasureDue(purgeAfter),
                entityType: 'ERASURE_REQUEST',
                ...request,
                createdAt: requestedAt,
                updatedAt: requestedAt,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...consentItems,
          ...erasureWithdrawalItems(sub, now),
        ],
        { cutSessionsAt: sessionCutAt(now), condition: sessionCondition(session) },
      );
      return { kind: 'scheduled', request };
    } catch (error) {
      // A concurrent profile, consent or erasure change, or the sign-in just ended: decide again.
      if (
        error instanceof StaleVersionError ||
        (error instanceof TransactionFailedError && error.failedConditions.length > 0)
      )
        continue;
      throw error;
    }
  }
  throw new Error('erasure request stayed contended');
};

/** Subs of requests due at `now` (GSI1 PURGES#DUE, GSI1SK ≤ now), oldest first, every page. */
export const findDueErasures = async (now: Date): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :due AND GSI1SK <= :now',
      ExpressionAttributeValues: {
        ':due': partitions.erasuresDue(),
        ':now': now.toISOString(),
      },
      ProjectionExpression: '#sub',
      ExpressionAttributeNames: { '#sub': 'sub' },
    })
  ).map((item) => String(item.sub));

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

/** BatchWriteItem deletes (dynamodb/batch.ts: unprocessed items retried with the batch backoff). */
const batchDelete = (itemKeys: readonly StoredKey[]): Promise<void> =>
  batchWriteItems(itemKeys.map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } })));

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

  private get key() {
    return keys.erasureRequest(this.sub);
  }

  /** Step 1: the chunk's keys and counts become the request's journal. */
  private async journal(
    items: readonly PurgeCandidate[],
  ): Promise<{ id: string; keys: StoredKey[]; counts: PurgeCounts }> {
    const entry = {
      id: randomUUID(),
      keys: items.map(({ PK, SK }) => ({ PK, SK })),
      counts: countByEntityType(items),
    };
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: this.key,
        UpdateExpression: 'SET inFlight = :entry',
        ConditionExpression: 'attribute_not_exists(inFlight) AND leaseId = :lease',
        ExpressionAttributeValues: { ':entry': entry, ':lease': this.leaseId },
      }),
    );
    return entry;
  }

  /** Step 3: counts added and the journal removed, once (the condition names the journal). */
  private async commit(entry: { id: string; counts: PurgeCounts }): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':id': entry.id, ':zero': 0, ':total': totalOf(entry.counts) };
    const sets = Object.entries(entry.counts).map(([type, n], i) => {
      names[`#t${i}`] = type;
      values[`:n${i}`] = n;
      return `counts.#t${i} = if_not_exists(counts.#t${i}, :zero) + :n${i}`;
    });
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: this.key,
          UpdateExpression: `SET ${[...sets, 'deletedItems = if_not_exists(deletedItems, :zero) + :total'].join(', ')} REMOVE inFlight`,
          ConditionExpression: 'inFlight.id = :id',
          ...(sets.length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // Already committed (by an earlier attempt of this very update): the counts are in.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  private async deleteJournaled(entry: {
    id: string;
    keys: StoredKey[];
    counts: PurgeCounts;
  }): Promise<void> {
    assertWithinPartitions(entry.keys, this.allowed);
    await batchDelete(entry.keys);
    this.deletedThisRun += entry.keys.length;
    const limit = this.options.interruptAfterDeletes;
    if (limit !== undefined && this.deletedThisRun >= limit)
      throw new PurgeInterrupted('interrupted after deleting');
    await this.commit(entry);
  }

  /** A journal left by an interrupted run is finished first. */
  async replay(inFlight: ErasureRequest['inFlight']): Promise<void> {
    if (inFlight) await this.deleteJournaled(inFlight);
  }

  private async deleteItems(items: readonly PurgeCandidate[]): Promise<void> {
    for (const chunk of chunksOf(items, this.chunkSize)) {
      assertWithinPartitions(chunk, this.allowed);
      await this.deleteJournaled(await this.journal(chunk));
    }
  }

  /**
   * The risk events of the user where there is no EventBridge bus (the local runtime keeps them in one
   * partition instead; in AWS it holds nothing, and this reads nothing): they name the user and why an
   * alert fired, so they go with the user.
   */
  async deleteLocalRiskEvents(): Promise<void> {
    this.allowed.add(partitions.localRiskEvents());
    const mine = await queryAll({
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'detail.userId = :sub',
      ExpressionAttributeValues: { ':pk': partitions.localRiskEvents(), ':sub': this.sub },
      ProjectionExpression: 'PK, SK, entityType',
      ConsistentRead: true,
    });
    await this.deleteItems(
      mine.map((item) => ({ PK: String(item.PK), SK: String(item.SK), entityType: item.entityType })),
    );
  }

  /**
   * The outbox items of the user's risk alerts (risk-outbox.ts): they name the user and why an alert
   * fired. The stream has published them long before a purge and TTL removes them within two days, but
   * a purge does not wait for TTL: those still stored go with the user. Run before the user's partition,
   * whose alert items name them.
   */
  async deleteRiskOutboxItems(): Promise<void> {
    const alerts = await queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
      ExpressionAttributeValues: { ':pk': partitions.user(this.sub), ':alert': keys.riskAlertPrefix },
      ProjectionExpression: 'id',
      ConsistentRead: true,
    });
    const outboxKeys = alerts.map((alert) => keys.riskOutbox(String(alert.id)));
    if (outboxKeys.length === 0) return;
    const stored = await batchGetItems(outboxKeys, { consistent: true, projection: 'PK, SK, entityType' });
    this.allow(stored.map((item) => String(item.PK)));
    await this.deleteItems(
      stored.map((item) => ({ PK: String(item.PK), SK: String(item.SK), entityType: item.entityType })),
    );
  }

  /** Partitions found to be the user's (its sessions' messages, its lockout item), before any deletion. */
  allow(partitions: readonly string[]): void {
    for (const pk of partitions) this.allowed.add(pk);
  }

  /** Deletes every item of one partition, a chunk at a time, until a consistent read finds none. */
  async deletePartition(pk: string): Promise<void> {
    assertWithinPartitions([{ PK: pk, SK: '' }], this.allowed);
    for (;;) {
      const { Items = [] } = await documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#type': 'entityType' },
          ProjectionExpression: '#pk, #sk, #type',
          ConsistentRead: true,
          Limit: this.chunkSize * 4,
        }),
      );
      if (Items.length === 0) return;
      await this.deleteItems(Items as PurgeCandidate[]);
    }
  }

  /** The user's EmoBuddy session ids, from the session items in the user's partition. */
  async sessionIds(): Promise<string[]> {
    const sessions = await queryAll({
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'entityType = :session',
      ExpressionAttributeValues: { ':pk': partitions.user(this.sub), ':session': 'EMO_SESSION' },
      ConsistentRead: true,
    });
    return [...new Set(sessions.map(sessionIdOf).filter((id) => id !== undefined))];
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

/** Claims the request for this run (one purger at a time; a crashed run's lease expires). */
const claim = async (sub: string, leaseId: string, leaseMs: number, nowIso: string): Promise<boolean> => {
  const wallNow = Date.now();
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.erasureRequest(sub),
        UpdateExpression:
          'SET #status = :purging, leaseId = :lease, leaseUntil = :until, purgeStartedAt = if_not_exists(purgeStartedAt, :now), updatedAt = :now',
        ConditionExpression:
          '#status IN (:pending, :purging) AND purgeAfter <= :now AND (attribute_not_exists(leaseUntil) OR leaseUntil < :wallNow)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':purging': 'purging',
          ':pending': 'pending',
          ':lease': leaseId,
          ':until': wallNow + leaseMs,
          ':wallNow': wallNow,
          ':now': nowIso,
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

const release = async (sub: string, leaseId: string): Promise<void> => {
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.erasureRequest(sub),
        UpdateExpression: 'REMOVE leaseId, leaseUntil',
        ConditionExpression: 'leaseId = :lease',
        ExpressionAttributeValues: { ':lease': leaseId },
      }),
    )
    .catch((error: unknown) => {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    });
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
  if (!(await claim(sub, leaseId, options.leaseMs ?? 15 * 60_000, nowIso)))
    return { kind: 'skipped', reason: 'leased' };
  try {
    const purge = new UserPurge(sub, leaseId, options);
    const request = (await getErasureRequest(sub)) ?? before;
    // Every partition of the user is known before anything is deleted, a left-over journal included.
    // Message partitions go first, while the session items that name them still exist.
    const messagePartitions = (await purge.sessionIds()).map(partitions.emoMessages);
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
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.erasureRequest(sub),
          UpdateExpression: 'SET cognitoUserDeleted = :yes',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    }

    const done = await getErasureRequest(sub);
    if (!done || done.inFlight) throw new Error('purge state changed underneath this run');
    const purgedAt = options.clock.now().toISOString();
    const audit = auditRecord(
      {
        action: 'privacy.purge',
        resourceType: 'user',
        resourceId: sub,
        subjectId: sub,
        status: 200,
        reason: `items=${done.deletedItems}`,
      },
      options.context,
      options.clock,
    );
    await transaction()
      .put('purgeRecord', {
        Item: {
          ...keys.purgeRecord(sub),
          entityType: 'PURGE_RECORD',
          sub,
          requestedAt: done.requestedAt,
          purgeAfter: done.purgeAfter,
          purgedAt,
          counts: done.counts,
          totalItems: done.deletedItems,
          departmentsLeft,
          cognitoUserDeleted: true,
          createdAt: purgedAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      })
      .update('request', {
        Key: keys.erasureRequest(sub),
        UpdateExpression:
          'SET #status = :purged, purgedAt = :at, updatedAt = :at REMOVE GSI1PK, GSI1SK, loginSubject, leaseId, leaseUntil',
        ConditionExpression: '#status = :purging AND leaseId = :lease AND attribute_not_exists(inFlight)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':purged': 'purged',
          ':purging': 'purging',
          ':lease': leaseId,
          ':at': purgedAt,
        },
      })
      .add('audit', auditPut(audit))
      .send();
    return { kind: 'purged', counts: done.counts, cognitoUserDeleted: true };
  } catch (error) {
    await release(sub, leaseId).catch(() => undefined);
    throw error;
  }
};

/** The verifiable record of a finished purge (counts only), if the user was purged. */
export const getPurgeRecord = async (sub: string) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.purgeRecord(sub), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    sub: String(Item.sub),
    requestedAt: String(Item.requestedAt),
    purgedAt: String(Item.purgedAt),
    counts: Item.counts as PurgeCounts,
    totalItems: Number(Item.totalItems),
    cognitoUserDeleted: Item.cognitoUserDeleted === true,
  };
};
