import { describe, expect, it } from 'vitest';
import { LOCKOUT_POLICY } from '#domain/lockout.ts';
import { api, apiFrom, bearer, expectEnvelope } from './support/api.ts';
import { login, post, registerAccount, strongPassword, uniqueEmail } from './support/accounts.ts';
import { awaitCode } from './support/outbox.ts';

/**
 * Passwords and the lockout (docs/privacy.md, "Sign-in"): a signed-in change, a forgotten one reset
 * with the e-mailed code (locally the outbox the runtime fills from cognito-local's output), neither
 * telling whether an address has an account, and a lockout keyed by e-mail and client address, so a
 * guesser elsewhere cannot lock the owner out. Other client addresses are other loopback addresses.
 */
const me = (token: string) => api('/auth/me', { headers: bearer(token) });
const json = (body: unknown, token?: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(token ? bearer(token) : {}) },
  body: JSON.stringify(body),
});

describe('changing a password', () => {
  it('checks the new one against the policy and the current one, then ends every sign-in', async () => {
    const account = await registerAccount([], 'change');
    const other = (await login(account.email, account.password)).json.accessToken as string;

    const weak = expectEnvelope(
      await api(
        '/auth/password',
        json({ currentPassword: account.password, newPassword: 'short' }, account.accessToken),
      ),
      400,
      'VALIDATION_FAILED',
    ) as unknown as { details: Array<{ field: string; code: string }> };
    expect(weak.details.every((d) => d.field === 'body.newPassword')).toBe(true);
    const wrong = expectEnvelope(
      await api(
        '/auth/password',
        json({ currentPassword: 'Not-Mine-123!', newPassword: strongPassword() }, account.accessToken),
      ),
      400,
      'VALIDATION_FAILED',
    ) as unknown as { details: Array<{ field: string; code: string }> };
    expect(wrong.details).toEqual([
      expect.objectContaining({ field: 'body.currentPassword', code: 'wrong_password' }),
    ]);

    const next = strongPassword();
    const changed = await api(
      '/auth/password',
      json({ currentPassword: account.password, newPassword: next }, account.accessToken),
    );
    expect(changed.status, changed.text).toBe(204);
    // Every sign-in ended, this one and the other; the old password is gone, the new one works at once.
    expectEnvelope(await me(account.accessToken), 401, 'UNAUTHENTICATED');
    expectEnvelope(await me(other), 401, 'UNAUTHENTICATED');
    expectEnvelope(
      await post('/auth/refresh', { refreshToken: account.refreshToken }),
      401,
      'UNAUTHENTICATED',
    );
    expect((await login(account.email, account.password)).status).toBe(401);
    const again = await login(account.email, next);
    expect(again.status).toBe(200);
    expect((await me(again.json.accessToken as string)).status).toBe(200);
  });

  it('counts a wrong current password in the lockout', async () => {
    const account = await registerAccount([], 'change-lock');
    const attempt = () =>
      api(
        '/auth/password',
        json({ currentPassword: 'Not-Mine-123!', newPassword: strongPassword() }, account.accessToken),
      );
    const statuses: number[] = [];
    for (let i = 0; i < LOCKOUT_POLICY.maxFailures; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expectEnvelope(await login(account.email, account.password), 429, 'ACCOUNT_LOCKED');
  });
});

describe('a forgotten password', () => {
  it('answers the same for an address with and without an account, and resets with the e-mailed code', async () => {
    const account = await registerAccount([], 'forgot');
    const unknown = uniqueEmail('forgot-nobody');
    const asked = Date.now();
    const known = await post('/auth/password/forgot', { email: account.email });
    const stranger = await post('/auth/password/forgot', { email: unknown });
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    expect(known.json).toEqual(stranger.json);

    const code = await awaitCode(account.email, 'password_reset', asked);
    const next = strongPassword();
    // A wrong code: the same 400 as for an address without an account.
    const wrong = await post('/auth/password/reset', {
      email: account.email,
      code: code === '000000' ? '111111' : '000000',
      newPassword: next,
    });
    const wrongUnknown = await post('/auth/password/reset', { email: unknown, code, newPassword: next });
    expectEnvelope(wrong, 400, 'VALIDATION_FAILED');
    expect(wrong.json.error.details).toEqual(wrongUnknown.json.error.details);

    const reset = await post('/auth/password/reset', { email: account.email, code, newPassword: next });
    expect(reset.status, reset.text).toBe(204);
    // The reset ended every sign-in; the new password works.
    expectEnvelope(await me(account.accessToken), 401, 'UNAUTHENTICATED');
    expect((await login(account.email, account.password)).status).toBe(401);
    expect((await login(account.email, next)).status).toBe(200);
  });

  it('puts code guessing under the lockout, for known and unknown addresses alike', async () => {
    for (const email of [(await registerAccount([], 'guess')).email, uniqueEmail('guess-nobody')]) {
      const statuses: number[] = [];
      for (let i = 0; i < LOCKOUT_POLICY.maxFailures + 1; i++)
        statuses.push(
          (await post('/auth/password/reset', { email, code: '000000', newPassword: strongPassword() }))
            .status,
        );
      expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    }
  });
});

describe('a lockout nobody can use against the owner', () => {
  it('locks the guessing address out, and not the owner signing in from theirs', async () => {
    const account = await registerAccount([], 'lock-addr');
    const guess = () =>
      apiFrom('127.0.0.2', '/auth/login', json({ email: account.email, password: 'Wrong-Password-1!' }));
    const statuses: number[] = [];
    for (let i = 0; i < LOCKOUT_POLICY.maxFailures + 1; i++) statuses.push((await guess()).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    // The right password from the guessing address: still locked.
    expect(
      (await apiFrom('127.0.0.2', '/auth/login', json({ email: account.email, password: account.password })))
        .status,
    ).toBe(429);
    // The owner, from their own address (127.0.0.1): signs in.
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('caps guessing spread over addresses, except for addresses the owner signed in from', async () => {
    const account = await registerAccount([], 'lock-spread');
    // registerAccount signed in from 127.0.0.1: that address is known to the account. Guesses from
    // ever new addresses, fewer than each address's limit: the last one reaches the account's ceiling.
    const statuses: number[] = [];
    for (let n = 0; n < LOCKOUT_POLICY.accountMaxFailures; n++) {
      const from = `127.0.1.${10 + Math.floor(n / (LOCKOUT_POLICY.maxFailures - 1))}`;
      statuses.push(
        (await apiFrom(from, '/auth/login', json({ email: account.email, password: 'Wrong-Password-1!' })))
          .status,
      );
    }
    expect(statuses).toEqual([...Array<number>(LOCKOUT_POLICY.accountMaxFailures - 1).fill(401), 429]);
    // A new address now meets the account-wide lock, even with the right password …
    const stranger = await apiFrom(
      '127.0.2.1',
      '/auth/login',
      json({ email: account.email, password: account.password }),
    );
    expectEnvelope(stranger, 429, 'ACCOUNT_LOCKED');
    expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0);
    // … while the owner's own address still signs in.
    expect((await login(account.email, account.password)).status).toBe(200);
  });
});
