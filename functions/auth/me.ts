import { authRoutes } from '#contract/routes/auth.ts';
import { DEFAULT_CONSENTS } from '#domain/consents.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/** The caller's own profile, roles and consents. */
export const handler = createApiHandler(authRoutes.me, async ({ principal }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const profile = await getProfile(principal.sub);
  if (!profile) throw notFound('Your profile');
  return ok({ ...profile, consents: DEFAULT_CONSENTS });
});
