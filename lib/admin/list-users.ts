import { GROUPS, type Group } from '../../shared/contract/identity.ts';
import { allUsers, membersOfGroup, type PoolUser } from './cognito-users.ts';
import { formatTable } from './table.ts';
import type { Target } from './target.ts';

/** Every user (or one group's members) with roles from the groups: one listing per group, not per user. */
export const listUsers = async (
  input: { group: Group | undefined },
  target: Target,
  log: (line: string) => void,
): Promise<void> => {
  const pool = target.userPoolId;
  const memberships = await Promise.all(
    GROUPS.map(async (group) => ({ group, members: await membersOfGroup(pool, group) })),
  );
  const rolesOf = (user: PoolUser) =>
    memberships.filter((m) => m.members.some((u) => u.username === user.username)).map((m) => m.group);
  const users = input.group
    ? (memberships.find((m) => m.group === input.group)?.members ?? [])
    : await allUsers(pool);

  const rows = [...users]
    .sort((a, b) => a.email.localeCompare(b.email) || a.username.localeCompare(b.username))
    .map((u) => [u.email || '-', u.sub, rolesOf(u).join(',') || '-', u.enabled ? 'yes' : 'no', u.status]);
  const scope = input.group ? `in group ${input.group}` : 'in total';
  log(`Users of ${target.description} (pool ${pool}):`);
  log('');
  log(formatTable(['EMAIL', 'ID', 'ROLES', 'ENABLED', 'STATUS'], rows));
  log('');
  log(`${rows.length} user${rows.length === 1 ? '' : 's'} ${scope}`);
};
