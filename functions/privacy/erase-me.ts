import { eraseMeRoute } from '#contract/routes/privacy.ts';
import { requireSetting } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { closeCognitoAccount } from '#data/cognito/users.ts';
import { requestErasure } from '#data/erasure-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { signInEnded } from '#http/middlewares/caller-access.ts';

/**
 * DELETE /users/me: access ends now, data goes after the stage's grace period. In one transaction the
 * account becomes `erasure_pending`, every sign-in ends, clinician access is withdrawn and the request
 * is recorded (requestErasure); then the Cognito user is disabled and signed out everywhere. There is no
 * undo: a closed account cannot sign in, and a way back in would let a stolen password reverse it.
 *
 * Repeating the call once the request exists answers the same 202 — with the token that made it, now
 * signed out — and repeats the (idempotent) Cognito steps, so a failure after the transaction is healed
 * by a retry; the account stays closed. This is why the route checks the caller itself instead of with
 * the per-request check: a new request needs a sign-in that still holds (a condition of the closing
 * write), a repeated one only a genuine token of the account.
 */
export const handler = createApiHandler(
  eraseMeRoute,
  async (request) => {
    const { principal } = request;
    if (principal.kind !== 'user' || !principal.session) throw unauthenticated();
    const outcome = await requestErasure(
      principal.sub,
      requireSetting('erasureGraceDays'),
      principal.session,
      request,
      systemClock,
    );
    if (outcome.kind === 'no_profile') throw notFound('Your profile');
    if (outcome.kind === 'refused') throw signInEnded();
    if (outcome.request.status !== 'purged') await closeCognitoAccount(principal.sub);
    const { requestedAt, purgeAfter } = outcome.request;
    return { statusCode: 202, body: { requestedAt, purgeAfter } };
  },
  { callerAccessExempt: 'a repeated request answers 202 with the token that closed the account' },
);
