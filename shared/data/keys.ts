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
 * | survey response          | USER#<sub>               | SURVEY#<instrument>#<isoTs>#<id>     | –                                 |
 * | audit record             | AUDIT#<subject>          | <isoTs>#<id>                         | AUDITDAY#<yyyy-mm-dd> / <isoTs>   |
 * | login attempts (lockout) | LOGIN#<sha256(email)>    | ATTEMPTS                             | – (TTL expiresAt)                 |
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

  /** GetItem: a department. */
  department: (id: string): Key => ({ PK: `DEPT#${part(id, 'department id')}`, SK: 'META' }),
  /** Query GSI1PK = DEPTS: every department ordered by name. */
  departmentListing: (name: string) => ({ GSI1PK: 'DEPTS', GSI1SK: part(name, 'department name') }),

  /** Query PK = USER#sub, SK between <TYPE>#from and <TYPE>#to: a user's analyses in a time range. */
  analysis: (sub: string, type: AnalysisType, isoTimestamp: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `${type.toUpperCase()}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  }),
  analysisPrefix: (type: AnalysisType): string => `${type.toUpperCase()}#`,

  /** Query PK = USER#sub, SK begins_with SURVEY#<instrument>#: a user's responses to one instrument. */
  surveyResponse: (sub: string, instrument: string, isoTimestamp: string, id: string): Key => ({
    PK: `USER#${part(sub, 'user id')}`,
    SK: `SURVEY#${part(instrument, 'instrument')}#${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
  }),

  /**
   * GetItem/Put: failed-login counter of one e-mail. Keyed by a hash so no e-mail address is stored
   * and unknown addresses are counted like known ones.
   */
  loginAttempts: (emailHash: string): Key => ({
    PK: `LOGIN#${part(emailHash, 'e-mail hash')}`,
    SK: 'ATTEMPTS',
  }),

  /** Query PK = AUDIT#subject: a subject's access log, newest first. GSI1: audit search by day. */
  audit: (subject: string, isoTimestamp: string, id: string) => ({
    PK: `AUDIT#${part(subject, 'audit subject')}`,
    SK: `${part(isoTimestamp, 'timestamp')}#${part(id, 'id')}`,
    GSI1PK: `AUDITDAY#${isoTimestamp.slice(0, 10)}`,
    GSI1SK: isoTimestamp,
  }),
};

/** Attributes that are storage details and never leave the API in a response body. */
export const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;

export const stripKeys = <T extends Record<string, unknown>>(
  item: T,
): Omit<T, (typeof KEY_ATTRIBUTES)[number]> => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1pk, GSI1SK: _g1sk, ...rest } = item;
  return rest;
};
