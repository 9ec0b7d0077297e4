import { privacyRoutes } from '#contract/routes/privacy.ts';
import { requireSetting } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { closeCognitoAccount } from '#data/account-closure.ts';
import { requestErasure } from '#data/erasure-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler } from '#http/handler-factory.ts';

/**
 * DELETE /users/me: access ends now, data goes after the stage's grace period. The profile is
 * soft-deleted together with the erasure request and its audit record (one transaction); then the
 * Cognito user is disabled and signed out everywhere. Repeating the call while the request exists
 * answers the same 202 and repeats the (idempotent) Cognito steps, so a failure after the transaction
 * is healed by a retry.
 */
export const handler = createApiHandler(privacyRoutes.eraseMe, async (request) => {
  const { principal } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const outcome = await requestErasure(
    principal.sub,
    requireSetting('erasureGraceDays'),
    request,
    systemClock,
  );
  if (outcome.kind === 'no_profile') throw notFound('Your profile');
  if (outcome.request.status !== 'purged') await closeCognitoAccount(principal.sub);
  const { requestedAt, purgeAfter } = outcome.request;
  return { statusCode: 202, body: { requestedAt, purgeAfter } };
});
