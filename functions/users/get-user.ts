import { userRoutes } from '#contract/routes/users.ts';
import { canReadProfile, hasRole, isSelf } from '#domain/access-policy.ts';
import { systemClock } from '#domain/clock.ts';
import { auditAccess } from '#data/audit-repository.ts';
import { getProfile, managedDepartmentIds } from '#data/user-repository.ts';
import { deniedError } from '#http/access.ts';
import { notFound } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/** A profile for self, admins, clinicians, and managers of the user's department; reads of others are audited. */
export const handler = createApiHandler(userRoutes.getUser, async (request) => {
  const { principal } = request;
  const userId = request.params.user_id;
  const profile = await getProfile(userId);
  const managed =
    principal.kind === 'user' && hasRole(principal, 'manager')
      ? await managedDepartmentIds(principal.sub)
      : [];
  // A missing user looks exactly like one the caller may not see (404 either way for managers).
  const decision = canReadProfile(principal, profile ?? { id: userId }, managed);
  if (!isSelf(principal, userId)) {
    await auditAccess(
      decision,
      {
        action: 'users.read',
        resourceType: 'user',
        resourceId: userId,
        subjectId: userId,
        status: profile ? 200 : 404,
      },
      request,
      systemClock,
    );
  }
  if (!decision.allowed) throw deniedError(decision);
  if (!profile) throw notFound('The user');
  return ok(profile);
});
