import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { UserProfile } from '#contract/user-profile.ts';
import {
  sessionAccess,
  sessionCutAt,
  type AccessRefusal,
  type SessionFacts,
} from '#domain/account-access.ts';
import { type AuditRecord, type AuditRequestContext, userTarget } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import {
  purgeDueAt,
  totalOf,
  type ErasureStatus,
  type PurgeCounts,
  type StoredKey,
} from '#domain/erasure.ts';
import { auditPut, auditRecord } from './audit-repository.ts';
import { accessRecordOf, sessionCondition } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import { clinicianAccessRevocation } from './consent-repository.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryAll } from './dynamodb/query.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';
import { loginSubject } from './login-attempts.ts';
import { replaceProfile, StaleVersionError, toProfile } from './user-repository.ts';
import { withdrawalRequestPut } from './withdrawal-request.ts';

/**
 * Erasure requests and the purge's persistence (docs/privacy.md, GDPR Art. 17). The purge itself, what
 * goes and in which order, is shared/workflows/purge-erased-user.ts; what it reads and deletes is
 * purge-candidates.ts.
 *
 * Request item (keys.erasureRequest, indexed by keys.erasureDue(purgeAfter) while not purged):
 *   status pending → purging → purged, requestedAt, purgeAfter, counts so far per entity type,
 *   cognitoUserDeleted, loginSubject (the e-mail hash of the lockout item; removed when purged),
 *   inFlight (the chunk being deleted, see below), leaseId/leaseUntil (one purger at a time).
 *
 * Resumability with exact counts: BatchWriteItem cannot update the request in the same call, so each
 * chunk is journaled. (1) the chunk's keys and counts are written to `inFlight` (`journalPurgeChunk`);
 * (2) the items are deleted (unprocessed ones retried with backoff); (3) the counts are added and
 * `inFlight` removed in one conditional update (`commitPurgeChunk`). A run interrupted anywhere replays
 * a left-over journal first (deleting is idempotent, the condition makes the counts apply once), then
 * continues with what is left: every phase is "query what remains, delete it", so a re-run finishes
 * the job.
 *
 * What is deleted (and nothing else: every key is checked against these partitions before deletion):
 * the EmoBuddy message partitions of the user's sessions, the user's rollup partition, the lockout
 * counters of the user's e-mail (its whole partition: the account's and each address's), the user's
 * own partition (profile, consents, history, analyses, surveys, alerts, sessions…), then the Cognito
 * user. Items of others that name the user are changed, not deleted, each with its own audit record: a
 * department the user managed drops them from its managers (and its manager item goes). Every other
 * entity of dynamodb/keys.ts either lives in those partitions or holds no data about the user: audit
 * records (AUDIT#<sub>, kept: without the profile the sub is a pseudonymous id), idempotency records
 * (ids only, gone by TTL within a day), department and organisation rollups (the user's aggregate part
 * is withdrawn, see erasureWithdrawalItems), and another user's consent naming the user as their
 * clinician (that user's choice, now a pseudonymous id).
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
  inFlight?: PurgeJournalEntry;
}

/** Deleted items per entity type, as stored on the request and the purge record. */
const StoredCounts = /* @__PURE__ */ z.lazy(() => z.record(z.string(), z.int().check(z.minimum(0))));

/**
 * The stored request (keys.erasureRequest), parsed: its status and journal decide what the purge deletes
 * next, so a row that is not what this module writes stops the purge instead of steering it.
 */
const ErasureRequestItem = /* @__PURE__ */ z.lazy(() =>
  z.object({
    sub: z.string(),
    status: z.enum(['pending', 'purging', 'purged']),
    requestedAt: z.string(),
    purgeAfter: z.string(),
    counts: z._default(StoredCounts, {}),
    deletedItems: z._default(z.int().check(z.minimum(0)), 0),
    cognitoUserDeleted: z._default(z.boolean(), false),
    loginSubject: z.optional(z.string()),
    inFlight: z.optional(
      z.nullable(
        z.object({
          id: z.string(),
          keys: z.array(z.object({ PK: z.string(), SK: z.string() })),
          counts: StoredCounts,
        }),
      ),
    ),
  }),
);

const toRequest = (item: Record<string, unknown>): ErasureRequest => {
  const { inFlight, loginSubject: subject, ...request } = ErasureRequestItem.parse(item);
  return {
    ...request,
    ...(subject !== undefined ? { loginSubject: subject } : {}),
    ...(inFlight ? { inFlight } : {}),
  };
};

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
    // The profile first, the request second. The closing transaction writes both at once, so a request
    // a concurrent call commits after the profile read is seen by the request read. Read the other way
    // round, that call could commit between the reads: the profile would show the sign-in ended and a
    // genuine repeat would be refused (401) instead of answered with the request.
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName(), Key: keys.userProfile(sub), ConsistentRead: true }),
    );
    const existing = await getErasureRequest(sub);
    if (existing) return { kind: 'already_requested', request: existing };
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
        ...userTarget(sub),
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

/** A purge's journal entry: the chunk being deleted, its keys and its counts (see the top). */
export interface PurgeJournalEntry {
  id: string;
  keys: StoredKey[];
  counts: PurgeCounts;
}

/**
 * Claims the request for one purge run (one purger at a time; a crashed run's lease expires): false
 * when it is not due, already purged or leased by another run.
 */
export const claimPurge = async (
  sub: string,
  leaseId: string,
  leaseMs: number,
  nowIso: string,
): Promise<boolean> => {
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

/** Gives the lease up (a failed run), unless another run holds it by now. */
export const releasePurge = async (sub: string, leaseId: string): Promise<void> => {
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

/** Journal step 1: the chunk's keys and counts become the request's `inFlight`, under this lease. */
export const journalPurgeChunk = async (
  sub: string,
  leaseId: string,
  entry: PurgeJournalEntry,
): Promise<void> => {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.erasureRequest(sub),
      UpdateExpression: 'SET inFlight = :entry',
      ConditionExpression: 'attribute_not_exists(inFlight) AND leaseId = :lease',
      ExpressionAttributeValues: { ':entry': entry, ':lease': leaseId },
    }),
  );
};

/** Journal step 3: counts added and the journal removed, once (the condition names the journal). */
export const commitPurgeChunk = async (
  sub: string,
  entry: Pick<PurgeJournalEntry, 'id' | 'counts'>,
): Promise<void> => {
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
        Key: keys.erasureRequest(sub),
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
};

/** The Cognito user is gone: a resumed run does not delete it again. */
export const markCognitoUserDeleted = async (sub: string): Promise<void> => {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.erasureRequest(sub),
      UpdateExpression: 'SET cognitoUserDeleted = :yes',
      ExpressionAttributeValues: { ':yes': true },
    }),
  );
};

/**
 * The end of a purge, in one transaction: the purge record (counts per entity type), the request
 * marked purged and out of the due index (only by the run holding the lease, with no journal left),
 * and the `privacy.purge` audit record.
 */
export const recordPurge = async (input: {
  request: ErasureRequest;
  leaseId: string;
  purgedAt: string;
  departmentsLeft: number;
  audit: AuditRecord;
}): Promise<void> => {
  const { request, leaseId, purgedAt } = input;
  const { sub } = request;
  await transaction()
    .put('purgeRecord', {
      Item: {
        ...keys.purgeRecord(sub),
        entityType: 'PURGE_RECORD',
        sub,
        requestedAt: request.requestedAt,
        purgeAfter: request.purgeAfter,
        purgedAt,
        counts: request.counts,
        totalItems: request.deletedItems,
        departmentsLeft: input.departmentsLeft,
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
    .add('audit', auditPut(input.audit))
    .send();
};

/** The stored purge record (keys.purgeRecord): counts only, nothing of the user's data. */
const PurgeRecordItem = /* @__PURE__ */ z.lazy(() =>
  z.object({
    sub: z.string(),
    requestedAt: z.string(),
    purgedAt: z.string(),
    counts: StoredCounts,
    totalItems: z.int().check(z.minimum(0)),
    cognitoUserDeleted: z._default(z.boolean(), false),
  }),
);

/** The verifiable record of a finished purge (counts only), if the user was purged. */
export const getPurgeRecord = async (sub: string) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.purgeRecord(sub), ConsistentRead: true }),
  );
  return Item ? PurgeRecordItem.parse(Item) : undefined;
};
