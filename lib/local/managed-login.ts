import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.ts';

/**
 * LOCAL ONLY: a stand-in for the Cognito managed login that the console signs in through in AWS —
 * the authorization code flow with PKCE (S256), as the web client uses it there:
 *
 *   GET  /oauth2/authorize   the sign-in page (e-mail and password), labelled as a local stand-in
 *   POST /oauth2/authorize   the password step, then the TOTP step when the account has an
 *                            authenticator; on success a redirect to the callback with a one-time code
 *   POST /oauth2/token       grant_type=authorization_code (code + PKCE verifier) or refresh_token
 *   GET  /logout             back to the console's logout URL
 *
 * The sign-in itself is cognito-local's (through the local Cognito proxy): USER_PASSWORD_AUTH and
 * SOFTWARE_TOKEN_MFA on a local web client, so the tokens are the pool's real tokens, verified by the
 * gateway like any other; nothing here signs a token. What is ours is only what the managed domain
 * adds around that: the pages, the code, the PKCE check and the redirect URI rules. The same pattern
 * as the client-credentials endpoint (machine-tokens.ts).
 */

export const AUTHORIZE_PATH = '/oauth2/authorize';
export const LOGOUT_PATH = '/logout';

/** A code is good once, for this long (Cognito's are good for five minutes). */
const CODE_SECONDS = 300;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  tokens: AuthenticationResultType;
  expiresAt: number;
}

interface PendingStep {
  session: string;
  username: string;
  request: AuthorizeRequest;
  expiresAt: number;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
  scope: string;
}

export interface StandInAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON out … */
  body?: unknown;
  /** … or a page. */
  html?: string;
}

const STYLE = `*{box-sizing:border-box}body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
.banner{background:#7a4a00;color:#fff;padding:.5rem .75rem;border-radius:4px;font-weight:600}
label{display:block;margin-top:1rem}input{font:inherit;width:100%;padding:.5rem;border:1px solid #4a5360;border-radius:4px}
button{font:inherit;margin-top:1.25rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;min-height:44px}
.error{border-left:4px solid #a4161a;padding:.25rem .75rem}:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const page = (title: string, body: string, formTarget: string): StandInAnswer => ({
  status: 200,
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No script at all; the one stylesheet by its hash; the form may post here and be redirected to
    // the console (Chromium applies form-action to the redirect too).
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self' ${formTarget}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  },
  html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — local sign-in</title><style>${STYLE}</style></head><body><main>
<p class="banner" role="note">LOCAL ONLY — a stand-in for the Cognito managed login, served by <code>npm start</code>. Never deployed.</p>
<h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
});

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');

const oauthError = (status: number, error: string, description?: string): StandInAnswer => ({
  status,
  body: { error, ...(description ? { error_description: description } : {}) },
});

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export interface ManagedLoginOptions {
  /** The local Cognito endpoint (the proxy in front of cognito-local). */
  cognitoEndpoint: string;
  /** The web client: the only client this stand-in serves. */
  webClientId: string;
  /** Exact redirect URIs allowed (the console's /auth/callback). */
  callbackUrls: () => readonly string[];
  /** Exact logout URIs allowed (the console's front page). */
  logoutUrls: () => readonly string[];
  now?: () => number;
}

export interface ManagedLogin {
  authorizePage(query: URLSearchParams): StandInAnswer;
  authorizeSubmit(form: URLSearchParams): Promise<StandInAnswer>;
  token(form: URLSearchParams): Promise<StandInAnswer>;
  logout(query: URLSearchParams): StandInAnswer;
}

export const createManagedLogin = (options: ManagedLoginOptions): ManagedLogin => {
  const now = () => options.now?.() ?? Date.now();
  const cognito = new CognitoIdentityProviderClient({
    endpoint: options.cognitoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const codes = new Map<string, IssuedCode>();
  const steps = new Map<string, PendingStep>();
  const consoleOrigins = () =>
    [...new Set(options.callbackUrls().map((url) => new URL(url).origin))].join(' ');

  const forget = () => {
    for (const [key, code] of codes) if (code.expiresAt < now()) codes.delete(key);
    for (const [key, step] of steps) if (step.expiresAt < now()) steps.delete(key);
  };

  /** The request's parameters, or why the page cannot be shown (never redirected: the URI is untrusted). */
  const parseRequest = (params: URLSearchParams): AuthorizeRequest | string => {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    if (clientId !== options.webClientId) return 'unknown client_id';
    if (!options.callbackUrls().includes(redirectUri))
      return 'redirect_uri is not a callback URL of this client';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256') return 'code_challenge_method must be S256 (PKCE)';
    const challenge = params.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return 'code_challenge must be a base64url SHA-256';
    return {
      clientId,
      redirectUri,
      challenge,
      state: params.get('state') ?? '',
      scope: params.get('scope') ?? 'openid',
    };
  };

  const requestFields = (request: AuthorizeRequest) => ({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    state: request.state,
    scope: request.scope,
  });

  const signInForm = (request: AuthorizeRequest, error?: string) =>
    page(
      'Sign in',
      `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${AUTHORIZE_PATH}">${hidden({ ...requestFields(request), step: 'password' })}
<label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
      consoleOrigins(),
    );

  const totpForm = (key: string, error?: string) =>
    page(
      'Enter your code',
      `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p>Open your authenticator app and enter the 6-digit code it shows for Mental Health Analytics.</p>
<form method="post" action="${AUTHORIZE_PATH}">${hidden({ step: 'totp', key })}
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<button type="submit">Verify</button></form>`,
      consoleOrigins(),
    );

  const redirectWithCode = (request: AuthorizeRequest, tokens: AuthenticationResultType): StandInAnswer => {
    const code = base64url(randomBytes(32));
    codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      challenge: request.challenge,
      tokens,
      expiresAt: now() + CODE_SECONDS * 1000,
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    if (request.state) target.searchParams.set('state', request.state);
    return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
  };

  const next = (
    result: Pick<InitiateAuthCommandOutput, 'AuthenticationResult' | 'ChallengeName' | 'Session'>,
    request: AuthorizeRequest,
    username: string,
  ): StandInAnswer => {
    if (result.AuthenticationResult?.AccessToken)
      return redirectWithCode(request, result.AuthenticationResult);
    if (result.ChallengeName === 'SOFTWARE_TOKEN_MFA' && result.Session) {
      const key = base64url(randomBytes(24));
      steps.set(key, { session: result.Session, username, request, expiresAt: now() + 180_000 });
      return totpForm(key);
    }
    return signInForm(
      request,
      `This account needs a step the local sign-in page does not offer (${result.ChallengeName ?? 'unknown'}): finish it through the API's /auth/login steps first.`,
    );
  };

  return {
    authorizePage(query) {
      forget();
      const request = parseRequest(query);
      if (typeof request === 'string')
        return page('Cannot sign in', `<p class="error">${escapeHtml(request)}</p>`, "'none'");
      return signInForm(request);
    },

    async authorizeSubmit(form) {
      forget();
      if (form.get('step') === 'totp') {
        const key = form.get('key') ?? '';
        const step = steps.get(key);
        if (!step)
          return page(
            'Sign-in expired',
            '<p class="error">This sign-in expired. Start again from the console.</p>',
            "'none'",
          );
        try {
          const answer = await cognito.send(
            new RespondToAuthChallengeCommand({
              ClientId: options.webClientId,
              ChallengeName: 'SOFTWARE_TOKEN_MFA',
              Session: step.session,
              ChallengeResponses: {
                USERNAME: step.username,
                SOFTWARE_TOKEN_MFA_CODE: form.get('code') ?? '',
              },
            }),
          );
          steps.delete(key);
          return next(answer, step.request, step.username);
        } catch {
          // Cognito's session allows a few tries; a wrong code asks again.
          return totpForm(key, 'That code is not right. Enter the current code from your app.');
        }
      }
      const request = parseRequest(form);
      if (typeof request === 'string')
        return page('Cannot sign in', `<p class="error">${escapeHtml(request)}</p>`, "'none'");
      const email = (form.get('email') ?? '').trim();
      try {
        const result = await cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: options.webClientId,
            AuthParameters: { USERNAME: email, PASSWORD: form.get('password') ?? '' },
          }),
        );
        return next(result, request, email);
      } catch {
        return signInForm(request, 'Incorrect e-mail or password.');
      }
    },

    async token(form) {
      forget();
      if (form.get('client_id') !== options.webClientId) return oauthError(401, 'invalid_client');
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        // Single use: gone whatever happens next.
        codes.delete(form.get('code') ?? '');
        if (!code || code.clientId !== options.webClientId) return oauthError(400, 'invalid_grant');
        if (code.redirectUri !== form.get('redirect_uri'))
          return oauthError(400, 'invalid_grant', 'redirect_uri differs');
        const verifier = form.get('code_verifier') ?? '';
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
          return oauthError(400, 'invalid_grant', 'bad code_verifier');
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!sameText(challenge, code.challenge))
          return oauthError(400, 'invalid_grant', 'PKCE verification failed');
        return {
          status: 200,
          body: {
            access_token: code.tokens.AccessToken,
            id_token: code.tokens.IdToken,
            refresh_token: code.tokens.RefreshToken,
            expires_in: code.tokens.ExpiresIn ?? 3600,
            token_type: 'Bearer',
          },
        };
      }
      if (grant === 'refresh_token') {
        try {
          const result = await cognito.send(
            new InitiateAuthCommand({
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              ClientId: options.webClientId,
              AuthParameters: { REFRESH_TOKEN: form.get('refresh_token') ?? '' },
            }),
          );
          const tokens = result.AuthenticationResult;
          if (!tokens?.AccessToken) return oauthError(400, 'invalid_grant');
          return {
            status: 200,
            body: {
              access_token: tokens.AccessToken,
              id_token: tokens.IdToken,
              ...(tokens.RefreshToken ? { refresh_token: tokens.RefreshToken } : {}),
              expires_in: tokens.ExpiresIn ?? 3600,
              token_type: 'Bearer',
            },
          };
        } catch {
          return oauthError(400, 'invalid_grant');
        }
      }
      return oauthError(400, 'unsupported_grant_type');
    },

    logout(query) {
      const target = query.get('logout_uri') ?? '';
      if (query.get('client_id') !== options.webClientId || !options.logoutUrls().includes(target))
        return page('Cannot sign out here', '<p class="error">Unknown client or logout URL.</p>', "'none'");
      return { status: 302, headers: { Location: target, 'Cache-Control': 'no-store' } };
    },
  };
};
