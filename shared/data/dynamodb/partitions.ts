import { checkedScope, idPart, part } from './key-parts.ts';

/**
 * Partition values for queries (the `:pk` of a KeyConditionExpression, on the table or an index): a
 * partition is named by what it holds, never obtained from an item key built with placeholders. Import
 * the module as a namespace (`import * as partitions from '…/partitions.ts'`): each builder is its own
 * export, so a function's bundle carries only the ones it calls.
 */

/** PK USER#<sub>: profile, consents and their history, analyses, survey responses, sessions, alerts… */
export const user = (sub: string): string => `USER#${part(sub, 'user id')}`;

/** PK AGG#USER#<sub>: the user's own rollups, source ledgers and aggregate withdrawal. */
export const userRollups = (sub: string): string => `AGG#USER#${idPart(sub, 'user id')}`;

/** PK AGG#<scope>: a rollup scope's partition (`USER#<sub>`, `DEPT#<id>` or `ORG`). */
export const rollupScope = (scope: string): string => `AGG#${checkedScope(scope)}`;

/** PK EMOSESSION#<sessionId>: the messages of one EmoBuddy session (the purge and the export walk it). */
export const emoMessages = (sessionId: string): string => `EMOSESSION#${idPart(sessionId, 'session id')}`;

/** PK AUDIT#<subject>: audit records about a subject (their access log; kept by the purge). */
export const audit = (subject: string): string => `AUDIT#${part(subject, 'audit subject')}`;

/** GSI1 AUDITDAY#<yyyy-mm-dd>: every audit record of one UTC day across subjects. */
export const auditDay = (day: string): string => `AUDITDAY#${part(day, 'day')}`;

/** GSI2 AUDITADMIN#<yyyy-mm>: the administrative audit records of one UTC month (sparse). */
export const administrativeAuditMonth = (yearMonth: string): string =>
  `AUDITADMIN#${part(yearMonth, 'month')}`;

/** GSI3 AUDITADMIN#<subject>: one subject's administrative audit records (sparse). */
export const administrativeAuditOf = (subject: string): string =>
  `AUDITADMIN#${part(subject, 'audit subject')}`;

/** PK LOGIN#<e-mail hash>: one e-mail's sign-in counters (the erasure purge deletes it). */
export const loginAttempts = (emailHash: string): string => `LOGIN#${part(emailHash, 'e-mail hash')}`;

/** GSI1 ALERTS#OPEN: unresolved risk alerts, oldest first. */
export const openAlerts = (): string => 'ALERTS#OPEN';

/** GSI1 ALERTS#RESOLVED: resolved risk alerts by resolution time. */
export const resolvedAlerts = (): string => 'ALERTS#RESOLVED';

/** GSI1 PURGES#DUE: pending erasure requests by due time. */
export const erasuresDue = (): string => 'PURGES#DUE';

/** GSI1 SURVEYS#<sub>: a user's survey responses across instruments by time. */
export const surveyResponsesByTime = (sub: string): string => `SURVEYS#${part(sub, 'user id')}`;

/** GSI1 DEPT#<id>: a department's users by name (sort keys start with `keys.userInDepartmentPrefix`). */
export const departmentMembers = (departmentId: string): string =>
  `DEPT#${part(departmentId, 'department id')}`;

/** GSI1 DEPTS: every department by name. */
export const departments = (): string => 'DEPTS';

/** GSI1 MANAGES#<sub>: the departments a user manages. */
export const managedBy = (managerSub: string): string => `MANAGES#${part(managerSub, 'user id')}`;

/** GSI2 USERS: every user by name. */
export const users = (): string => 'USERS';

/** GSI3 CLINICIANS: active clinicians by name (the directory). */
export const clinicianDirectory = (): string => 'CLINICIANS';

/** PK RISKEVENTS (local runtime only): the risk events kept where there is no bus. */
export const localRiskEvents = (): string => 'RISKEVENTS';

/**
 * IAM `dynamodb:LeadingKeys` pattern of every audit partition (the CDK denies changing audit records
 * with it; the infra tests check that it matches `partitions.audit`).
 */
export const AUDIT_PARTITION_PATTERN = 'AUDIT#*';
