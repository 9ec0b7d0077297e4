/** The role rules live in shared/domain/roles.ts, shared with the PUT /users/{user_id}/roles route. */
export {
  lastAdminRefusal,
  planRoleChange,
  roleChangeRefusal,
  roleGroupsOf,
  type AdminMember,
  type RoleChange,
} from '../../shared/domain/roles.ts';

export const formatRoles = (roles: readonly string[]): string =>
  roles.length > 0 ? roles.join(', ') : '(none)';
