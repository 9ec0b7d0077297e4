import { createPrivateKey, createSign, generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import type { Group } from '#contract/identity.ts';

let client: CognitoIdentityProviderClient | undefined;
const cognito = () =>
  (client ??= new CognitoIdentityProviderClient({
    endpoint: inject('cognitoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }));

export interface TestUser {
  email: string;
  sub: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

const decodePayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A fresh user per test (parallel-safe), signed in through cognito-local with USER_PASSWORD_AUTH. */
export const createSignedInUser = async (groups: Group[] = []): Promise<TestUser> => {
  const userPoolId = inject('userPoolId');
  const email = `user-${randomUUID()}@example.com`;
  const password = `Pw-${randomUUID()}-Aa1!`;
  await cognito().send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito().send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  for (const group of groups) {
    await cognito().send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
    );
  }
  const auth = await cognito().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: inject('apiClientId'),
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const result = auth.AuthenticationResult;
  if (!result?.AccessToken || !result.IdToken || !result.RefreshToken)
    throw new Error('sign-in returned no tokens');
  return {
    email,
    sub: String(decodePayload(result.AccessToken).sub),
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken,
  };
};

export { decodePayload };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Re-signs a real token's claims with a key the pool never published (same kid): a forgery. */
export const forgeWithForeignKey = (realToken: string): string => {
  const [header, payload] = realToken.split('.') as [string, string];
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(privateKey)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
};

/** The classic `alg: none` attack: the real claims, no signature. */
export const unsignedToken = (realToken: string): string => {
  const payload = decodePayload(realToken);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
};

/** The real header and signature with one claim changed (e.g. a different sub): signature no longer matches. */
export const tamperClaims = (realToken: string, changes: Record<string, unknown>): string => {
  const [header, , signature] = realToken.split('.') as [string, string, string];
  return `${header}.${b64({ ...decodePayload(realToken), ...changes })}.${signature}`;
};

const require = createRequire(import.meta.url);

/**
 * cognito-local signs with a fixed key that ships in its package. Signing with that same key lets a test
 * build tokens that pass the signature check and fail only the claim it is about (expiry, issuer,
 * client), so each check is proven on its own.
 */
export const signWithCognitoLocalKey = (claims: Record<string, unknown>): string => {
  const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(readFileSync(file, 'utf8')) as { jwk: JsonWebKey };
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const signingInput = `${b64({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' })}.${b64(claims)}`;
  return `${signingInput}.${createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url')}`;
};
