import { authRoutes } from '#contract/routes/auth.ts';
import { getConsentState } from '#data/consent-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { forbidden, notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/**
 * The caller's own profile, roles and consents (the same shape as GET /users/me/consents). A closed
 * account (erasure requested, or deactivated) is refused: its access ended, even if a token lives on.
 */
export const handler = createApiHandler(authRoutes.me, async ({ principal }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const [profile, consents] = await Promise.all([getProfile(principal.sub), getConsentState(principal.sub)]);
  if (!profile) throw notFound('Your profile');
  if (!profile.isActive) throw forbidden('This account is closed.');
  return ok({ ...profile, consents });
});
