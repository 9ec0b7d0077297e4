import { GROUPS, type Group } from '#contract/identity.ts';

/** Role groups in canonical order; groups that are not roles (federation groups) are left alone. */
export const roleGroupsOf = (groupNames: readonly string[]): Group[] =>
  GROUPS.filter((g) => groupNames.includes(g));

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
