import type { Group } from '#contract/identity.ts';
import { isPublic, type RouteAccess } from '#contract/route.ts';
import { MACHINE_SCOPES } from '#contract/identity.ts';
import type { Principal } from './principal.ts';
import { effectiveRoles } from './roles.ts';

/**
 * The access rules of docs/privacy.md as pure decisions. Handlers gather the facts (the subject, consents,
 * managed departments) and ask here; they never decide access themselves.
 *
 * - 403: the caller may know the resource exists but may not act on it.
 * - 404: existence itself would leak (another user's session, a user a manager does not manage).
 */
export type Decision =
  | {
      readonly allowed: true;
      readonly basis: 'self' | 'clinician_consent' | 'admin' | 'manager' | 'machine' | 'role';
    }
  | { readonly allowed: false; readonly status: 401 | 403 | 404; readonly reason: string };

const allow = (basis: Extract<Decision, { allowed: true }>['basis']): Decision => ({ allowed: true, basis });
const deny = (status: 401 | 403 | 404, reason: string): Decision => ({ allowed: false, status, reason });

/**
 * Whether the principal has the powers of `role`. Separation of duties holds here too, whatever the
 * token says: a clinician or auditor role held together with a role it excludes (legacy data, a group
 * added outside the operator CLI) counts as not held (shared/domain/roles.ts effectiveRoles).
 */
export const hasRole = (principal: Principal, role: Group): boolean =>
  principal.kind === 'user' && effectiveRoles(principal.roles).includes(role);

export const isSelf = (principal: Principal, userId: string): boolean =>
  principal.kind === 'user' && principal.sub === userId;

/** A user's consent to clinician access: to every clinician, or to named ones. */
export interface ClinicianConsent {
  granted: boolean;
  /** Empty = all clinicians. */
  clinicianIds: readonly string[];
}

export const NO_CLINICIAN_CONSENT: ClinicianConsent = { granted: false, clinicianIds: [] };

const consentCovers = (consent: ClinicianConsent, clinicianId: string): boolean =>
  consent.granted && (consent.clinicianIds.length === 0 || consent.clinicianIds.includes(clinicianId));

/**
 * Individual mental-health records (analyses, sessions, surveys, summaries, trends): the user, or a
 * clinician the user consented to. Never a manager or an admin as such, whatever else they hold.
 */
export const canReadIndividualData = (
  principal: Principal,
  subjectId: string,
  consent: ClinicianConsent,
): Decision => {
  if (principal.kind === 'anonymous') return deny(401, 'unauthenticated');
  if (isSelf(principal, subjectId)) return allow('self');
  if (principal.kind === 'user' && hasRole(principal, 'clinician') && consentCovers(consent, principal.sub)) {
    return allow('clinician_consent');
  }
  return deny(403, hasRole(principal, 'clinician') ? 'no_consent' : 'not_owner');
};

/** Writing an analysis: the user themselves, or an analysis pipeline holding `analyses.write`. */
export const canWriteAnalysis = (principal: Principal, userId: string): Decision => {
  if (principal.kind === 'anonymous') return deny(401, 'unauthenticated');
  if (principal.kind === 'machine') {
    return principal.scopes.includes(MACHINE_SCOPES.analysesWrite) ? allow('machine') : deny(403, 'scope');
  }
  return isSelf(principal, userId) ? allow('self') : deny(403, 'not_owner');
};

/**
 * A user's profile (no health data): self, admin, a clinician, or a manager of the user's department.
 * A manager asking about a user outside their departments gets 404, so they cannot probe who exists.
 */
export const canReadProfile = (
  principal: Principal,
  subject: { id: string; departmentId?: string | undefined },
  managedDepartmentIds: readonly string[],
): Decision => {
  if (principal.kind === 'anonymous') return deny(401, 'unauthenticated');
  if (principal.kind === 'machine') return deny(403, 'machine');
  if (isSelf(principal, subject.id)) return allow('self');
  if (hasRole(principal, 'admin')) return allow('admin');
  if (hasRole(principal, 'clinician')) return allow('role');
  if (hasRole(principal, 'manager')) {
    return subject.departmentId && managedDepartmentIds.includes(subject.departmentId)
      ? allow('manager')
      : deny(404, 'not_managed');
  }
  return deny(403, 'not_owner');
};

/** Organisation administration: users, departments, roles, the administrative part of the audit trail. */
export const canAdminister = (principal: Principal): Decision =>
  principal.kind === 'anonymous'
    ? deny(401, 'unauthenticated')
    : hasRole(principal, 'admin')
      ? allow('admin')
      : deny(403, 'not_admin');

/** Department aggregates: admins for every department, managers for the ones they manage. */
export const canViewDepartmentAggregates = (
  principal: Principal,
  departmentId: string,
  managedDepartmentIds: readonly string[],
): Decision => {
  if (principal.kind === 'anonymous') return deny(401, 'unauthenticated');
  if (hasRole(principal, 'admin')) return allow('admin');
  if (hasRole(principal, 'manager') && managedDepartmentIds.includes(departmentId)) return allow('manager');
  return deny(403, 'not_manager_of_department');
};

/** Risk alerts: clinicians only. Managers and admins never see them. */
export const canHandleAlerts = (principal: Principal): Decision =>
  principal.kind === 'anonymous'
    ? deny(401, 'unauthenticated')
    : hasRole(principal, 'clinician')
      ? allow('role')
      : deny(403, 'not_clinician');

/**
 * Audit search: admins (administrative records, and everything they did or that is about them) and the
 * auditor (the full trail). Which records each sees is decided by shared/domain/audit-visibility.ts.
 */
export const canSearchAudit = (principal: Principal): Decision =>
  principal.kind === 'anonymous'
    ? deny(401, 'unauthenticated')
    : hasRole(principal, 'auditor')
      ? allow('role')
      : hasRole(principal, 'admin')
        ? allow('admin')
        : deny(403, 'not_admin_or_auditor');

/**
 * Route-level role check: the coarse gate, on the principal's effective roles (a clinician group held
 * with admin opens no clinician route). Ownership and consent are decided by the use case.
 */
export const routeAllows = (
  access: RouteAccess,
  principal: Principal,
): 'allow' | 'unauthenticated' | 'forbidden' => {
  if (isPublic(access)) return 'allow';
  switch (principal.kind) {
    case 'anonymous':
      return 'unauthenticated';
    case 'machine':
      return access.machineScopes?.some((scope) => principal.scopes.includes(scope)) ? 'allow' : 'forbidden';
    case 'user':
      if (access.users === 'none') return 'forbidden';
      if (access.users === 'any') return 'allow';
      return access.users.some((group) => hasRole(principal, group)) ? 'allow' : 'forbidden';
  }
};
