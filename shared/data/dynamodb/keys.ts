/**
 * The single table's keys: item key builders (this module), partition values for queries
 * (partitions.ts) and the parsers of stored keys (`keys.parse`). Every key string is built and read here and nowhere else
 * (a lint rule refuses key literals elsewhere); the access pattern each key serves is written next to
 * it. Handlers never see keys.
 *
 * | item                     | PK                       | SK                                   | GSI1PK / GSI1SK                   |
 * |--------------------------|--------------------------|--------------------------------------|-----------------------------------|
 * | health probe             | HEALTH                   | PROBE                                | –                                 |
 * | user profile             | USER#<sub>               | PROFILE                              | DEPT#<deptId> / USER#<name>#<sub> |
 * | department               | DEPT#<id>                | META                                 | DEPTS / <name>                    |
 * | analysis (chat/speech/…) | USER#<sub>               | <TYPE>#<isoTs>#<id>                  | –                                 |
 * | survey response          | USER#<sub>               | SURVEY#<instrument>#<isoTs>#<id>     | SURVEYS#<sub> / <isoTs>#<id>      |
 * | survey state (derived)   | USER#<sub>               | SURVEYSTATE                          | –                                 |
 * | audit record             | AUDIT#<subject>          | <isoTs>#<id>                         | AUDITDAY#<yyyy-mm-dd> / <isoTs>   |
 * | administrative audit rec. | (as above)              | (as above)                           | + GSI2 AUDITADMIN#<yyyy-mm> / <isoTs>; GSI3 AUDITADMIN#<subject> / <isoTs> (sparse) |
 * | login attempts (lockout) | LOGIN#<sha256(email)>    | ATTEMPTS (account) / ADDR#<addr hash> | – (TTL expiresAt)                |
 * | machine client access    | CLIENT#<clientId>        | ACCESS                               | –                                 |
 * | risk event (local only)  | RISKEVENTS               | <createdAt isoTs>#<alertId>          | –                                 |
 * | clinician in directory   | (the user profile)       |                                      | GSI3 CLINICIANS / <name>#<sub> (sparse: active clinicians) |
 * | department name claim    | DEPTNAME#<normalised>    | CLAIM                                | –                                 |
 * | department manager       | DEPT#<id>                | MANAGER#<sub>                        | MANAGES#<sub> / <deptId>          |
 * | consent (current)        | USER#<sub>               | CONSENT#<purpose>                    | –                                 |
 * | consent change (history) | USER#<sub>               | CONSENTLOG#<isoTs>#<purpose>         | –                                 |
 * | erasure request          | PURGE#<sub>              | REQUEST                              | PURGES#DUE / <dueAt isoTs> (sparse) |
 * | risk alert               | USER#<sub>               | ALERT#<isoTs>#<id>                   | ALERTS#OPEN / <createdAt> (sparse: until resolved); GSI2 ALERT#<id> / ALERT |
 * | purge record             | PURGE#<sub>              | RECORD                               | –                                 |
 * | resolved risk alert      | USER#<sub>               | ALERT#<isoTs>#<id>                   | ALERTS#RESOLVED / <resolvedAt>; GSI2 as above |
 * | EmoBuddy session         | USER#<sub>               | EMOSESSION#<startedAt isoTs>#<id>    | EMOSESSION#<id> / META            |
 * | EmoBuddy active pointer  | USER#<sub>               | EMOSESSION#ACTIVE                    | –                                 |
 * | EmoBuddy message         | EMOSESSION#<sessionId>   | MSG#<seq, 10 digits>                 | – (TTL expiresAt)                 |
 * | idempotency record (shared/http/idempotency.ts) | IDEMPOTENCY#<sha256(caller, key)> | RECORD | – (TTL expiresAt) |
 * | rollup (analytics)       | AGG#USER#<sub> (DAY/WEEK/MONTH) / AGG#DEPT#<id>, AGG#ORG (MONTH) | <DAY|WEEK|MONTH>#<yyyy-mm-dd|yyyy-Www|yyyy-mm> | – |
 * | rollup contributor marker | AGG#DEPT#<id> / AGG#ORG | CONTRIB#MONTH#<yyyy-mm>#<sub>        | –                                 |
 * | rollup source ledger     | AGG#USER#<sub>           | SRC#<source item SK>                 | – (TTL expiresAt on tombstones)   |
 * | aggregate withdrawal     | AGG#USER#<sub>           | WITHDRAWAL                           | –                                 |
 * | processed stream record  | AGGEVENT#<stream eventID> | PROCESSED                           | – (TTL expiresAt)                 |
 *
 * GSI2 (all users by name, for admins): user profile GSI2PK = USERS, GSI2SK = <name>#<sub>.
 * GSI3 (administrative audit records by subject, for admins' audit search): see `administrativeAudit`.
 *
 * Ids and names that go into keys must not contain `#`: ids are UUIDs and names are normalised first.
 *
 * Import this module as a namespace (`import * as keys from '…/dynamodb/keys.ts'`): every builder is its
 * own export, so a function's bundle carries only the builders it calls (an object of builders would
 * carry all of them into every function).
 */
import { after, part, sourceKey } from './key-parts.ts';
import * as partitions from './partitions.ts';

export type Key = { PK: string; SK: string };

type RollupGranularity = 'DAY' | 'WEEK' | 'MONTH';

/** A rollup's sort key read back: its granularity and period. */
export interface RollupPeriodKey {
  readonly granularity: RollupGranularity;
  readonly period: string;
}

/**
 * Parsers of stored keys (stream records, query results): what a key says about its item, or
 * undefined when the key is not of that kind. The inverse of the builders above.
 */
export const parse = {
  /** The user of a `USER#<sub>` partition. */
  userPartition: (pk: string): string | undefined => after('USER#', pk),
  /** The user of an `AGG#USER#<sub>` rollup partition. */
  userRollupPartition: (pk: string): string | undefined => after('AGG#USER#', pk),
  /** The subject of an `AUDIT#<subject>` partition. */
  auditPartition: (pk: string): string | undefined => after('AUDIT#', pk),
  /** The granularity and period of a rollup sort key (`DAY#…`, `WEEK#…`, `MONTH#…`). */
  rollupPeriod: (sk: string): RollupPeriodKey | undefined => {
    const match = /^(DAY|WEEK|MONTH)#([^#]+)$/.exec(sk);
    return match ? { granularity: match[1] as RollupGranularity, period: match[2]! } : undefined;
  },
  /** The user and source sort key of a rollup source ledger (`AGG#USER#<sub>` / `SRC#<source SK>`). */
  rollupSource: (key: Key): { sub: string; sourceSk: string } | undefined => {
    const sub = after('AGG#USER#', key.PK);
    return sub !== undefined && key.SK.startsWith('SRC#') && key.SK.length > 'SRC#'.length
      ? { sub, sourceSk: key.SK.slice('SRC#'.length) }
      : undefined;
  },
  /** The user of an aggregate withdrawal request's key (`AGG#USER#<sub>` / `WITHDRAWAL`). */
  aggregateWithdrawal: (key: Key): string | undefined => {
    const sub = after('AGG#USER#', key.PK);
    return sub !== undefined && key.SK === 'WITHDRAWAL' ? sub : undefined;
  },
};

export const ANALYSIS_TYPES = ['chat', 'speech', 'video'] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

/** GetItem by a fixed key: proves the table answers reads (health checks). */
export const healthProbe = (): Key => ({ PK: 'HEALTH', SK: 'PROBE' });

/** GetItem: a user's profile by Cognito sub. */
export const userProfile = (sub: string): Key => ({ PK: partitions.user(sub), SK: 'PROFILE' });

/** Query GSI1 by department: the department's users ordered by name. */
export const userByDepartment = (departmentId: string, sortName: string, sub: string) => ({
  GSI1PK: partitions.departmentMembers(departmentId),
  GSI1SK: `USER#${part(sortName, 'name')}#${part(sub, 'user id')}`,
});

/** GSI1SK prefix of the users in a department partition (the manager items there are not users). */
export const userInDepartmentPrefix = 'USER#';

/** Query GSI2 (USERS): every user ordered by name, for admins. */
export const userListing = (sortName: string, sub: string) => ({
  GSI2PK: partitions.users(),
  GSI2SK: `${part(sortName, 'name')}#${part(sub, 'user id')}`,
});

/** GetItem: a department. */
export const department = (id: string): Key => ({ PK: `DEPT#${part(id, 'department id')}`, SK: 'META' });

/** Query GSI1PK = DEPTS: every department ordered by name. */
export const departmentListing = (name: string) => ({
  GSI1PK: partitions.departments(),
  GSI1SK: part(name, 'department name'),
});

/**
 * Put with attribute_not_exists in the same transaction as the department: the name is unique
 * without a read-then-write race.
 */
export const departmentName = (normalisedName: string): Key => ({
  PK: `DEPTNAME#${part(normalisedName, 'name')}`,
  SK: 'CLAIM',
});

/**
 * One item per manager of a department. Query GSI1 MANAGES#<sub>: the departments a user manages, so
 * a manager's reach follows the department's manager list at once.
 */
export const departmentManager = (departmentId: string, managerSub: string) => ({
  PK: `DEPT#${part(departmentId, 'department id')}`,
  SK: `MANAGER#${part(managerSub, 'user id')}`,
  GSI1PK: partitions.managedBy(managerSub),
  GSI1SK: departmentId,
});

/** GetItem: a user's current consent for one purpose. */
export const consent = (sub: string, purpose: string): Key => ({
  PK: partitions.user(sub),
  SK: `CONSENT#${part(purpose, 'purpose')}`,
});

/** SK prefix of a user's current consents (one per purpose). */
export const consentPrefix = 'CONSENT#';

/** Put only: every consent change, kept as its history (versioned, time-stamped). */
export const consentChange = (sub: string, isoTimestamp: string, purpose: string): Key => ({
  PK: partitions.user(sub),
  SK: `CONSENTLOG#${part(isoTimestamp, 'timestamp')}#${part(purpose, 'purpose')}`,
});

/** GetItem/Put: a user's erasure request; GSI1 PURGES#DUE by due time while it is pending (sparse). */
export const erasureRequest = (sub: string): Key => ({ PK: `PURGE#${part(sub, 'user id')}`, SK: 'REQUEST' });

export const erasureDue = (dueAtIso: string) => ({ GSI1PK: partitions.erasuresDue(), GSI1SK: dueAtIso });

/** Put: the verifiable record of a finished purge (counts only). */
export const purgeRecord = (sub: string): Key => ({ PK: `PURGE#${part(sub, 'user id')}`, SK: 'RECORD' });

/**
 * A risk alert lives in its user's partition (so export and erasure include it); clinicians reach
 * it by id through GSI2 (ALERT#<id>) and find unresolved ones through GSI1 (ALERTS#OPEN, oldest first).
 */
export const riskAlert = (sub: string, createdAtIso: string, id: string): Key => ({
  PK: partitions.user(sub),
  SK: `ALERT#${part(createdAtIso, 'timestamp')}#${part(id, 'alert id')}`,
});

/** Query PK = USER#sub, begins_with(SK, riskAlertPrefix): a user's risk alerts (the purge). */
export const riskAlertPrefix = 'ALERT#';

export const riskAlertById = (id: string) => ({ GSI2PK: `ALERT#${part(id, 'alert id')}`, GSI2SK: 'ALERT' });

export const openAlerts = (createdAtIso: string) => ({
  GSI1PK: partitions.openAlerts(),
  GSI1SK: createdAtIso,
});

/** The outbox item that publishes an alert's risk event from the table's stream (risk-outbox.ts). */
export const riskOutbox = (alertId: string): Key => ({
  PK: `OUTBOX#${part(alertId, 'alert id')}`,
  SK: 'RISK_EVENT',
});

/** Query PK = USER#sub, SK between <TYPE>#from and <TYPE>#to: a user's analyses in a time range. */
export const analysis = (sub: string, type: AnalysisType, isoTimestamp: string, id: string): Key => ({
  PK: partitions.user(sub),
  SK: `${type.toUpperCase()}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
});

export const analysisPrefix = (type: AnalysisType): string => `${type.toUpperCase()}#`;

/**
 * A user's EmoBuddy session in their partition. Query PK = USER#sub, SK between EMOSESSION#0 and
 * EMOSESSION#9: the user's sessions by start time (the bounds leave the ACTIVE pointer out). Session
 * ids are UUIDv7, so the start time in the sort key is derived from the id and an owner's GetItem
 * needs nothing but the id (strongly consistent, and another user's id is simply not found).
 * GSI1 EMOSESSION#<id> / META finds a session by id alone (export, clinician tools).
 */
export const emoSession = (sub: string, startedAtIso: string, id: string): Key => ({
  PK: partitions.user(sub),
  SK: `EMOSESSION#${part(startedAtIso, 'timestamp')}#${part(id, 'session id')}`,
});

export const emoSessionById = (id: string) => ({
  GSI1PK: `EMOSESSION#${part(id, 'session id')}`,
  GSI1SK: 'META',
});

export const emoSessionRange = { from: 'EMOSESSION#0', to: 'EMOSESSION#9' };

/**
 * The user's one active session: put with attribute_not_exists in the same transaction as a new
 * session (two concurrent creates make one session), deleted when the session ends.
 */
export const emoActiveSession = (sub: string): Key => ({ PK: partitions.user(sub), SK: 'EMOSESSION#ACTIVE' });

/**
 * Query PK = EMOSESSION#<id>: a session's messages in order. The sort key is the per-session sequence
 * number (assigned atomically with the session's messageCount), not a timestamp: clocks of concurrent
 * writers may disagree, the sequence cannot.
 */
export const emoMessage = (sessionId: string, seq: number): Key => ({
  PK: `EMOSESSION#${part(sessionId, 'session id')}`,
  SK: `MSG#${String(seq).padStart(10, '0')}`,
});

/**
 * GetItem/conditional Put: an Idempotency-Key record (shared/http/idempotency.ts). The partition is a
 * hash of (caller, key): keys of different callers never meet, and records spread over partitions
 * instead of one hot partition per route or per busy pipeline. Expires by TTL.
 */
export const idempotencyRecord = (callerKeyHash: string): Key => ({
  PK: `IDEMPOTENCY#${part(callerKeyHash, 'key hash')}`,
  SK: 'RECORD',
});

/**
 * GetItem / BatchGetItem: a user's survey state (latest response per instrument, recent CBI series),
 * rewritten with every response (shared/domain/survey-state.ts). Not under `SURVEY#`, so it is never
 * read as a response.
 */
export const surveyState = (sub: string): Key => ({ PK: partitions.user(sub), SK: 'SURVEYSTATE' });

/** Query PK = USER#sub, SK begins_with SURVEY#<instrument>#: a user's responses to one instrument. */
export const surveyResponse = (sub: string, instrument: string, isoTimestamp: string, id: string): Key => ({
  PK: partitions.user(sub),
  SK: `SURVEY#${part(instrument, 'instrument')}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
});

/** SK prefix of a user's responses to one instrument (`SURVEY#<instrument>#`), ordered by time. */
export const surveyResponsePrefix = (instrument: string): string =>
  `SURVEY#${part(instrument, 'instrument')}#`;

/** Query GSI1 SURVEYS#<sub>: a user's responses across instruments by time (read newest first). */
export const surveyResponseByTime = (sub: string, isoTimestamp: string, id: string) => ({
  GSI1PK: partitions.surveyResponsesByTime(sub),
  GSI1SK: `${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
});

/** Query GSI1 ALERTS#RESOLVED: resolved alerts by resolution time (the open list drops them). */
export const resolvedAlerts = (resolvedAtIso: string) => ({
  GSI1PK: partitions.resolvedAlerts(),
  GSI1SK: resolvedAtIso,
});

/**
 * BatchGetItem/conditional Put: failed sign-ins of one e-mail, across all client addresses (SK
 * ATTEMPTS) and from one address (SK ADDR#<address hash>), in one partition per e-mail. Keyed by a
 * hash so no e-mail or address is stored, and unknown e-mails are counted like known ones.
 */
export const loginAttempts = (emailHash: string): Key => ({
  PK: partitions.loginAttempts(emailHash),
  SK: 'ATTEMPTS',
});

export const loginAttemptsFrom = (emailHash: string, addressHash: string): Key => ({
  PK: partitions.loginAttempts(emailHash),
  SK: `ADDR#${part(addressHash, 'address hash')}`,
});

/**
 * LOCAL ONLY: where a risk event is kept when there is no EventBridge bus to send it to (the local
 * runtime), in one partition by time, as the bus's archive would be. Never written in AWS.
 */
export const localRiskEvent = (createdAtIso: string, alertId: string): Key => ({
  PK: partitions.localRiskEvents(),
  SK: `${part(createdAtIso, 'timestamp')}#${part(alertId, 'alert id')}`,
});

/**
 * GetItem (per request of a pipeline) / Put by the operator: the cut for a machine client's tokens
 * (tokensValidAfter). Absent until the operator first cuts the client's tokens.
 */
export const machineClientAccess = (clientId: string): Key => ({
  PK: `CLIENT#${part(clientId, 'client id')}`,
  SK: 'ACCESS',
});

/**
 * Only on the profiles of active clinicians (sparse): Query GSI3 CLINICIANS by name — the directory
 * employees pick a clinician from for named consent.
 */
export const clinicianListing = (sortName: string, sub: string) => ({
  GSI3PK: partitions.clinicianDirectory(),
  GSI3SK: `${part(sortName, 'name')}#${part(sub, 'user id')}`,
});

/**
 * Rollups (shared/domain/rollups.ts), maintained by the stream aggregator. GetItem/BatchGetItem by
 * exact key: a scope's counters for one day, ISO week or month (the dashboard reads O(departments)
 * items per period, the summary O(1)). `scope` is `USER#<sub>`, `DEPT#<id>` or `ORG`.
 */
export const rollup = (scope: string, granularity: string, period: string): Key => ({
  PK: partitions.rollupScope(scope),
  SK: `${part(granularity, 'granularity')}#${part(period, 'period')}`,
});

/**
 * Conditional Put/Delete (version `rev`): one user's item counts per category in a department or
 * organisation rollup's period; exact distinct-contributor counting (0 → 1 adds, 1 → 0 removes).
 * Lives next to the scope's rollups; deleted when the counts reach zero.
 */
export const rollupContributor = (scope: string, granularity: string, period: string, sub: string): Key => ({
  PK: partitions.rollupScope(scope),
  SK: `CONTRIB#${part(granularity, 'granularity')}#${part(period, 'period')}#${part(sub, 'user id')}`,
});

/** SK prefix of every contributor marker of a scope (the rebuild deletes them). */
export const rollupContributorPrefix = 'CONTRIB#';

/**
 * GetItem/conditional Put: what one source item (by its SK in USER#<sub>) has added to the rollups,
 * so a removal subtracts exactly that. In the user's rollup partition: the erasure purge deletes it
 * with the user's rollups, and the aggregator withdraws its aggregate part when it sees that delete.
 */
export const rollupSource = (sub: string, sourceSk: string): Key => ({
  PK: `AGG#USER#${part(sub, 'user id')}`,
  SK: `SRC#${sourceKey(sourceSk)}`,
});

export const rollupSourcePrefix = 'SRC#';

/**
 * GetItem/Put: a user's pending withdrawal of every aggregate contribution (consent revoked, erasure
 * requested) with its progress (`cursor`: the last ledger SK done). Put in the same transaction as
 * the consent change or the erasure request; each of its stream records makes the aggregator withdraw
 * the next page of ledgers and advance it (shared/data/rollup-withdrawal.ts). In the user's rollup
 * partition, so the purge deletes it with the ledgers.
 */
export const aggregateWithdrawal = (sub: string): Key => ({
  PK: `AGG#USER#${part(sub, 'user id')}`,
  SK: 'WITHDRAWAL',
});

/**
 * Put with attribute_not_exists in the same transaction as a stream record's deltas: a redelivered
 * record changes nothing. Expires by TTL after the stream's retention.
 */
export const processedStreamRecord = (eventId: string): Key => ({
  PK: `AGGEVENT#${part(eventId, 'event id')}`,
  SK: 'PROCESSED',
});

/** Query PK = AUDIT#subject: a subject's access log, newest first. GSI1: audit search by day. */
export const audit = (subject: string, isoTimestamp: string, id: string) => ({
  PK: partitions.audit(subject),
  SK: `${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  GSI1PK: `AUDITDAY#${isoTimestamp.slice(0, 10)}`,
  GSI1SK: isoTimestamp,
});

/**
 * Only on administrative audit records (shared/domain/audit-visibility.ts), so both indexes are
 * sparse and an admin's search reads nothing it may not show: Query GSI2 AUDITADMIN#<yyyy-mm> by time
 * (across subjects; a 31-day search touches at most two months) and GSI3 AUDITADMIN#<subject> by
 * time (one subject's administrative records).
 */
export const administrativeAudit = (subject: string, isoTimestamp: string) => ({
  GSI2PK: `AUDITADMIN#${isoTimestamp.slice(0, 7)}`,
  GSI2SK: isoTimestamp,
  GSI3PK: partitions.administrativeAuditOf(subject),
  GSI3SK: isoTimestamp,
});

/** Attributes that are storage details and never leave the API in a response body. */
export const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
] as const;

export const stripKeys = <T extends Record<string, unknown>>(
  item: T,
): Omit<T, (typeof KEY_ATTRIBUTES)[number]> => {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1pk,
    GSI1SK: _g1sk,
    GSI2PK: _g2pk,
    GSI2SK: _g2sk,
    GSI3PK: _g3pk,
    GSI3SK: _g3sk,
    ...rest
  } = item;
  return rest;
};
