import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import type { Group } from '#contract/identity.ts';
import { api, bearer } from './api.ts';
import { totpCode } from './totp.ts';

export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

let client: CognitoIdentityProviderClient | undefined;
const cognito = () =>
  (client ??= new CognitoIdentityProviderClient({
    endpoint: inject('cognitoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }));

export const strongPassword = () => `Pw-${randomUUID().slice(0, 8)}-Aa1!`;
export const uniqueEmail = (label = 'user') => `${label}-${randomUUID()}@example.com`;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

export const login = async (email: string, password: string) => post('/auth/login', { email, password });

/**
 * A real account made the way users make them: POST /auth/register, then (for extra roles) the groups an
 * admin would assign, then POST /auth/login so the tokens carry those groups.
 */
export const registerAccount = async (groups: Group[] = [], label = 'user'): Promise<Account> => {
  const email = uniqueEmail(label);
  const password = strongPassword();
  const registered = await post('/auth/register', { email, password, fullName: `Test ${label}` });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${registered.text}`);
  for (const group of groups) {
    await cognito().send(
      new AdminAddUserToGroupCommand({ UserPoolId: inject('userPoolId'), Username: email, GroupName: group }),
    );
  }
  const signedIn = await login(email, password);
  if (signedIn.status !== 200) throw new Error(`login failed: ${signedIn.status} ${signedIn.text}`);
  const tokens = signedIn.json as { accessToken: string; idToken: string; refreshToken: string };
  return { id: (registered.json as { id: string }).id, email, password, ...tokens };
};

/**
 * Sets up TOTP for the account as its owner would (POST /auth/mfa/totp, then the first code at
 * /verify) and returns the secret, so the test can play the authenticator app.
 */
export const enrolTotp = async (account: Account): Promise<string> => {
  const started = await post('/auth/mfa/totp', {}, bearer(account.accessToken));
  if (started.status !== 200) throw new Error(`totp: ${started.status} ${started.text}`);
  const secret = (started.json as { secretCode: string }).secretCode;
  const verified = await post(
    '/auth/mfa/totp/verify',
    { code: totpCode(secret) },
    bearer(account.accessToken),
  );
  if (verified.status !== 204) throw new Error(`totp verify: ${verified.status} ${verified.text}`);
  return secret;
};

/** What the operator's reset-password does in Cognito: a temporary password, changed at next sign-in. */
export const setTemporaryPassword = async (email: string, password: string): Promise<void> => {
  await cognito().send(
    new AdminSetUserPasswordCommand({
      UserPoolId: inject('userPoolId'),
      Username: email,
      Password: password,
      Permanent: false,
    }),
  );
};

/** A client-credentials token from the local token endpoint, as an analysis pipeline gets one. */
export const machineToken = async (scope?: string): Promise<string> => {
  const state = (await import('node:fs')).readFileSync(inject('localStateFile'), 'utf8');
  const { machineClientId, machineClientSecret } = JSON.parse(state) as Record<string, string>;
  const response = await api('/oauth2/token', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${machineClientId}:${machineClientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${response.text}`);
  return (response.json as { access_token: string }).access_token;
};

export { post };
