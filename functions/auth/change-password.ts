import { changePasswordRoute } from '#contract/routes/auth.ts';
import { systemClock } from '#domain/clock.ts';
import { passwordProblems } from '#domain/password-policy.ts';
import { userTarget } from '#domain/audit.ts';
import { changePassword } from '#data/cognito/accounts.ts';
import { signOutEverywhere } from '#data/cognito/users.ts';
import { cutAllSignIns } from '#data/account-sessions.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { getProfile } from '#data/user-repository.ts';
import { ApiError, notFound, unauthenticated, validationFailed } from '#http/errors.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';
import { beginAttempt, failAttempt } from './sign-in-flow.ts';

const bearerToken = (authorization: string | undefined): string =>
  (authorization ?? '').replace(/^Bearer\s+/i, '').trim();

/**
 * A signed-in user's password change: the new one under the password policy (each broken rule named),
 * the current one checked by Cognito under the lockout (a wrong one counts like a failed sign-in). Then
 * every sign-in of the account ends — this one too: Cognito cannot keep one refresh token through a
 * global sign-out — so whoever else knew the old password is out at once; the user signs in again.
 */
export const handler = createApiHandler(changePasswordRoute, async (request) => {
  const { principal, body } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const problems = passwordProblems(body.newPassword, 'body.newPassword');
  if (body.newPassword === body.currentPassword)
    problems.push({
      field: 'body.newPassword',
      code: 'password_unchanged',
      message: 'must differ from the current one',
    });
  if (problems.length > 0) throw validationFailed(problems);

  // The profile read is also the caller check (shared/data/caller-access.ts).
  const profile = await getProfile(principal.sub);
  if (!profile) throw notFound('Your profile');
  const lockout = await beginAttempt(request, profile.email, 'auth.changePassword');
  const outcome = await changePassword(
    bearerToken(request.headers.authorization),
    body.currentPassword,
    body.newPassword,
  );
  switch (outcome.kind) {
    case 'wrong_password':
      return failAttempt(
        request,
        lockout,
        'auth.changePassword',
        'wrong_credentials',
        validationFailed([
          { field: 'body.currentPassword', code: 'wrong_password', message: 'is not your current password' },
        ]),
      );
    case 'rejected_password':
      throw validationFailed([
        { field: 'body.newPassword', code: 'password_policy', message: 'does not meet the password policy' },
      ]);
    case 'limited':
      throw new ApiError('THROTTLED', 'Too many password changes; try again later.', {
        headers: { 'Retry-After': '60' },
      });
    case 'changed':
      break;
  }
  const audit = auditRecord(
    {
      ...userTarget(principal.sub),
      status: 204,
    },
    request,
  );
  await cutAllSignIns(principal.sub, systemClock.now(), audit);
  await signOutEverywhere(principal.sub);
  return noContent();
});
