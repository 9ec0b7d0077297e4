import {
  createPrivateKey,
  createSign,
  randomUUID,
  timingSafeEqual,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * LOCAL ONLY: the OAuth2 client-credentials token endpoint that Cognito's managed domain provides in
 * AWS (`https://<domain>/oauth2/token`) and cognito-local lacks. It issues access tokens of the same
 * shape Cognito gives machine clients (sub = client_id, token_use = access, the granted scopes, no
 * username) and signs them with cognito-local's own key, so the local gateway verifies them with the
 * same verifier and JWKS as user tokens: one code path for both.
 */

const require = createRequire(import.meta.url);
const KID = 'CognitoLocal';
const TOKEN_SECONDS = 3600;

let signingKey: KeyObject | undefined;
/** cognito-local signs with a fixed RSA key shipped in its package; its JWKS publishes the public half. */
export const cognitoLocalSigningKey = (): KeyObject => {
  if (!signingKey) {
    const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
    const { jwk } = JSON.parse(readFileSync(file, 'utf8')) as { jwk: JsonWebKey };
    signingKey = createPrivateKey({ key: jwk, format: 'jwk' });
  }
  return signingKey;
};

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const signLikeCognitoLocal = (claims: Record<string, unknown>): string => {
  const input = `${b64url({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64url(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(cognitoLocalSigningKey()).toString('base64url')}`;
};

export interface MachineClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string): TokenResponse => ({ status, body: { error } });

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Handles `POST /oauth2/token` (application/x-www-form-urlencoded, client authentication by HTTP Basic
 * or client_id/client_secret in the body), answering like Cognito: `access_token`, `expires_in`,
 * `token_type`, or an OAuth error (`invalid_client`, `unsupported_grant_type`, `invalid_scope`).
 */
export const issueMachineToken = (
  request: { authorization: string | undefined; contentType: string | undefined; body: string },
  options: { issuer: string; clients: readonly MachineClient[]; now?: () => number },
): TokenResponse => {
  if (!/^application\/x-www-form-urlencoded/i.test(request.contentType ?? '')) {
    return oauthError(400, 'invalid_request');
  }
  const form = new URLSearchParams(request.body);
  let clientId = form.get('client_id') ?? '';
  let clientSecret = form.get('client_secret') ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(request.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, separator));
    clientSecret = decodeURIComponent(decoded.slice(separator + 1));
  }
  const client = options.clients.find((c) => c.clientId === clientId);
  if (!client || !client.clientSecret || !sameSecret(client.clientSecret, clientSecret)) {
    return oauthError(401, 'invalid_client');
  }
  if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
  const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
  if (requested.some((scope) => !client.scopes.includes(scope))) return oauthError(400, 'invalid_scope');
  const scopes = requested.length > 0 ? requested : client.scopes;

  const now = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const accessToken = signLikeCognitoLocal({
    sub: client.clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: options.issuer,
    exp: now + TOKEN_SECONDS,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  });
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: TOKEN_SECONDS, token_type: 'Bearer' },
  };
};
