import type { Group } from '../../shared/contract/identity.ts';
import { signOutEverywhere } from '../../shared/data/cognito/users.ts';
import { auditRecord, writeAudit } from '../../shared/data/audit-repository.ts';
import { getProfile } from '../../shared/data/user-repository.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import { userTarget } from '../../shared/domain/audit.ts';
import {
  addToGroup,
  findUserByEmail,
  groupsOfUser,
  membersOfGroup,
  removeFromGroup,
} from './cognito-users.ts';
import { CliError } from './errors.ts';
import { operatorContext } from './operator.ts';
import { ProfileVersionConflict, updateProfileRoles } from './profile-roles.ts';
import { formatRoles, lastAdminRefusal, planRoleChange, roleChangeRefusal, roleGroupsOf } from './roles.ts';
import type { Target } from './target.ts';

export interface AssignRolesInput {
  email: string;
  roles: Group[];
}

/**
 * The one way clinicians and auditors are provisioned (an organisation admin cannot grant them through
 * the API). Separation of duties is checked first (shared/domain/roles.ts): a refused change writes a
 * denied audit record and changes nothing. Then groups, then profile + audit in one transaction
 * conditional on the version read; if that transaction fails, the group changes are undone, so the
 * groups, the profile and the audit trail agree. The audit records name the operator (actor type
 * `operator`: OS user, host and credentials).
 */
export const assignRoles = async (
  input: AssignRolesInput,
  target: Target,
  clock: Clock,
  log: (line: string) => void,
): Promise<void> => {
  const { email } = input;
  const pool = target.userPoolId;
  const user = await findUserByEmail(pool, email);
  if (!user) throw new CliError(`No user with e-mail ${email} in ${target.description}`);
  const profile = await getProfile(user.sub);
  if (!profile)
    throw new CliError(
      `${email} (id ${user.sub}) has no profile in ${target.tableName}; roles are kept on the profile too, so nothing was changed`,
    );

  const change = planRoleChange(await groupsOfUser(pool, user.username), input.roles);
  const context = await operatorContext(target);
  const duties = roleChangeRefusal(change, 'operator');
  if (duties) {
    await writeAudit(
      {
        action: 'users.setRoles',
        ...userTarget(user.sub),
        outcome: 'denied',
        status: duties.status,
        reason: duties.code,
      },
      context,
      clock,
    );
    throw new CliError(`Refused: ${email} would hold ${formatRoles(change.after)}. ${duties.message}`);
  }
  const profileInSync = formatRoles(roleGroupsOf(profile.roles)) === formatRoles(change.after);
  if (change.add.length === 0 && change.remove.length === 0 && profileInSync) {
    log(
      `No change: ${email} already has roles ${formatRoles(change.after)} (profile version ${profile.version})`,
    );
    return;
  }
  if (change.remove.includes('admin')) {
    const admins = await membersOfGroup(pool, 'admin');
    const refusal = lastAdminRefusal(change, user.username, admins);
    if (refusal) throw new CliError(`Refused: ${email} ${refusal}`);
  }

  log(`Assigning roles to ${email} (id ${user.sub}) in ${target.description}`);
  const done: Array<{ undo: () => Promise<void>; what: string }> = [];
  try {
    for (const group of change.add) {
      await addToGroup(pool, user.username, group);
      done.push({ undo: () => removeFromGroup(pool, user.username, group), what: `remove from ${group}` });
      log(`  ✓ added to group ${group}`);
    }
    for (const group of change.remove) {
      await removeFromGroup(pool, user.username, group);
      done.push({ undo: () => addToGroup(pool, user.username, group), what: `add back to ${group}` });
      log(`  ✓ removed from group ${group}`);
    }
    const audit = auditRecord(
      {
        action: 'users.setRoles',
        ...userTarget(user.sub),
        status: 200,
        reason: `roles:${change.after.join(',')}`,
      },
      context,
      clock,
    );
    const updated = await updateProfileRoles(profile, change.after, audit.at, audit);
    log(
      `  ✓ profile (version ${profile.version} → ${updated.version}) and audit record written (audit ${audit.id})`,
    );
  } catch (error) {
    if (done.length > 0) log('  ✗ a step failed: undoing the group changes');
    for (const step of done.reverse()) {
      await step.undo().then(
        () => log(`  ✓ undone: ${step.what}`),
        (undoError: unknown) =>
          log(`  ✗ could not ${step.what} (${(undoError as Error).message}); fix by hand`),
      );
    }
    if (error instanceof ProfileVersionConflict)
      throw new CliError(
        `The profile of ${email} changed while the roles were being assigned; nothing was changed, run the command again.`,
      );
    throw error;
  }
  await signOutEverywhere(user.sub);
  log('  ✓ every sign-in of the user ended: they sign in again to use the new roles');
  log('');
  log(`Roles of ${email}: ${formatRoles(change.before)} → ${formatRoles(change.after)}`);
};
