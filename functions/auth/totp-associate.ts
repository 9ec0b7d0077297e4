import { totpAssociateRoute } from '#contract/routes/auth.ts';
import { associateTotp } from '#data/cognito/accounts.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { ISSUER } from './sign-in-flow.ts';

/**
 * Starts setting up TOTP for the signed-in user: a new secret from Cognito, as text and as the
 * otpauth:// URI an authenticator app reads from a QR code. Nothing changes for sign-in until a code
 * of it is verified (POST /auth/mfa/totp/verify). The profile read is the caller check, made before
 * Cognito is asked.
 */
export const handler = createApiHandler(totpAssociateRoute, async (request) => {
  const { principal } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const profile = await getProfile(principal.sub);
  if (!profile) throw notFound('Your profile');
  const accessToken = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  const { secret } = await associateTotp({ accessToken });
  const label = encodeURIComponent(`${ISSUER}:${profile.email}`);
  return ok({
    secretCode: secret,
    otpauthUri: `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(ISSUER)}`,
  });
});
