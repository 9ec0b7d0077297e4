import { randomUUID } from 'node:crypto';
import {
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as LoginHandler from '../../functions/auth/login.ts';
import type * as LoginMfaHandler from '../../functions/auth/login-mfa.ts';
import { invoke, restEvent, type Handler } from '../unit/support/lambda.ts';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { enrolTotp, login, post, registerAccount } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { totpCode } from './support/totp.ts';

/**
 * TOTP MFA (docs/privacy.md, "Sign-in"). Through the local runtime, as far as cognito-local goes: a
 * signed-in user enrols an authenticator (associate + verify) and every later sign-in answers the
 * SOFTWARE_TOKEN_MFA step, continued with a code. In-process, where the emulator stops: the stage rule
 * that a role needs MFA (the API holds the tokens back and answers MFA_SETUP; cognito-local does this
 * part itself, but the stage's local config names no role), and Cognito's own MFA_SETUP of a pool that
 * requires MFA (cognito-local implements neither that challenge nor enrolment by session: those Cognito
 * calls are injected, everything else is the emulator's).
 */
describe('TOTP through the local runtime', () => {
  it('enrols an authenticator; every later sign-in asks for its code', async () => {
    const account = await registerAccount([], 'totp');
    // A secret to add to an authenticator app, as text and as the URI a QR code carries.
    const started = await api('/auth/mfa/totp', { method: 'POST', headers: bearer(account.accessToken) });
    expect(started.status).toBe(200);
    expect(started.json.otpauthUri).toMatch(
      new RegExp(`^otpauth://totp/.+\\?secret=${started.json.secretCode}&issuer=Mental%20Health%20Analytics`),
    );
    // A wrong first code changes nothing.
    const wrongFirst = await api('/auth/mfa/totp/verify', {
      method: 'POST',
      headers: { ...bearer(account.accessToken), 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: '000000' }),
    });
    expectEnvelope(wrongFirst, 400, 'VALIDATION_FAILED');
    expect((await login(account.email, account.password)).json).toHaveProperty('accessToken');

    const secret = await enrolTotp(account);
    const step = await login(account.email, account.password);
    expect(step.status).toBe(200);
    expect(step.json).toMatchObject({
      challenge: 'SOFTWARE_TOKEN_MFA',
      session: expect.any(String),
      expiresIn: 180,
    });
    expect(step.json).not.toHaveProperty('accessToken');

    // A modified session is not a step of this API; a wrong code is refused (and counted).
    const tampered = `${String(step.json.session).slice(0, -2)}AA`;
    expectEnvelope(
      await post('/auth/login/mfa', { session: tampered, code: totpCode(secret) }),
      400,
      'VALIDATION_FAILED',
    );
    const wrong = totpCode(secret) === '000000' ? '111111' : '000000';
    expectEnvelope(
      await post('/auth/login/mfa', { session: step.json.session, code: wrong }),
      401,
      'UNAUTHENTICATED',
    );

    const signedIn = await post('/auth/login/mfa', { session: step.json.session, code: totpCode(secret) });
    expect(signedIn.status, signedIn.text).toBe(200);
    expect((await api('/auth/me', { headers: bearer(signedIn.json.accessToken as string) })).status).toBe(
      200,
    );
  });
});

describe('in-process: where cognito-local stops', () => {
  let restoreEnv: () => void = () => undefined;
  let loginHandler: Handler;
  let mfaHandler: Handler;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    restoreEnv = pointAtEmulators({
      COGNITO_API_CLIENT_ID: inject('apiClientId'),
      CURSOR_SECRET: randomUUID() + randomUUID(),
      MFA_REQUIRED_ROLES: 'clinician,admin,auditor',
      ACCESS_TOKEN_MINUTES: '60',
    });
    loginHandler = ((await import('../../functions/auth/login.ts')) as typeof LoginHandler)
      .handler as unknown as Handler;
    mfaHandler = ((await import('../../functions/auth/login-mfa.ts')) as typeof LoginMfaHandler)
      .handler as unknown as Handler;
    cognito = (await import('#data/cognito/client.ts')).cognito;
  });
  afterAll(() => restoreEnv());

  const call = (handler: Handler, path: string, body: unknown) =>
    invoke(
      handler,
      restEvent({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        requestId: randomUUID(),
      }),
    );

  it('a role the stage requires MFA of: the tokens wait until the user has enrolled TOTP', async () => {
    const clinician = await registerAccount(['clinician'], 'mfa-role');
    const step = await call(loginHandler, '/auth/login', {
      email: clinician.email,
      password: clinician.password,
    });
    expect(step.statusCode, step.body).toBe(200);
    const challenge = step.json as Record<string, string>;
    expect(challenge).toMatchObject({ challenge: 'MFA_SETUP', secretCode: expect.any(String) });
    expect(challenge).not.toHaveProperty('accessToken');

    const done = await call(mfaHandler, '/auth/login/mfa', {
      session: challenge.session,
      code: totpCode(challenge.secretCode!),
    });
    expect(done.statusCode, done.body).toBe(200);
    const tokens = done.json as Record<string, string>;
    expect((await api('/auth/me', { headers: bearer(tokens.accessToken!) })).status).toBe(200);

    // Enrolled: the next sign-in asks for the code (Cognito does, as it will on every client).
    const next = await call(loginHandler, '/auth/login', {
      email: clinician.email,
      password: clinician.password,
    });
    expect(next.json).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA' });

    // A role the stage does not name signs in with the password alone.
    const employee = await registerAccount([], 'mfa-role-employee');
    const plain = await call(loginHandler, '/auth/login', {
      email: employee.email,
      password: employee.password,
    });
    expect(plain.json).toHaveProperty('accessToken');
  });

  it("a pool that requires MFA: Cognito's own MFA_SETUP, enrolled by session", async () => {
    const account = await registerAccount([], 'mfa-pool');
    // The tokens Cognito gives at the end of the setup: a real sign-in of the account.
    const real = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: inject('apiClientId'),
        AuthParameters: { USERNAME: account.email, PASSWORD: account.password },
      }),
    );
    // Cognito's side of the setup, which the emulator lacks: a secret per session, checked codes.
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const calls: string[] = [];
    const injected: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
      InitiateAuthCommand: () => ({
        ChallengeName: 'MFA_SETUP',
        Session: 'session-1',
        ChallengeParameters: { USER_ID_FOR_SRP: account.id },
      }),
      AssociateSoftwareTokenCommand: (input) => {
        expect(input).toEqual({ Session: 'session-1' });
        return { SecretCode: secret, Session: 'session-2' };
      },
      VerifySoftwareTokenCommand: (input) => {
        expect(input.Session).toBe('session-2');
        if (input.UserCode !== totpCode(secret))
          throw Object.assign(new Error('Invalid code'), { name: 'CodeMismatchException' });
        return { Status: 'SUCCESS', Session: 'session-3' };
      },
      RespondToAuthChallengeCommand: (input) => {
        expect(input).toMatchObject({ ChallengeName: 'MFA_SETUP', Session: 'session-3' });
        return { AuthenticationResult: real.AuthenticationResult };
      },
      SetUserMFAPreferenceCommand: () => ({}),
    };
    const name = `inject-${randomUUID()}`;
    cognito.middlewareStack.add(
      (next, context) => async (args) => {
        const fake = injected[context.commandName ?? ''];
        if (!fake) return next(args);
        calls.push(context.commandName!);
        return {
          output: { $metadata: {}, ...fake(args.input as Record<string, unknown>) },
          response: {},
        } as Awaited<ReturnType<typeof next>>;
      },
      { step: 'initialize', name },
    );
    try {
      const step = await call(loginHandler, '/auth/login', {
        email: account.email,
        password: account.password,
      });
      const challenge = step.json as Record<string, string>;
      expect(challenge).toMatchObject({ challenge: 'MFA_SETUP', secretCode: secret });
      expect(challenge.otpauthUri).toContain(`secret=${secret}`);

      const wrong = await call(mfaHandler, '/auth/login/mfa', { session: challenge.session, code: '000000' });
      expect(wrong.statusCode).toBe(401);
      const done = await call(mfaHandler, '/auth/login/mfa', {
        session: challenge.session,
        code: totpCode(secret),
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json).toMatchObject({
        tokenType: 'Bearer',
        accessToken: real.AuthenticationResult!.AccessToken,
      });
      expect(calls).toEqual([
        'InitiateAuthCommand',
        'AssociateSoftwareTokenCommand',
        'VerifySoftwareTokenCommand',
        'VerifySoftwareTokenCommand',
        'RespondToAuthChallengeCommand',
        'SetUserMFAPreferenceCommand',
      ]);
    } finally {
      cognito.middlewareStack.remove(name);
    }
  });
});
