import './support/test-env.ts';
import type {
  Context,
  CustomMessageTriggerEvent,
  PreSignUpTriggerEvent,
  PreSignUpTriggerHandler,
} from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from './support/lambda.ts';

/**
 * The pre sign-up trigger is pure given its environment. `runtimeEnv()` reads process.env once per
 * module graph, so each case sets the variables and imports a fresh copy of the handler.
 */
const loadPreSignUp = async (env: { allowedEmailDomains: string; autoConfirm: 'true' | 'false' }) => {
  vi.resetModules();
  vi.stubEnv('ALLOWED_EMAIL_DOMAINS', env.allowedEmailDomains);
  vi.stubEnv('AUTO_CONFIRM', env.autoConfirm);
  return import('../../functions/triggers/pre-sign-up.ts');
};
afterEach(() => {
  vi.unstubAllEnvs();
});

const preSignUpEvent = (
  email: string,
  triggerSource: PreSignUpTriggerEvent['triggerSource'] = 'PreSignUp_SignUp',
): PreSignUpTriggerEvent =>
  ({
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_TestPool',
    triggerSource,
    userName: 'b1d2e3f4-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'web-client-id' },
    request: { userAttributes: { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  }) as PreSignUpTriggerEvent;

// The aws-lambda Handler type allows a callback style; ours is async and ignores the callback.
const run = (
  handler: PreSignUpTriggerHandler,
  event: PreSignUpTriggerEvent,
  context: Context = lambdaContext(),
) => handler(event, context, () => undefined) as Promise<PreSignUpTriggerEvent>;

describe('pre sign-up trigger', () => {
  it('lets an allowed domain through and auto-confirms + verifies where the stage auto-confirms', async () => {
    const { handler } = await loadPreSignUp({ allowedEmailDomains: 'example.com', autoConfirm: 'true' });
    const result = await run(handler, preSignUpEvent('new.user@example.com'));
    expect(result.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
  });

  it('lets an allowed domain through unconfirmed where the stage e-mails a code', async () => {
    const { handler } = await loadPreSignUp({ allowedEmailDomains: 'example.com', autoConfirm: 'false' });
    const result = await run(handler, preSignUpEvent('new.user@example.com'));
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });

  it('matches the domain exactly and case-insensitively, against every configured domain', async () => {
    const { handler } = await loadPreSignUp({
      allowedEmailDomains: 'example.com, Corp.Example.org',
      autoConfirm: 'true',
    });
    await expect(run(handler, preSignUpEvent('A.User@EXAMPLE.COM'))).resolves.toMatchObject({
      response: { autoConfirmUser: true },
    });
    await expect(run(handler, preSignUpEvent('b@corp.example.org'))).resolves.toMatchObject({
      response: { autoConfirmUser: true },
    });
  });

  it.each([
    ['another domain', 'someone@gmail.com'],
    ['a subdomain of an allowed one', 'someone@mail.example.com'],
    ['an allowed domain as a suffix of another', 'someone@notexample.com'],
    ['an allowed domain in the local part', 'example.com@evil.test'],
    ['no e-mail at all', ''],
  ])('refuses %s (on self sign-up and on a federated first sign-in)', async (_case, email) => {
    const { handler, DOMAIN_NOT_ALLOWED } = await loadPreSignUp({
      allowedEmailDomains: 'example.com',
      autoConfirm: 'true',
    });
    for (const source of ['PreSignUp_SignUp', 'PreSignUp_ExternalProvider'] as const) {
      const event = preSignUpEvent(email, source);
      await expect(run(handler, event)).rejects.toThrow(DOMAIN_NOT_ALLOWED);
      expect(event.response.autoConfirmUser).toBe(false);
    }
  });

  it('does not name the allowed domains in the refusal Cognito shows the user', async () => {
    const { DOMAIN_NOT_ALLOWED } = await loadPreSignUp({
      allowedEmailDomains: 'example.com',
      autoConfirm: 'false',
    });
    expect(DOMAIN_NOT_ALLOWED).not.toContain('example.com');
  });

  it('leaves users an operator creates (AdminCreateUser) alone: no domain rule, no auto-confirmation', async () => {
    const { handler } = await loadPreSignUp({ allowedEmailDomains: 'example.com', autoConfirm: 'true' });
    const result = await run(handler, preSignUpEvent('operator@partner.test', 'PreSignUp_AdminCreateUser'));
    expect(result.response).toEqual({
      autoConfirmUser: false,
      autoVerifyEmail: false,
      autoVerifyPhone: false,
    });
  });
});

describe('custom message trigger', () => {
  const messageEvent = (
    triggerSource: CustomMessageTriggerEvent['triggerSource'],
    clientMetadata?: Record<string, string>,
  ): CustomMessageTriggerEvent =>
    ({
      version: '1',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_TestPool',
      triggerSource,
      userName: 'b1d2e3f4-0000-4000-8000-000000000001',
      callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'api-client-id' },
      request: {
        userAttributes: { email: 'owner@example.com' },
        codeParameter: '{####}',
        linkParameter: '{##Click here##}',
        usernameParameter: null,
        ...(clientMetadata ? { clientMetadata } : {}),
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    }) as CustomMessageTriggerEvent;
  const runMessage = async (event: CustomMessageTriggerEvent) => {
    const { handler } = await import('../../functions/triggers/custom-message.ts');
    return (await handler(event, lambdaContext(), () => undefined)) as CustomMessageTriggerEvent;
  };

  it('words the notice a registration of a taken address sends its owner, with Cognito’s code placeholder', async () => {
    const event = await runMessage(
      messageEvent('CustomMessage_ForgotPassword', { purpose: 'registration_attempt' }),
    );
    expect(event.response.emailSubject).toMatch(/tried to create an account/);
    expect(event.response.emailMessage).toContain('{####}');
    expect(event.response.emailMessage).toMatch(/already have an account/);
    // Nothing of the person in the text: the address is Cognito's to fill, not ours.
    expect(event.response.emailMessage).not.toContain('owner@example.com');
  });

  it.each([
    ['a reset the user asked for', 'CustomMessage_ForgotPassword', { purpose: 'password_reset' }],
    ['a reset without a purpose', 'CustomMessage_ForgotPassword', undefined],
    ['a sign-up confirmation', 'CustomMessage_SignUp', { purpose: 'registration_attempt' }],
  ] as const)('leaves Cognito’s own message for %s', async (_case, source, metadata) => {
    const event = await runMessage(messageEvent(source, metadata));
    expect(event.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });
});
