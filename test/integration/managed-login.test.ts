import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { api, bearer } from './support/api.ts';
import { enrolTotp, registerAccount, type Account } from './support/accounts.ts';
import { totpCode } from './support/totp.ts';

/**
 * The local stand-in for the managed login (lib/local/managed-login.ts) over HTTP, as the console and a
 * browser use it: the authorization code flow with PKCE (S256) on cognito-local's real sign-in, the TOTP
 * step, one-time codes bound to the client, the redirect URI and the verifier, refresh, and logout.
 */
const webClientId = async (): Promise<string> => {
  const config = (await (await fetch(`${inject('consoleUrl')}/config.json`)).json()) as { clientId: string };
  return config.clientId;
};
const callback = () => `${inject('consoleUrl')}/auth/callback`;

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const authorizeFields = async (challenge: string, overrides: Record<string, string> = {}) => ({
  client_id: await webClientId(),
  redirect_uri: callback(),
  response_type: 'code',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 'state-1',
  scope: 'openid email profile aws.cognito.signin.user.admin',
  ...overrides,
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

/** Posts the sign-in form; answers the page or the redirect. */
const submitPassword = async (account: Account, challenge: string) =>
  fetch(
    `${inject('apiUrl')}/oauth2/authorize`,
    form({
      ...(await authorizeFields(challenge)),
      step: 'password',
      email: account.email,
      password: account.password,
    }),
  );

const codeOf = (response: Response): string => {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(callback());
  expect(location.searchParams.get('state')).toBe('state-1');
  return location.searchParams.get('code')!;
};

const redeem = async (code: string, verifier: string, redirectUri = callback()) =>
  api('/oauth2/token', {
    ...form({
      grant_type: 'authorization_code',
      client_id: await webClientId(),
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: inject('consoleUrl') },
  });

describe('managed-login stand-in (local only)', () => {
  it('shows a sign-in page labelled local-only, with no script, for the web client and its callback only', async () => {
    const { challenge } = pkce();
    const page = await fetch(
      `${inject('apiUrl')}/oauth2/authorize?${new URLSearchParams(await authorizeFields(challenge))}`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('LOCAL ONLY');
    expect(html).not.toMatch(/<script/i);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);

    const foreign = await fetch(
      `${inject('apiUrl')}/oauth2/authorize?${new URLSearchParams(await authorizeFields(challenge, { redirect_uri: 'https://evil.example/cb' }))}`,
      { redirect: 'manual' },
    );
    expect(foreign.status).toBe(200);
    expect(await foreign.text()).toContain('redirect_uri is not a callback URL of this client');
    const plain = await fetch(
      `${inject('apiUrl')}/oauth2/authorize?${new URLSearchParams(await authorizeFields(challenge, { code_challenge_method: 'plain' }))}`,
    );
    expect(await plain.text()).toContain('code_challenge_method must be S256');
  });

  it('issues a one-time code that only the PKCE verifier redeems, then refreshes', async () => {
    const account = await registerAccount([], 'pkce');
    const { verifier, challenge } = pkce();
    const wrongPassword = await fetch(
      `${inject('apiUrl')}/oauth2/authorize`,
      form({
        ...(await authorizeFields(challenge)),
        step: 'password',
        email: account.email,
        password: 'Not-the-password-1!',
      }),
    );
    expect(await wrongPassword.text()).toContain('Incorrect e-mail or password.');

    const code = codeOf(await submitPassword(account, challenge));
    const wrongVerifier = await redeem(code, pkce().verifier);
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.json).toMatchObject({ error: 'invalid_grant' });
    // The failed attempt used the code up: a code is good once, whatever happens.
    expect((await redeem(code, verifier)).status).toBe(400);

    const second = pkce();
    const secondCode = codeOf(await submitPassword(account, second.challenge));
    expect((await redeem(secondCode, second.verifier, `${inject('consoleUrl')}/elsewhere`)).status).toBe(400);
    const third = pkce();
    const tokens = await redeem(codeOf(await submitPassword(account, third.challenge)), third.verifier);
    expect(tokens.status).toBe(200);
    // The browser reads the answer across origins, as Cognito's token endpoint allows.
    expect(tokens.headers.get('access-control-allow-origin')).toBe(inject('consoleUrl'));
    const { access_token, refresh_token, id_token } = tokens.json as Record<string, string>;
    expect(id_token).toBeTruthy();
    const me = await api('/auth/me', { headers: bearer(access_token!) });
    expect(me.status).toBe(200);
    expect(me.json.email).toBe(account.email);

    const refreshed = await api(
      '/oauth2/token',
      form({ grant_type: 'refresh_token', client_id: await webClientId(), refresh_token: refresh_token! }),
    );
    expect(refreshed.status).toBe(200);
    expect((await api('/auth/me', { headers: bearer(refreshed.json.access_token) })).status).toBe(200);
    // Logout at the API ends the sign-in: its refresh token no longer works.
    const out = await api('/auth/logout', {
      method: 'POST',
      headers: { ...bearer(refreshed.json.access_token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: refresh_token }),
    });
    expect(out.status).toBe(204);
    expect(
      (
        await api(
          '/oauth2/token',
          form({
            grant_type: 'refresh_token',
            client_id: await webClientId(),
            refresh_token: refresh_token!,
          }),
        )
      ).status,
    ).toBe(400);
  });

  it('asks an account with an authenticator for its code before it issues one', async () => {
    const account = await registerAccount([], 'pkce-totp');
    const secret = await enrolTotp(account);
    const { verifier, challenge } = pkce();
    const step = await submitPassword(account, challenge);
    expect(step.status).toBe(200);
    const page = await step.text();
    expect(page).toContain('Enter your code');
    const key = /name="key" value="([^"]+)"/.exec(page)?.[1];
    expect(key).toBeTruthy();
    const wrong = await fetch(
      `${inject('apiUrl')}/oauth2/authorize`,
      form({ step: 'totp', key: key!, code: totpCode(secret) === '000000' ? '111111' : '000000' }),
    );
    expect(await wrong.text()).toContain('That code is not right.');
    const right = await fetch(
      `${inject('apiUrl')}/oauth2/authorize`,
      form({ step: 'totp', key: key!, code: totpCode(secret) }),
    );
    expect((await redeem(codeOf(right), verifier)).status).toBe(200);
  });

  it('logs out only to the console’s own front page', async () => {
    const clientId = await webClientId();
    const home = await fetch(
      `${inject('apiUrl')}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: `${inject('consoleUrl')}/` })}`,
      { redirect: 'manual' },
    );
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe(`${inject('consoleUrl')}/`);
    const elsewhere = await fetch(
      `${inject('apiUrl')}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: 'https://evil.example/' })}`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(200);
  });
});
