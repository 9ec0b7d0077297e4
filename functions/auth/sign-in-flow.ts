import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { sessionAccess, waitForCut } from '#domain/account-access.ts';
import type { AuditEvent, AuditRequestContext } from '#domain/audit.ts';
import { systemClock } from '#domain/clock.ts';
import { signInLock } from '#domain/lockout.ts';
import {
  associateTotp,
  type ChallengeOutcome,
  type IssuedTokens,
  type SignInChallenge,
  type SignInOutcome,
} from '#data/cognito/accounts.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { readAccessRecord } from '#data/caller-access.ts';
import { factsOfIssuedToken } from '#data/cognito/issued-token.ts';
import {
  addressOf,
  countFailure,
  loginSubject,
  readLockout,
  recordSignIn,
  type Lockout,
} from '#data/login-attempts.ts';
import { parseGroups } from '#http/claims.ts';
import { ApiError, validationFailed } from '#http/errors.ts';
import { ok } from '#http/responses.ts';
import { createSealer } from '#http/sealed.ts';
import type { ApiResult } from '#http/types.ts';
import { metrics } from '#observability/powertools.ts';

/**
 * The sign-in as the /auth/login* routes carry it, step by step (docs/privacy.md, "Sign-in"):
 *
 *   password ─→ tokens
 *            └→ SOFTWARE_TOKEN_MFA ─(code)─→ tokens
 *            └→ NEW_PASSWORD_REQUIRED ─(new password)─→ tokens or a further step
 *            └→ MFA_SETUP ─(code of the new authenticator)─→ tokens
 *
 * Every step answers 200 with tokens or with the next step and a sealed `session` to continue it; every
 * step is under the lockout (a wrong password, a wrong code count alike) and audited under the e-mail's
 * pseudonym, a completed sign-in under the user. MFA_SETUP comes from Cognito where the pool requires
 * MFA, or from the API where the stage requires it of the user's roles and the pool does not (Cognito
 * then issued tokens without a second factor: the API holds them back, sealed in the session, until the
 * user has enrolled TOTP).
 */

/** What the flow needs of a request: who and where from, for the lockout and the audit records. */
type Request = AuditRequestContext;

const WRONG_CREDENTIALS = 'Incorrect e-mail or password.';

const nowSeconds = () => Math.floor(systemClock.now().getTime() / 1000);

const locked = (seconds: number) =>
  new ApiError('ACCOUNT_LOCKED', 'Too many failed attempts. Try again later.', {
    headers: { 'Retry-After': String(seconds) },
  });

/** How long a sealed step lasts: Cognito's sessions live three minutes; held tokens no longer either. */
const STEP_SECONDS = 180;

interface StepState {
  /** The step due. */
  c: SignInChallenge;
  /** The e-mail signing in (lockout and audit pseudonym). */
  e: string;
  /** Cognito's user name for the answers. */
  u: string;
  /** Cognito's session, for steps Cognito runs. */
  s?: string;
  /** Tokens held back until TOTP is enrolled (the stage's role rule). */
  t?: IssuedTokens;
  /** Epoch second the step expires. */
  x: number;
}

const steps = createSealer('sign-in-step-v1');
const STEP_SCOPE = 'auth.sign-in-step';

const invalidSession = () =>
  validationFailed([
    {
      field: 'body.session',
      code: 'invalid_session',
      message: 'is not a sign-in step of this API, or expired',
    },
  ]);

/** The step a sealed session continues; anything else (modified, foreign, expired) is a 400. */
export const openStep = (session: string, expected: readonly SignInChallenge[]): StepState => {
  const state = steps.open(session, STEP_SCOPE) as StepState | undefined;
  if (!state || typeof state.x !== 'number' || state.x < nowSeconds() || !expected.includes(state.c))
    throw invalidSession();
  return state;
};

const stepAnswer = (state: Omit<StepState, 'x'>, secret?: string): ApiResult => {
  const body = {
    challenge: state.c,
    session: steps.seal({ ...state, x: nowSeconds() + STEP_SECONDS }, STEP_SCOPE),
    expiresIn: STEP_SECONDS,
    ...(secret
      ? {
          secretCode: secret,
          otpauthUri: `otpauth://totp/${encodeURIComponent(`${ISSUER}:${state.e}`)}?secret=${secret}&issuer=${encodeURIComponent(ISSUER)}`,
        }
      : {}),
  };
  return ok(body);
};

/** The name authenticator apps show for our entries. */
export const ISSUER = `Mental Health Analytics (${runtimeEnv().stage})`;

/** Audits a refused step under the e-mail's pseudonym: no e-mail in the audit trail. */
const auditStep = (request: Request, lockout: Lockout, action: string, status: number, reason: string) =>
  writeAudit(
    { action, resourceType: 'session', subjectId: lockout.subject, outcome: 'denied', status, reason },
    request,
  );

/**
 * The counters of this e-mail from the caller's address; a locked pair is refused (429 + Retry-After)
 * before anything is checked, for a known and an unknown address alike.
 */
export const beginAttempt = async (request: Request, email: string, action: string): Promise<Lockout> => {
  const lockout = await readLockout(loginSubject(email), addressOf(request.sourceIp));
  const remaining = signInLock(lockout.state, lockout.address, nowSeconds());
  if (remaining > 0) {
    metrics.addMetric('LoginLocked', MetricUnit.Count, 1);
    await auditStep(request, lockout, action, 429, 'locked');
    throw locked(remaining);
  }
  return lockout;
};

/** Counts a failure (audited with it) and answers 401 — or 429 when this failure locked the pair. */
export const failAttempt = async (
  request: Request,
  lockout: Lockout,
  action: string,
  reason: string,
  answer: ApiError = new ApiError('UNAUTHENTICATED', WRONG_CREDENTIALS),
): Promise<never> => {
  let lockedNow = 0;
  await countFailure(lockout, systemClock, (state) => {
    lockedNow = signInLock(state, lockout.address, nowSeconds());
    const event: AuditEvent = {
      action,
      resourceType: 'session',
      subjectId: lockout.subject,
      outcome: 'denied',
      status: lockedNow > 0 ? 429 : answer.statusCode,
      reason: lockedNow > 0 ? 'locked_now' : reason,
    };
    return auditRecord(event, request);
  });
  metrics.addMetric('LoginFailed', MetricUnit.Count, 1);
  if (lockedNow > 0) {
    metrics.addMetric('AccountLocked', MetricUnit.Count, 1);
    throw locked(lockedNow);
  }
  throw answer;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SignInStep {
  request: Request;
  email: string;
  lockout: Lockout;
  action: string;
  /** Whether this sign-in already passed a TOTP step (the role rule is then met). */
  secondFactor: boolean;
  /** A fresh password sign-in, for the rare tokens issued in the second of a global sign-out. */
  again?: () => Promise<SignInOutcome>;
}

/**
 * Tokens Cognito just issued: handed out only for an active account whose sign-outs they survive, and
 * only with a second factor where the stage requires one of the user's roles.
 */
export const completeWithTokens = async (step: SignInStep, tokens: IssuedTokens): Promise<ApiResult> => {
  const facts = factsOfIssuedToken(tokens.accessToken);
  if (!facts) throw new Error('Cognito issued an access token without sub or sign-in facts');
  const record = await readAccessRecord(facts.sub);
  // A closed account is refused like a wrong password (the emulator signs disabled users in).
  if (!record || record.state !== 'active') {
    await auditStep(step.request, step.lockout, step.action, 401, 'inactive');
    throw new ApiError('UNAUTHENTICATED', WRONG_CREDENTIALS);
  }
  if (!sessionAccess(record, facts.session).allowed) {
    // Issued in the very second of a global sign-out: a password sign-in waits out what is left of that
    // second (nothing, when a slow answer from Cognito already took us past it) and signs in again; a
    // step that cannot be repeated asks for a new sign-in.
    const wait = waitForCut(record, systemClock.now());
    if (step.again && wait <= 1_000) {
      await sleep(wait);
      return finishStep({ ...step, again: undefined }, await step.again());
    }
    throw new ApiError('UNAUTHENTICATED', 'This sign-in was ended meanwhile; sign in again.');
  }
  const required = runtimeEnv().mfaRequiredRoles;
  if (!step.secondFactor && parseGroups(facts.groupsClaim).some((role) => required.includes(role))) {
    const { secret } = await associateTotp({ accessToken: tokens.accessToken });
    return stepAnswer({ c: 'MFA_SETUP', e: step.email, u: facts.sub, t: tokens }, secret);
  }
  await recordSignIn(
    step.lockout,
    systemClock,
    auditRecord(
      {
        action: 'auth.login',
        resourceType: 'session',
        resourceId: facts.session.originId,
        subjectId: facts.sub,
        status: 200,
        ...(step.secondFactor ? { reason: 'totp' } : {}),
      },
      step.request,
    ),
  );
  metrics.addMetric('LoginSucceeded', MetricUnit.Count, 1);
  return ok({ tokenType: 'Bearer', ...tokens });
};

/** The answer to a step's outcome: tokens, the next step, or the refusal (counted where it is one). */
export const finishStep = async (step: SignInStep, outcome: ChallengeOutcome): Promise<ApiResult> => {
  switch (outcome.kind) {
    case 'signed_in':
      return completeWithTokens(step, outcome.tokens);
    case 'wrong_credentials':
      return failAttempt(step.request, step.lockout, step.action, 'wrong_credentials');
    case 'wrong_code':
      return failAttempt(
        step.request,
        step.lockout,
        step.action,
        'wrong_code',
        new ApiError('UNAUTHENTICATED', 'The code is not right; try the current one.'),
      );
    case 'session_expired':
      throw new ApiError('UNAUTHENTICATED', 'This sign-in step has expired; sign in again.');
    case 'rejected_password':
      throw validationFailed([
        { field: 'body.newPassword', code: 'password_policy', message: 'does not meet the password policy' },
      ]);
    case 'unsupported_challenge':
      throw new ApiError(
        'UNAUTHENTICATED',
        `Sign-in needs a step this API does not offer (${outcome.challenge}); use the managed login.`,
      );
    case 'challenge': {
      const state = { c: outcome.challenge, e: step.email, u: outcome.username, s: outcome.session };
      if (outcome.challenge !== 'MFA_SETUP') return stepAnswer(state);
      // The pool requires MFA and the user has none: the secret comes with the step.
      const { secret, session } = await associateTotp({ session: outcome.session });
      return stepAnswer({ ...state, s: session ?? outcome.session }, secret);
    }
  }
};
