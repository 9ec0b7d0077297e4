import { authRoutes } from '#contract/routes/auth.ts';
import { systemClock } from '#domain/clock.ts';
import { revokeRefreshToken } from '#data/accounts.ts';
import { writeAudit } from '#data/audit-repository.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';

/**
 * Revokes the refresh token, which also invalidates the access tokens issued from it at Cognito.
 * Idempotent: an unknown or already revoked token still answers 204.
 */
export const handler = createApiHandler(authRoutes.logout, async (request) => {
  await revokeRefreshToken(request.body.refreshToken);
  const subjectId = request.principal.kind === 'user' ? request.principal.sub : undefined;
  await writeAudit(
    {
      action: 'auth.logout',
      resourceType: 'session',
      ...(subjectId ? { subjectId } : {}),
      outcome: 'allowed',
      status: 204,
    },
    request,
    systemClock,
  );
  return noContent();
});
