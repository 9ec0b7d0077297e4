import { getConsentsRoute } from '#contract/routes/privacy.ts';
import { getConsentState } from '#data/consent-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/** The caller's consents (defaults for purposes never changed); the profile read is the caller check. */
export const handler = createApiHandler(getConsentsRoute, async ({ principal }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const [profile, consents] = await Promise.all([getProfile(principal.sub), getConsentState(principal.sub)]);
  if (!profile) throw notFound('Your profile');
  return ok(consents);
});
