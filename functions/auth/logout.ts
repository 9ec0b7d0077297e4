import { logoutRoute } from '#contract/routes/auth.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { revokeRefreshToken } from '#data/cognito/accounts.ts';
import { endSignIn } from '#data/account-sessions.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';

/**
 * Ends the sign-in the access token belongs to: the refresh token is revoked at Cognito (no new tokens
 * from it), and the sign-in is recorded on the account, so every access token issued from it is
 * refused from the next request on (shared/data/caller-access.ts), not only when it expires.
 * Idempotent: an unknown or already revoked refresh token, or a sign-in already ended, still answers 204.
 */
export const handler = createApiHandler(
  logoutRoute,
  async (request) => {
    await revokeRefreshToken(request.body.refreshToken);
    const { principal } = request;
    const event = {
      resourceType: 'session',
      outcome: 'allowed',
      status: 204,
    } as const;
    if (principal.kind === 'user' && principal.session) {
      const audit = auditRecord({ ...event, subjectId: principal.sub }, request);
      await endSignIn(
        principal.sub,
        principal.session.originId,
        systemClock.now(),
        runtimeEnv().accessTokenMinutes,
        audit,
      );
    } else {
      await writeAudit(event, request);
    }
    return noContent();
  },
  {
    callerAccessExempt:
      'logging out only takes access away, and a repeated logout (its sign-in already ended) answers 204 too',
  },
);
