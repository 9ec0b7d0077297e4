import { meRoute } from '#contract/routes/auth.ts';
import { getConsentState } from '#data/consent-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/**
 * The caller's own profile, roles and consents (the same shape as GET /users/me/consents). Reading the
 * profile is also the caller check (a closed account or an ended sign-in is a 401): two round trips.
 */
export const handler = createApiHandler(meRoute, async ({ principal }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const [profile, consents] = await Promise.all([getProfile(principal.sub), getConsentState(principal.sub)]);
  if (!profile) throw notFound('Your profile');
  return ok({ ...profile, consents });
});
