/**
 * Key builders for the single table. Every item's keys are built here and nowhere else; the access
 * pattern each key serves is written next to it. Handlers never build keys themselves.
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
 */

export type Key = { PK: string; SK: string };

const SEPARATOR = '#';

const part = (value: string, what: string): string => {
  if (value.length === 0 || value.includes(SEPARATOR)) {
    throw new Error(`Invalid ${what} for a key: must be non-empty and must not contain '${SEPARATOR}'`);
  }
  return value;
};

/** A rollup scope: `USER#<sub>`, `DEPT#<id>` or `ORG`. */
const rollupScope = (scope: string): string => {
  if (!/^(?:ORG|(?:USER|DEPT)#[A-Za-z0-9-]{1,64})$/.test(scope))
    throw new Error('Invalid rollup scope for a key');
  return scope;
};

/** A source item's sort key (`CHAT#<isoTs>#<id>`, `SURVEY#…`, `EMOSESSION#…`): printable, bounded. */
const sourceKey = (sk: string): string => {
  if (!/^[A-Z]+#[\x21-\x7e]{1,900}$/.test(sk)) throw new Error('Invalid source sort key for a key');
  return sk;
};

export const ANALYSIS_TYPES = ['chat', 'speech', 'video'] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export const keys = {
  /** GetItem by a fixed key: proves the table answers reads (health checks). */
  healthProbe: (): Key => ({ PK: 'HEALTH', SK: 'PROBE' }),

  /** GetItem: a user's profile by Cognito sub. */
  userProfile: (sub: string): Key => ({ PK: `USER#${part(sub, 'user id')}`, SK: 'PROFILE' }),
  /** Query GSI1 by department: the department's users ordered by name. */
  userByDepartment: (departmentId: string, sortName: string, sub: string) => ({
    GSI1PK: `DEPT#${part(departmentId, 'department id')}`,
    GSI1SK: `USER#${part(sortName, 'name')}#${part(sub, 'user id')}`,
  }),

  /** Query GSI2 (USERS): every user ordered by name, for admins. */
  userListing: (sortName: string, sub: string) => ({
    GSI2PK: 'USERS',
    GSI2SK: `${part(sortName, 'name')}#${part(sub, 'user id')}`,
  }),

  /** GetItem: a department. */
  department: (id: string): Key => ({ PK: `DEPT#${part(id, 'department id')}`, SK: 'META' }),
  /** Query GSI1PK = DEPTS: every department ordered by name. */
  departmentListing: (name: string) => ({ GSI1PK: 'DEPTS', GSI1SK: part(name, 'department name') }),

  /**
   * Put with attribute_not_exists in the same transaction as the department: the name is unique
   * without a read-then-write race.
   */
  departmentName: (normalisedName: string): Key => ({
    PK: `DEPTNAME#${part(normalisedName, 'name')}`,
    SK: 'CLAIM',
  }),
  /**
   * One item per manager of a department. Query GSI1 MANAGES#<sub>: the departments a user manages, so
   * a manager's reach follows the department's manager list at once.
   */
  departmentManager: (departmentId: string, managerSub: string) => ({
    PK: `DEPT#${part(departmentId, 'department id')}`,
    SK: `MANAGER#${part(managerSub, 'user id')}`,
    GSI1PK: `MANAGES#${managerSub}`,
    GSI1SK: departmentId,
  }),
  managedBy: (managerSub: string) => ({ GSI1PK: `MANAGES#${part(managerSub, 'user id')}` }),

  /** GetItem: a user's current consent for one purpose. */
  consent: (sub: string, purpose: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `CONSENT#${part(purpose, 'purpose')}`,
  }),
  /** Put only: every consent change, kept as its history (versioned, time-stamped). */
  consentChange: (sub: string, isoTimestamp: string, purpose: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `CONSENTLOG#${part(isoTimestamp, 'timestamp')}#${part(purpose, 'purpose')}`,
  }),

  /** GetItem/Put: a user's erasure request; GSI1 PURGES#DUE by due time while it is pending (sparse). */
  erasureRequest: (sub: string): Key => ({ PK: `PURGE#${part(sub, 'user id')}`, SK: 'REQUEST' }),
  erasureDue: (dueAtIso: string) => ({ GSI1PK: 'PURGES#DUE', GSI1SK: dueAtIso }),
  /** Put: the verifiable record of a finished purge (counts only). */
  purgeRecord: (sub: string): Key => ({ PK: `PURGE#${part(sub, 'user id')}`, SK: 'RECORD' }),

  /**
   * A risk alert lives in its user's partition (so export and erasure include it); clinicians reach
   * it by id through GSI2 (ALERT#<id>) and find unresolved ones through GSI1 (ALERTS#OPEN, oldest first).
   */
  riskAlert: (sub: string, createdAtIso: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `ALERT#${part(createdAtIso, 'timestamp')}#${part(id, 'alert id')}`,
  }),
  riskAlertById: (id: string) => ({ GSI2PK: `ALERT#${part(id, 'alert id')}`, GSI2SK: 'ALERT' }),
  openAlerts: (createdAtIso: string) => ({ GSI1PK: 'ALERTS#OPEN', GSI1SK: createdAtIso }),
  /** The outbox item that publishes an alert's risk event from the table's stream (risk-outbox.ts). */
  riskOutbox: (alertId: string): Key => ({ PK: `OUTBOX#${part(alertId, 'alert id')}`, SK: 'RISK_EVENT' }),

  /** Query PK = USER#sub, SK between <TYPE>#from and <TYPE>#to: a user's analyses in a time range. */
  analysis: (sub: string, type: AnalysisType, isoTimestamp: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `${type.toUpperCase()}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  }),
  analysisPrefix: (type: AnalysisType): string => `${type.toUpperCase()}#`,

  /**
   * A user's EmoBuddy session in their partition. Query PK = USER#sub, SK between EMOSESSION#0 and
   * EMOSESSION#9: the user's sessions by start time (the bounds leave the ACTIVE pointer out). Session
   * ids are UUIDv7, so the start time in the sort key is derived from the id and an owner's GetItem
   * needs nothing but the id (strongly consistent, and another user's id is simply not found).
   * GSI1 EMOSESSION#<id> / META finds a session by id alone (export, clinician tools).
   */
  emoSession: (sub: string, startedAtIso: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `EMOSESSION#${part(startedAtIso, 'timestamp')}#${part(id, 'session id')}`,
  }),
  emoSessionById: (id: string) => ({ GSI1PK: `EMOSESSION#${part(id, 'session id')}`, GSI1SK: 'META' }),
  emoSessionRange: { from: 'EMOSESSION#0', to: 'EMOSESSION#9' },
  /**
   * The user's one active session: put with attribute_not_exists in the same transaction as a new
   * session (two concurrent creates make one session), deleted when the session ends.
   */
  emoActiveSession: (sub: string): Key => ({ PK: `USER#${part(sub, 'user id')}`, SK: 'EMOSESSION#ACTIVE' }),
  /** The partition of a session's messages (the purge and the export walk it too). */
  emoMessagePartition: (sessionId: string): string => `EMOSESSION#${part(sessionId, 'session id')}`,
  /**
   * Query PK = EMOSESSION#<id>: a session's messages in order. The sort key is the per-session sequence
   * number (assigned atomically with the session's messageCount), not a timestamp: clocks of concurrent
   * writers may disagree, the sequence cannot.
   */
  emoMessage: (sessionId: string, seq: number): Key => ({
    PK: `EMOSESSION#${part(sessionId, 'session id')}`,
    SK: `MSG#${String(seq).padStart(10, '0')}`,
  }),

  /**
   * GetItem/conditional Put: an Idempotency-Key record (shared/http/idempotency.ts). The partition is a
   * hash of (caller, key): keys of different callers never meet, and records spread over partitions
   * instead of one hot partition per route or per busy pipeline. Expires by TTL.
   */
  idempotencyRecord: (callerKeyHash: string): Key => ({
    PK: `IDEMPOTENCY#${part(callerKeyHash, 'key hash')}`,
    SK: 'RECORD',
  }),

  /**
   * GetItem / BatchGetItem: a user's survey state (latest response per instrument, recent CBI series),
   * rewritten with every response (shared/domain/survey-state.ts). Not under `SURVEY#`, so it is never
   * read as a response.
   */
  surveyState: (sub: string): Key => ({ PK: `USER#${part(sub, 'user id')}`, SK: 'SURVEYSTATE' }),

  /** Query PK = USER#sub, SK begins_with SURVEY#<instrument>#: a user's responses to one instrument. */
  surveyResponse: (sub: string, instrument: string, isoTimestamp: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `SURVEY#${part(instrument, 'instrument')}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  }),
  /** SK prefix of a user's responses to one instrument (`SURVEY#<instrument>#`), ordered by time. */
  surveyResponsePrefix: (instrument: string): string => `SURVEY#${part(instrument, 'instrument')}#`,
  /** Query GSI1 SURVEYS#<sub>: a user's responses across instruments by time (read newest first). */
  surveyResponseByTime: (sub: string, isoTimestamp: string, id: string) => ({
    GSI1PK: `SURVEYS#${part(sub, 'user id')}`,
    GSI1SK: `${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  }),
  /** Query GSI1 ALERTS#RESOLVED: resolved alerts by resolution time (the open list drops them). */
  resolvedAlerts: (resolvedAtIso: string) => ({ GSI1PK: 'ALERTS#RESOLVED', GSI1SK: resolvedAtIso }),

  /**
   * BatchGetItem/conditional Put: failed sign-ins of one e-mail, across all client addresses (SK
   * ATTEMPTS) and from one address (SK ADDR#<address hash>), in one partition per e-mail. Keyed by a
   * hash so no e-mail or address is stored, and unknown e-mails are counted like known ones.
   */
  loginAttempts: (emailHash: string): Key => ({
    PK: `LOGIN#${part(emailHash, 'e-mail hash')}`,
    SK: 'ATTEMPTS',
  }),
  loginAttemptsFrom: (emailHash: string, addressHash: string): Key => ({
    PK: `LOGIN#${part(emailHash, 'e-mail hash')}`,
    SK: `ADDR#${part(addressHash, 'address hash')}`,
  }),
  /** The partition of one e-mail's counters (the erasure purge deletes it). */
  loginAttemptsPartition: (emailHash: string): string => `LOGIN#${part(emailHash, 'e-mail hash')}`,

  /**
   * LOCAL ONLY: where a risk event is kept when there is no EventBridge bus to send it to (the local
   * runtime), in one partition by time, as the bus's archive would be. Never written in AWS.
   */
  localRiskEvent: (createdAtIso: string, alertId: string): Key => ({
    PK: 'RISKEVENTS',
    SK: `${part(createdAtIso, 'timestamp')}#${part(alertId, 'alert id')}`,
  }),
  localRiskEvents: 'RISKEVENTS',

  /**
   * GetItem (per request of a pipeline) / Put by the operator: the cut for a machine client's tokens
   * (tokensValidAfter). Absent until the operator first cuts the client's tokens.
   */
  machineClientAccess: (clientId: string): Key => ({
    PK: `CLIENT#${part(clientId, 'client id')}`,
    SK: 'ACCESS',
  }),

  /**
   * Only on the profiles of active clinicians (sparse): Query GSI3 CLINICIANS by name — the directory
   * employees pick a clinician from for named consent.
   */
  clinicianListing: (sortName: string, sub: string) => ({
    GSI3PK: 'CLINICIANS',
    GSI3SK: `${part(sortName, 'name')}#${part(sub, 'user id')}`,
  }),
  clinicianDirectory: { GSI3PK: 'CLINICIANS' },

  /**
   * Rollups (shared/domain/rollups.ts), maintained by the stream aggregator. GetItem/BatchGetItem by
   * exact key: a scope's counters for one day, ISO week or month (the dashboard reads O(departments)
   * items per period, the summary O(1)). `scope` is `USER#<sub>`, `DEPT#<id>` or `ORG`.
   */
  rollup: (scope: string, granularity: string, period: string): Key => ({
    PK: `AGG#${rollupScope(scope)}`,
    SK: `${part(granularity, 'granularity')}#${part(period, 'period')}`,
  }),
  /**
   * Conditional Put/Delete (version `rev`): one user's item counts per category in a department or
   * organisation rollup's period; exact distinct-contributor counting (0 → 1 adds, 1 → 0 removes).
   * Lives next to the scope's rollups; deleted when the counts reach zero.
   */
  rollupContributor: (scope: string, granularity: string, period: string, sub: string): Key => ({
    PK: `AGG#${rollupScope(scope)}`,
    SK: `CONTRIB#${part(granularity, 'granularity')}#${part(period, 'period')}#${part(sub, 'user id')}`,
  }),
  /** SK prefix of every contributor marker of a scope (the rebuild deletes them). */
  rollupContributorPrefix: 'CONTRIB#',
  /**
   * GetItem/conditional Put: what one source item (by its SK in USER#<sub>) has added to the rollups,
   * so a removal subtracts exactly that. In the user's rollup partition: the erasure purge deletes it
   * with the user's rollups, and the aggregator withdraws its aggregate part when it sees that delete.
   */
  rollupSource: (sub: string, sourceSk: string): Key => ({
    PK: `AGG#USER#${part(sub, 'user id')}`,
    SK: `SRC#${sourceKey(sourceSk)}`,
  }),
  rollupSourcePrefix: 'SRC#',
  /**
   * GetItem/Put: a user's pending withdrawal of every aggregate contribution (consent revoked, erasure
   * requested) with its progress (`cursor`: the last ledger SK done). Put in the same transaction as
   * the consent change or the erasure request; each of its stream records makes the aggregator withdraw
   * the next page of ledgers and advance it (shared/data/rollup-withdrawal.ts). In the user's rollup
   * partition, so the purge deletes it with the ledgers.
   */
  aggregateWithdrawal: (sub: string): Key => ({ PK: `AGG#USER#${part(sub, 'user id')}`, SK: 'WITHDRAWAL' }),
  /**
   * Put with attribute_not_exists in the same transaction as a stream record's deltas: a redelivered
   * record changes nothing. Expires by TTL after the stream's retention.
   */
  processedStreamRecord: (eventId: string): Key => ({
    PK: `AGGEVENT#${part(eventId, 'event id')}`,
    SK: 'PROCESSED',
  }),

  /** Query PK = AUDIT#subject: a subject's access log, newest first. GSI1: audit search by day. */
  audit: (subject: string, isoTimestamp: string, id: string) => ({
    PK: `AUDIT#${part(subject, 'audit subject')}`,
    SK: `${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
    GSI1PK: `AUDITDAY#${isoTimestamp.slice(0, 10)}`,
    GSI1SK: isoTimestamp,
  }),
  /**
   * Only on administrative audit records (shared/domain/audit-visibility.ts), so both indexes are
   * sparse and an admin's search reads nothing it may not show: Query GSI2 AUDITADMIN#<yyyy-mm> by time
   * (across subjects; a 31-day search touches at most two months) and GSI3 AUDITADMIN#<subject> by
   * time (one subject's administrative records).
   */
  administrativeAudit: (subject: string, isoTimestamp: string) => ({
    GSI2PK: `AUDITADMIN#${isoTimestamp.slice(0, 7)}`,
    GSI2SK: isoTimestamp,
    GSI3PK: `AUDITADMIN#${part(subject, 'audit subject')}`,
    GSI3SK: isoTimestamp,
  }),
  administrativeAuditMonth: (yearMonth: string) => ({ GSI2PK: `AUDITADMIN#${part(yearMonth, 'month')}` }),
  administrativeAuditOf: (subject: string) => ({ GSI3PK: `AUDITADMIN#${part(subject, 'audit subject')}` }),
};

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
