import { forgotPasswordRoute } from '#contract/routes/auth.ts';
import { systemClock } from '#domain/clock.ts';
import { requestPasswordReset } from '#data/cognito/accounts.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { countFailure } from '#data/login-attempts.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { beginAttempt } from './sign-in-flow.ts';

/** The one answer, whether or not the address has an account. */
export const RESET_REQUESTED = {
  message: 'If this address has an account, a code to set a new password is on its way to it.',
};

/**
 * Sends a password-reset code to the address by e-mail (locally it appears in the `npm start` output),
 * if it has an account; the answer is the same 202 either way, after the same work (one Cognito call,
 * one write). Each request counts in the lockout like a failed attempt, so neither codes nor e-mails
 * can be asked for without end; a locked address gets 429, for a known and an unknown e-mail alike.
 */
export const handler = createApiHandler(forgotPasswordRoute, async (request) => {
  const { email } = request.body;
  const lockout = await beginAttempt(request, email, 'auth.forgotPassword');
  await requestPasswordReset(email, 'password_reset');
  await countFailure(lockout, systemClock, () =>
    auditRecord(
      {
        resourceType: 'session',
        subjectId: lockout.subject,
        status: 202,
      },
      request,
    ),
  );
  return { statusCode: 202, body: RESET_REQUESTED };
});
