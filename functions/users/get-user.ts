import { getUserRoute } from '#contract/routes/users.ts';
import { canReadProfile, isSelf } from '#domain/access-policy.ts';
import { auditAccess, auditRecord } from '#data/audit-repository.ts';
import { managesDepartmentCondition } from '#data/department-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { auditIfPermitted } from '#data/versioned-write.ts';
import { deniedError } from '#http/access.ts';
import { notFound } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/**
 * A profile for self, admins, clinicians, and managers of the user's department; reads of others are
 * audited before the answer. A manager's read is allowed and recorded in one transaction that checks
 * their manager entry on the user's department (auditIfPermitted): two round trips for any caller.
 */
export const handler = createApiHandler(getUserRoute, async (request) => {
  const { principal } = request;
  const userId = request.params.user_id;
  const profile = await getProfile(userId);
  if (isSelf(principal, userId)) {
    if (!profile) throw notFound('The user');
    return ok(profile);
  }
  const event = { resourceType: 'user', resourceId: userId, subjectId: userId };
  // Without a managed department the policy decides alone (a manager gets 404, like a missing user).
  const decision = canReadProfile(principal, profile ?? { id: userId }, []);
  if (
    !decision.allowed &&
    decision.reason === 'not_managed' &&
    principal.kind === 'user' &&
    profile?.departmentId
  ) {
    const allowed = auditRecord({ ...event, status: 200 }, request);
    const failed = await auditIfPermitted(
      { manages: managesDepartmentCondition(profile.departmentId, principal.sub) },
      allowed,
    );
    if (failed === undefined) return ok(profile);
  }
  await auditAccess(decision, { ...event, status: profile ? 200 : 404 }, request);
  if (!decision.allowed) throw deniedError(decision);
  if (!profile) throw notFound('The user');
  return ok(profile);
});
