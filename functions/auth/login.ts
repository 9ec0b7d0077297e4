import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { authRoutes } from '#contract/routes/auth.ts';
import { systemClock } from '#domain/clock.ts';
import { lockRemaining } from '#domain/lockout.ts';
import { signIn } from '#data/accounts.ts';
import { accountActive } from '#data/account-status.ts';
import { writeAudit } from '#data/audit-repository.ts';
import {
  clearLoginAttempts,
  countLoginFailure,
  getLoginAttempts,
  loginSubject,
} from '#data/login-attempts.ts';
import { ApiError } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';

const WRONG_CREDENTIALS = 'Incorrect e-mail or password.';

const locked = (seconds: number) =>
  new ApiError('ACCOUNT_LOCKED', 'Too many failed sign-ins. Try again later.', {
    headers: { 'Retry-After': String(seconds) },
  });

/**
 * Sign-in with lockout. The counter is keyed by a hash of the e-mail and consulted before Cognito, so
 * an unknown e-mail fails, counts and locks exactly like a known one. Failures and refusals are audited
 * under that pseudonym (no e-mail in the audit trail) and counted as metrics.
 */
export const handler = createApiHandler(authRoutes.login, async (request) => {
  const { email, password } = request.body;
  const subject = loginSubject(email);
  const audit = (status: number, reason: string) =>
    writeAudit(
      {
        action: 'auth.login',
        resourceType: 'session',
        subjectId: subject,
        outcome: 'denied',
        status,
        reason,
      },
      request,
      systemClock,
    );

  const nowSeconds = () => Math.floor(systemClock.now().getTime() / 1000);
  const before = await getLoginAttempts(subject);
  const remaining = lockRemaining(before?.attempts, nowSeconds());
  if (remaining > 0) {
    metrics.addMetric('LoginLocked', MetricUnit.Count, 1);
    await audit(429, 'locked');
    throw locked(remaining);
  }

  const outcome = await signIn(email, password);
  // A deactivated or erased account is refused like a wrong password, even where the identity provider
  // would still sign it in (cognito-local ignores disabled users; in AWS it is defence in depth).
  if (outcome.kind === 'signed_in' && !(await accountActive(outcome.tokens.accessToken))) {
    await audit(401, 'inactive');
    throw new ApiError('UNAUTHENTICATED', WRONG_CREDENTIALS);
  }
  if (outcome.kind === 'signed_in') {
    if (before) await clearLoginAttempts(subject);
    metrics.addMetric('LoginSucceeded', MetricUnit.Count, 1);
    return ok({ tokenType: 'Bearer', ...outcome.tokens });
  }
  if (outcome.kind === 'challenge') {
    // MFA and forced password changes need the managed login; the password itself was right.
    throw new ApiError(
      'UNAUTHENTICATED',
      `Sign-in needs another step (${outcome.challenge}); use the managed login.`,
    );
  }

  const after = await countLoginFailure(subject, systemClock);
  metrics.addMetric('LoginFailed', MetricUnit.Count, 1);
  const lockedNow = lockRemaining(after, nowSeconds());
  if (lockedNow > 0) {
    metrics.addMetric('AccountLocked', MetricUnit.Count, 1);
    await audit(429, 'locked_now');
    throw locked(lockedNow);
  }
  await audit(401, 'wrong_credentials');
  throw new ApiError('UNAUTHENTICATED', WRONG_CREDENTIALS);
});
