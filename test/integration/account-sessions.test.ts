import { describe, expect, it } from 'vitest';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { login, post, registerAccount, type Account } from './support/accounts.ts';
import { decodePayload } from './support/identity.ts';

/**
 * Revocation that works (docs/privacy.md, "Accounts and sessions"): logout, role change and
 * deactivation end the access of tokens already issued, from their next request on, through the
 * local gateway with real tokens (the local Cognito proxy gives them Cognito's origin_jti and keeps
 * auth_time across refreshes, as Cognito does).
 */
const me = (token: string) => api('/auth/me', { headers: bearer(token) });
const send = (token: string, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const refresh = (refreshToken: string) => post('/auth/refresh', { refreshToken });

/** A fresh sign-in of the account: new tokens, a new origin. */
const signInAgain = async (account: Account): Promise<Account> => {
  const response = await login(account.email, account.password);
  expect(response.status, response.text).toBe(200);
  return { ...account, ...(response.json as Omit<Account, 'id' | 'email' | 'password'>) };
};

describe('logout', () => {
  it('refuses the logged-out token on its next request, and every token refreshed from its sign-in', async () => {
    const account = await registerAccount([], 'logout');
    const refreshed = await refresh(account.refreshToken);
    expect(refreshed.status).toBe(200);
    const sibling = refreshed.json.accessToken as string;
    // Both tokens descend from one sign-in.
    expect(decodePayload(sibling).origin_jti).toBe(decodePayload(account.accessToken).origin_jti);
    const other = await signInAgain(account);

    const out = await post(
      '/auth/logout',
      { refreshToken: account.refreshToken },
      bearer(account.accessToken),
    );
    expect(out.status).toBe(204);

    expectEnvelope(await me(account.accessToken), 401, 'UNAUTHENTICATED');
    expectEnvelope(await me(sibling), 401, 'UNAUTHENTICATED');
    expectEnvelope(await send(account.accessToken, 'GET', '/users/me/export'), 401, 'UNAUTHENTICATED');
    expectEnvelope(await refresh(account.refreshToken), 401, 'UNAUTHENTICATED');
    // Another sign-in of the same account is a session of its own, and goes on.
    expect((await me(other.accessToken)).status).toBe(200);
    // Logging out again is harmless.
    expect(
      (await post('/auth/logout', { refreshToken: account.refreshToken }, bearer(account.accessToken)))
        .status,
    ).toBe(204);
  });

  it('keeps a handful of logouts on the profile, however often the user logs out', async () => {
    const account = await registerAccount([], 'logout-many');
    for (let i = 0; i < 3; i++) {
      const session = await signInAgain(account);
      expect(
        (await post('/auth/logout', { refreshToken: session.refreshToken }, bearer(session.accessToken)))
          .status,
      ).toBe(204);
      expectEnvelope(await me(session.accessToken), 401, 'UNAUTHENTICATED');
    }
    expect((await me((await signInAgain(account)).accessToken)).status).toBe(200);
  });
});

describe('role changes and deactivation end every token of the user', () => {
  it('a role change: the old tokens and their refresh are refused, a new sign-in carries the new roles', async () => {
    const [admin, user] = await Promise.all([
      registerAccount(['admin'], 'roles-admin'),
      registerAccount([], 'roles-user'),
    ]);
    const changed = await send(admin.accessToken, 'PUT', `/users/${user.id}/roles`, { roles: ['manager'] });
    expect(changed.status, changed.text).toBe(200);

    expectEnvelope(await me(user.accessToken), 401, 'UNAUTHENTICATED');
    expectEnvelope(await refresh(user.refreshToken), 401, 'UNAUTHENTICATED');
    const again = await signInAgain(user);
    expect(String(decodePayload(again.accessToken)['cognito:groups'])).toContain('manager');
    expect((await me(again.accessToken)).json.roles).toEqual(['employee', 'manager']);

    // Setting the same roles again changes nothing and ends nothing.
    expect(
      (await send(admin.accessToken, 'PUT', `/users/${user.id}/roles`, { roles: ['manager'] })).status,
    ).toBe(200);
    expect((await me(again.accessToken)).status).toBe(200);
  });

  it('deactivation: refused at once; an admin reactivates and the user signs in again', async () => {
    const [admin, user] = await Promise.all([
      registerAccount(['admin'], 'deact-admin'),
      registerAccount([], 'deact-user'),
    ]);
    expect((await send(admin.accessToken, 'DELETE', `/users/${user.id}`)).status).toBe(204);
    expectEnvelope(await me(user.accessToken), 401, 'UNAUTHENTICATED');
    expectEnvelope(
      await send(user.accessToken, 'PUT', '/users/me/consents', { aggregateAnalytics: { granted: false } }),
      401,
      'UNAUTHENTICATED',
    );
    expectEnvelope(await login(user.email, user.password), 401, 'UNAUTHENTICATED');
    const profile = await send(admin.accessToken, 'GET', `/users/${user.id}`);
    expect(profile.json).toMatchObject({ accountState: 'deactivated', isActive: false });

    const reopened = await send(admin.accessToken, 'PUT', `/users/${user.id}`, {
      version: profile.json.version,
      isActive: true,
    });
    expect(reopened.status, reopened.text).toBe(200);
    expect(reopened.json).toMatchObject({ accountState: 'active', isActive: true });
    expect(reopened.json).not.toHaveProperty('deletedAt');
    // The old token stays refused (its sign-in was ended); a new sign-in works.
    expectEnvelope(await me(user.accessToken), 401, 'UNAUTHENTICATED');
    expect((await me((await signInAgain(user)).accessToken)).status).toBe(200);
  });

  it('PUT isActive=false ends the sign-ins like DELETE does', async () => {
    const [admin, user] = await Promise.all([
      registerAccount(['admin'], 'deact-put-admin'),
      registerAccount([], 'deact-put-user'),
    ]);
    const closed = await send(admin.accessToken, 'PUT', `/users/${user.id}`, { version: 1, isActive: false });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json).toMatchObject({ accountState: 'deactivated', deletedAt: expect.any(String) });
    expectEnvelope(await me(user.accessToken), 401, 'UNAUTHENTICATED');
  });
});

describe('tokens a sign-in route did not make', () => {
  it('refuses a token of a user without a profile on every route with data, and lets it reach none', async () => {
    const { createSignedInUser } = await import('./support/identity.ts');
    const stranger = await createSignedInUser();
    expectEnvelope(await me(stranger.accessToken), 401, 'UNAUTHENTICATED');
    expectEnvelope(await send(stranger.accessToken, 'GET', '/departments'), 401, 'UNAUTHENTICATED');
  });
});
