import { totpVerifyRoute } from '#contract/routes/auth.ts';
import { preferTotp, verifyTotp } from '#data/cognito/accounts.ts';
import { writeAudit } from '#data/audit-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { notFound, unauthenticated, validationFailed } from '#http/errors.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';

/**
 * Finishes setting up TOTP: a code of the new authenticator, checked by Cognito; then TOTP becomes the
 * user's factor, asked for at every later sign-in on every client (audited). A wrong code is a 400 and
 * changes nothing.
 */
export const handler = createApiHandler(totpVerifyRoute, async (request) => {
  const { principal } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const profile = await getProfile(principal.sub);
  if (!profile) throw notFound('Your profile');
  const accessToken = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  const verified = await verifyTotp({ accessToken }, request.body.code);
  if (verified.kind !== 'verified')
    throw validationFailed([
      {
        field: 'body.code',
        code: 'invalid_code',
        message: 'is not the current code of the new authenticator',
      },
    ]);
  await preferTotp(accessToken);
  await writeAudit(
    {
      resourceType: 'mfa',
      resourceId: principal.sub,
      subjectId: principal.sub,
      status: 204,
    },
    request,
  );
  return noContent();
});
