import { loginMfaRoute } from '#contract/routes/auth.ts';
import { answerChallenge, preferTotp, verifyTotp } from '#data/cognito/accounts.ts';
import { writeAudit } from '#data/audit-repository.ts';
import { factsOfIssuedToken } from '#data/cognito/issued-token.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { beginAttempt, completeWithTokens, finishStep, openStep } from './sign-in-flow.ts';

/**
 * The TOTP step of a sign-in (sign-in-flow.ts): the code of the user's authenticator
 * (SOFTWARE_TOKEN_MFA), or the first code of the authenticator being set up (MFA_SETUP), which puts
 * TOTP in force for every later sign-in. A wrong code counts like a wrong password.
 */
export const handler = createApiHandler(loginMfaRoute, async (request) => {
  const { session, code } = request.body;
  const state = openStep(session, ['SOFTWARE_TOKEN_MFA', 'MFA_SETUP']);
  const lockout = await beginAttempt(request, state.e, 'auth.loginMfa');
  const step = { request, email: state.e, lockout, action: 'auth.loginMfa', secondFactor: true };
  const context = { session: state.s ?? '', username: state.u };

  if (state.c === 'SOFTWARE_TOKEN_MFA')
    return finishStep(step, await answerChallenge({ challenge: 'SOFTWARE_TOKEN_MFA', code }, context));

  // MFA_SETUP: the new authenticator's first code, checked by Cognito.
  const verified = await verifyTotp(
    state.t ? { accessToken: state.t.accessToken } : { session: context.session },
    code,
  );
  if (verified.kind !== 'verified') return finishStep(step, verified);
  const enabled = async (accessToken: string) => {
    await preferTotp(accessToken);
    const sub = factsOfIssuedToken(accessToken)?.sub;
    await writeAudit(
      {
        action: 'auth.totpVerify',
        resourceType: 'mfa',
        ...(sub ? { resourceId: sub, subjectId: sub } : {}),
        status: 200,
        reason: 'sign_in',
      },
      request,
    );
  };
  if (state.t) {
    // Tokens the stage's role rule held back: theirs now, with TOTP in force.
    await enabled(state.t.accessToken);
    return completeWithTokens(step, state.t);
  }
  const outcome = await answerChallenge(
    { challenge: 'MFA_SETUP' },
    { ...context, session: verified.session ?? context.session },
  );
  if (outcome.kind === 'signed_in') await enabled(outcome.tokens.accessToken);
  return finishStep(step, outcome);
});
