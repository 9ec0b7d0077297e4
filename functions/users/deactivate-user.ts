import { deactivateUserRoute } from '#contract/routes/users.ts';
import { sessionCutAt } from '#domain/account-access.ts';
import { systemClock } from '#domain/clock.ts';
import { userTarget } from '#domain/audit.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { closeCognitoAccount } from '#data/cognito/users.ts';
import { getProfile, replaceProfile, StaleVersionError } from '#data/user-repository.ts';
import { conflict, notFound } from '#http/errors.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';

/**
 * Deactivates a user (soft delete): the account becomes `deactivated` with the time, every sign-in of
 * the user ends at once (the profile's cut, checked on every request), and the Cognito user is disabled
 * and signed out so sign-in and refresh are refused. Idempotent; an account already closed (deactivated,
 * or pending erasure) stays as it is. Data stays; erasure is the user's own DELETE /users/me.
 */
export const handler = createApiHandler(deactivateUserRoute, async (request) => {
  const userId = request.params.user_id;
  const profile = await getProfile(userId);
  if (!profile) throw notFound('The user');
  if (request.principal.kind === 'user' && request.principal.sub === userId) {
    throw conflict('Admins cannot deactivate themselves; ask another admin.');
  }
  if (profile.accountState === 'active') {
    const now = systemClock.now();
    const next = {
      ...profile,
      isActive: false,
      accountState: 'deactivated' as const,
      deletedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: profile.version + 1,
    };
    const audit = auditRecord(
      {
        ...userTarget(userId),
        status: 204,
      },
      request,
    );
    try {
      await replaceProfile(next, profile.version, audit, [], { cutSessionsAt: sessionCutAt(now) });
    } catch (error) {
      if (error instanceof StaleVersionError) throw conflict('The profile changed meanwhile; retry.');
      throw error;
    }
  }
  await closeCognitoAccount(userId);
  return noContent();
});
