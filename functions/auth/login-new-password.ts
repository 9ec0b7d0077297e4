import { loginNewPasswordRoute } from '#contract/routes/auth.ts';
import { passwordProblems } from '#domain/password-policy.ts';
import { answerChallenge } from '#data/cognito/accounts.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { beginAttempt, finishStep, openStep } from './sign-in-flow.ts';

/**
 * The step of a sign-in whose password the operator set (a new admin's generated password, a reset):
 * the user chooses their own, under the password policy (each broken rule named), and the sign-in
 * continues — with tokens, or the TOTP step where it is due.
 */
export const handler = createApiHandler(loginNewPasswordRoute, async (request) => {
  const { session, newPassword } = request.body;
  const problems = passwordProblems(newPassword, 'body.newPassword');
  if (problems.length > 0) throw validationFailed(problems);
  const state = openStep(session, ['NEW_PASSWORD_REQUIRED']);
  const lockout = await beginAttempt(request, state.e, 'auth.loginNewPassword');
  const outcome = await answerChallenge(
    { challenge: 'NEW_PASSWORD_REQUIRED', newPassword },
    { session: state.s ?? '', username: state.u },
  );
  return finishStep(
    { request, email: state.e, lockout, action: 'auth.loginNewPassword', secondFactor: false },
    outcome,
  );
});
