import { setRolesRoute } from '#contract/routes/users.ts';
import { sessionCutAt } from '#domain/account-access.ts';
import { systemClock } from '#domain/clock.ts';
import { profileChangeRefusal } from '#domain/profile-edits.ts';
import { lastAdminRefusal, planRoleChange, roleChangeRefusal } from '#domain/roles.ts';
import { userTarget } from '#domain/audit.ts';
import { signOutEverywhere } from '#data/cognito/users.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { adminMembers, changeGroups, groupsOfUser } from '#data/cognito/users.ts';
import { getProfile, replaceProfile, StaleVersionError } from '#data/user-repository.ts';
import { conflict, forbidden, notFound } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { logger } from '#observability/powertools.ts';

/**
 * Sets a user's roles: Cognito groups first, then profile + audit in one transaction; if that fails the
 * group change is undone, so groups and profile never disagree for long and nothing is claimed that did
 * not happen. Separation of duties (shared/domain/roles.ts): an organisation admin never grants or
 * removes clinician or auditor (403, the operator CLI does) and no set may combine exclusive roles
 * (409); each refusal is audited under the user it was about. The last enabled admin cannot lose the
 * role, and an account pending erasure takes no change (409). A change ends every sign-in of the user
 * in the same transaction (the profile's cut; Cognito's refresh tokens are revoked after it), so tokens
 * with the old groups are refused from the next request on and the user signs in again with the new.
 */
export const handler = createApiHandler(setRolesRoute, async (request) => {
  const userId = request.params.user_id;
  const profile = await getProfile(userId);
  if (!profile) throw notFound('The user');
  const closed = profileChangeRefusal(profile);
  if (closed) throw conflict(closed);
  const change = planRoleChange(await groupsOfUser(userId), request.body.roles);
  const duties = roleChangeRefusal(change, 'organisation_admin');
  if (duties) {
    await writeAudit(
      {
        ...userTarget(userId),
        outcome: 'denied',
        status: duties.status,
        reason: duties.code,
      },
      request,
    );
    throw duties.status === 403 ? forbidden(duties.message) : conflict(duties.message);
  }
  const refusal = lastAdminRefusal(
    change,
    userId,
    change.remove.includes('admin') ? await adminMembers() : [],
  );
  if (refusal) throw conflict(`This user ${refusal}`);

  const now = systemClock.now();
  const next = {
    ...profile,
    roles: change.after,
    updatedAt: now.toISOString(),
    version: profile.version + 1,
  };
  const audit = auditRecord(
    {
      ...userTarget(userId),
      status: 200,
      reason: `roles:${change.after.join(',')}`,
    },
    request,
  );
  const changed = change.add.length > 0 || change.remove.length > 0;
  await changeGroups(userId, change.add, change.remove);
  try {
    await replaceProfile(
      next,
      profile.version,
      audit,
      [],
      changed ? { cutSessionsAt: sessionCutAt(now) } : {},
    );
  } catch (error) {
    await changeGroups(userId, change.remove, change.add).catch((undo: unknown) =>
      logger.error('could not undo a group change', { userId, error: undo }),
    );
    if (error instanceof StaleVersionError) throw conflict('The profile changed meanwhile; retry.');
    throw error;
  }
  if (changed) await signOutEverywhere(userId);
  return ok(next);
});
