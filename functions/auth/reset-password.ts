import { resetPasswordRoute } from '#contract/routes/auth.ts';
import { systemClock } from '#domain/clock.ts';
import { passwordProblems } from '#domain/password-policy.ts';
import { confirmPasswordReset, subOfEmail } from '#data/cognito/accounts.ts';
import { signOutEverywhere } from '#data/cognito/users.ts';
import { cutAllSignIns } from '#data/account-sessions.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { TransactionFailedError } from '#data/dynamodb/transaction.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler, noContent } from '#http/handler-factory.ts';
import { beginAttempt, failAttempt } from './sign-in-flow.ts';

/**
 * Sets a new password with the e-mailed code (POST /auth/password/forgot). The new password is checked
 * against the policy first (each broken rule named); a wrong, expired or unknown code — or an address
 * without an account — is one 400 that counts in the lockout, so codes cannot be guessed. A reset ends
 * every sign-in of the account: whoever had the old password is out.
 */
export const handler = createApiHandler(resetPasswordRoute, async (request) => {
  const { email, code, newPassword } = request.body;
  const problems = passwordProblems(newPassword, 'body.newPassword');
  if (problems.length > 0) throw validationFailed(problems);
  const lockout = await beginAttempt(request, email, 'auth.resetPassword');
  const outcome = await confirmPasswordReset(email, code, newPassword);
  if (outcome.kind === 'rejected_password')
    throw validationFailed([
      { field: 'body.newPassword', code: 'password_policy', message: 'does not meet the password policy' },
    ]);
  if (outcome.kind === 'invalid_code')
    return failAttempt(
      request,
      lockout,
      'auth.resetPassword',
      'wrong_code',
      validationFailed([{ field: 'body.code', code: 'invalid_code', message: 'is wrong or has expired' }]),
    );

  const sub = await subOfEmail(email);
  const event = {
    resourceType: 'user',
    outcome: 'allowed',
    status: 204,
    ...(sub ? { resourceId: sub, subjectId: sub } : { subjectId: lockout.subject }),
  } as const;
  if (sub) {
    await cutAllSignIns(sub, systemClock.now(), auditRecord(event, request)).catch(async (error: unknown) => {
      // An account without a profile (an operator's, half made): nothing to cut on our side.
      if (!(error instanceof TransactionFailedError && error.failed('profile'))) throw error;
      await writeAudit(event, request);
    });
    await signOutEverywhere(sub);
  } else await writeAudit(event, request);
  return noContent();
});
