import { loginRoute } from '#contract/routes/auth.ts';
import { signIn } from '#data/cognito/accounts.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { beginAttempt, finishStep } from './sign-in-flow.ts';

/**
 * Sign-in with lockout (sign-in-flow.ts). The counters are keyed by a hash of the e-mail and the
 * caller's address and consulted before Cognito, so an unknown e-mail fails, counts and locks exactly
 * like a known one; a lock set from one address does not keep the owner out from theirs. Answers
 * tokens, or the next step with a session to continue it (200 either way: the password was right).
 */
export const handler = createApiHandler(loginRoute, async (request) => {
  const { email, password } = request.body;
  const lockout = await beginAttempt(request, email, 'auth.login');
  const again = () => signIn(email, password);
  return finishStep(
    { request, email, lockout, action: 'auth.login', secondFactor: false, again },
    await again(),
  );
});
