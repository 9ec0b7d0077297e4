import { GROUPS, type Group } from '#contract/identity.ts';
import { dropIfUnused } from '#contract/lazy.ts';

/** Role groups in canonical order; groups that are not roles (federation groups) are left alone. */
export const roleGroupsOf = (groupNames: readonly string[]): Group[] =>
  GROUPS.filter((g) => groupNames.includes(g));

/**
 * Roles that only the platform operator grants or removes (operator CLI, deployment credentials):
 * whoever holds them reads health data (clinician) or the whole audit trail (auditor), so the
 * organisation's own admins must not be able to hand them out — least of all to themselves.
 */
export const OPERATOR_ONLY_ROLES: readonly Group[] = ['clinician', 'auditor'];

/** What an organisation admin may grant and remove through PUT /users/{user_id}/roles. */
export const ADMIN_ASSIGNABLE_ROLES: readonly Group[] = /* @__PURE__ */ dropIfUnused(() =>
  GROUPS.filter((g) => !OPERATOR_ONLY_ROLES.includes(g)),
);

/**
 * Separation of duties: the roles each role never goes together with. `employee` is everyone's base
 * role and excludes nothing. The relation is symmetric (a unit test pins that).
 */
export const EXCLUSIVE_ROLES: Readonly<Record<Group, readonly Group[]>> = {
  employee: [],
  manager: ['clinician', 'auditor'],
  admin: ['clinician', 'auditor'],
  clinician: ['admin', 'manager', 'auditor'],
  auditor: ['admin', 'manager', 'clinician'],
};

/** Every pair of held roles that must not go together, each pair once, in canonical order. */
export const separationOfDutiesConflicts = (roles: readonly string[]): Array<[Group, Group]> => {
  const held = roleGroupsOf(roles);
  return held.flatMap((role, i) =>
    held
      .slice(i + 1)
      .flatMap((other): Array<[Group, Group]> =>
        EXCLUSIVE_ROLES[role].includes(other) ? [[role, other]] : [],
      ),
  );
};

/**
 * The roles whose powers a principal actually gets. Operator-only roles held together with a role they
 * exclude (a token or legacy data from before the rule) give nothing: such a clinician is not a
 * clinician and such an auditor not an auditor. The other roles stay, since they reveal no health data.
 */
export const effectiveRoles = (roles: readonly Group[]): Group[] => {
  const held = roleGroupsOf(roles);
  return held.filter(
    (role) =>
      !OPERATOR_ONLY_ROLES.includes(role) || !EXCLUSIVE_ROLES[role].some((other) => held.includes(other)),
  );
};

export interface RoleChange {
  before: Group[];
  after: Group[];
  add: Group[];
  remove: Group[];
}

/** What to add and remove so the role groups become exactly `wanted` plus employee. */
export const planRoleChange = (current: readonly string[], wanted: readonly Group[]): RoleChange => {
  const before = roleGroupsOf(current);
  const after = GROUPS.filter((g) => g === 'employee' || wanted.includes(g));
  return {
    before,
    after,
    add: after.filter((g) => !before.includes(g)),
    remove: before.filter((g) => !after.includes(g)),
  };
};

/** Who changes roles: an organisation admin through the API, or the platform operator through the CLI. */
export type RoleChanger = 'organisation_admin' | 'operator';

export interface RoleChangeRefusal {
  /** 403: the changer may not touch these roles at all; 409: the resulting set breaks the rule. */
  status: 403 | 409;
  code: 'operator_only_role' | 'separation_of_duties';
  message: string;
}

const listed = (roles: readonly string[]) => roles.join(', ');

/**
 * The rules every path that changes roles applies (PUT /users/{user_id}/roles and the operator CLI):
 * an organisation admin neither grants nor removes an operator-only role (403), and nobody makes a set
 * of roles that breaks separation of duties (409). Naming a held operator-only role unchanged is fine:
 * the request states the complete set. Returns the refusal, or undefined when the change may go ahead.
 */
export const roleChangeRefusal = (change: RoleChange, by: RoleChanger): RoleChangeRefusal | undefined => {
  if (by === 'organisation_admin') {
    const granted = change.add.filter((r) => OPERATOR_ONLY_ROLES.includes(r));
    const removed = change.remove.filter((r) => OPERATOR_ONLY_ROLES.includes(r));
    if (granted.length > 0 || removed.length > 0) {
      const what = [
        ...(granted.length > 0 ? [`grant ${listed(granted)}`] : []),
        ...(removed.length > 0 ? [`remove ${listed(removed)}`] : []),
      ].join(' or ');
      return {
        status: 403,
        code: 'operator_only_role',
        message: `An organisation admin cannot ${what}: clinicians and auditors are provisioned only by the platform operator.`,
      };
    }
  }
  const conflicts = separationOfDutiesConflicts(change.after);
  if (conflicts.length > 0) {
    return {
      status: 409,
      code: 'separation_of_duties',
      message: `Separation of duties: ${conflicts.map(([a, b]) => `${a} and ${b}`).join('; ')} cannot be held together.`,
    };
  }
  return undefined;
};

export interface AdminMember {
  username: string;
  enabled: boolean;
}

/**
 * The organisation must keep an admin who can sign in: taking admin away from a user is refused unless
 * another *enabled* member of the admin group remains. Returns the reason to refuse, or undefined.
 */
export const lastAdminRefusal = (
  change: RoleChange,
  username: string,
  adminMembers: readonly AdminMember[],
): string | undefined => {
  if (!change.remove.includes('admin')) return undefined;
  const others = adminMembers.filter((m) => m.username !== username && m.enabled);
  if (others.length > 0) return undefined;
  return 'is the last enabled admin: removing admin would leave nobody able to manage users. Make another user admin first.';
};
