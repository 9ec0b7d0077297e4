import type { AuditRecord } from './audit.ts';

/**
 * Who may see which audit record (docs/privacy.md, "Audit trail"). Records stay complete; what is
 * split is who can search them:
 *
 * - `administrative`: the organisation's administration — accounts and sign-in, users, departments,
 *   roles, account closure, the audit searches themselves. Admins see these across the organisation.
 * - `sensitive`: everything whose existence or fields reveal a health state or care — risk alerts,
 *   survey submissions, analyses, EmoBuddy, consents, summaries and trends, export, purge — and
 *   everything a clinician or an auditor does (a clinician's reads show who is in care; an auditor's
 *   searches show who is being looked into). Only the auditor, and the subject in their access log.
 *
 * This is the one place that decides. An action not listed is sensitive: a new kind of record stays
 * hidden from admins until someone decides it is administrative. (The clinician directory,
 * `users.listClinicians`, is deliberately not listed: its reads are not audited at all — who looks up
 * clinicians hints at who seeks care — and a record of one would have to stay sensitive.)
 */
export type AuditVisibility = 'administrative' | 'sensitive';

export const ADMINISTRATIVE_ACTIONS: ReadonlySet<string> = new Set([
  // Accounts and sign-in: every step of a sign-in, password changes and resets, second-factor
  // enrolment (none of it says anything about anyone's health).
  'auth.register',
  'auth.login',
  'auth.loginMfa',
  'auth.loginNewPassword',
  'auth.logout',
  'auth.refresh',
  'auth.me',
  'auth.changePassword',
  'auth.forgotPassword',
  'auth.resetPassword',
  'auth.totpAssociate',
  'auth.totpVerify',
  'users.tokensRevoke',
  'users.passwordReset',
  // Users, roles, departments. `users.read` and `users.roles.update` are the names records of
  // `users.get` and `users.setRoles` were stored under before a route's record took the route's id:
  // stored records keep them (currentAuditAction in audit.ts), and the migration that classifies old
  // records (0002-audit-visibility) still finds them here.
  'users.create',
  'users.list',
  'users.read',
  'users.get',
  'users.update',
  'users.roles.update',
  'users.setRoles',
  'users.deactivate',
  'departments.create',
  'departments.update',
  'departments.list',
  // The audit trail's own searches.
  'audit.search',
  // Closing one's account: admins see it anyway, as a deactivated profile with its deletion date. The
  // purge that follows is sensitive: its counts tell how much health data the person had.
  'privacy.erase',
  // The aggregate dashboard (organisation-level statistics, never an individual's).
  'analytics.overview',
]);

/** Roles whose every action is sensitive, whatever the action. */
const DISCREET_ACTOR_ROLES: readonly string[] = ['clinician', 'auditor'];

export const auditVisibilityOf = (record: Pick<AuditRecord, 'action' | 'actor'>): AuditVisibility =>
  ADMINISTRATIVE_ACTIONS.has(record.action) &&
  !record.actor.roles.some((role) => DISCREET_ACTOR_ROLES.includes(role))
    ? 'administrative'
    : 'sensitive';

/** Who searches: the auditor sees the full trail, an admin the administrative part and their own. */
export interface AuditViewer {
  sub: string;
  fullTrail: boolean;
}

/**
 * Whether the viewer may see the record at all: the auditor every record; an admin the administrative
 * ones, and the ones about themselves or done by themselves (which reveal nothing they do not know).
 */
export const auditVisibleTo = (viewer: AuditViewer, record: AuditRecord): boolean =>
  viewer.fullTrail ||
  auditVisibilityOf(record) === 'administrative' ||
  record.subjectId === viewer.sub ||
  record.actor.id === viewer.sub;

export interface AuditSearchFilter {
  subjectId?: string | undefined;
  actorId?: string | undefined;
}

/**
 * Where a search reads, so that every record it returns is visible to the viewer and paging stays
 * honest (no page is thinned out after the read):
 *
 * - `partition`: every record filed under one subject (the access log's partition);
 * - `administrativePartition`: the administrative records filed under one subject (their own index);
 * - `days`: every record, day by day;
 * - `administrativeMonths`: the administrative records, month by month (their own index).
 *
 * An actor filter (actorId) narrows any of them. An admin reads the full sources only where each
 * record in them is theirs to see: their own partition, or their own actions (actorId = their id).
 */
export type AuditSource =
  | { kind: 'partition'; partition: string }
  | { kind: 'administrativePartition'; partition: string }
  | { kind: 'days' }
  | { kind: 'administrativeMonths' };

export const planAuditSearch = (viewer: AuditViewer, filter: AuditSearchFilter): AuditSource => {
  const everything = viewer.fullTrail || filter.actorId === viewer.sub || filter.subjectId === viewer.sub;
  if (filter.subjectId)
    return everything
      ? { kind: 'partition', partition: filter.subjectId }
      : { kind: 'administrativePartition', partition: filter.subjectId };
  return everything ? { kind: 'days' } : { kind: 'administrativeMonths' };
};
