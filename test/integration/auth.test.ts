import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { LOCKOUT_POLICY } from '#domain/lockout.ts';
import { localDynamoClient } from '../../lib/local/dynamodb-local.ts';
import { api, bearer, expectEnvelope } from './support/api.ts';
import {
  login,
  machineToken,
  post,
  registerAccount,
  strongPassword,
  uniqueEmail,
} from './support/accounts.ts';
import { decodePayload } from './support/identity.ts';
import { awaitCode } from './support/outbox.ts';

const register = (body: Record<string, unknown>) => post('/auth/register', body);

describe('registration', () => {
  it('creates a confirmed employee account with a profile, readable through /auth/me', async () => {
    const email = uniqueEmail('reg');
    const password = strongPassword();
    const created = await register({ email: email.toUpperCase(), password, fullName: '  Ann Example ' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ email, status: 'confirmed' });

    const signedIn = await login(email, password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    const access = decodePayload(signedIn.json.accessToken);
    expect(access.token_use).toBe('access');
    expect(String(access['cognito:groups'])).toContain('employee');

    const me = await api('/auth/me', { headers: bearer(signedIn.json.accessToken) });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      id: created.json.id,
      email,
      fullName: 'Ann Example',
      roles: ['employee'],
      isActive: true,
      version: 1,
      consents: { clinicianAccess: { granted: false }, aggregateAnalytics: { granted: true } },
    });
    expect(me.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK|entityType)"/);
  });

  it('names every broken password rule in the 400', async () => {
    const response = await register({ email: uniqueEmail(), password: 'short', fullName: 'Weak' });
    const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string; code: string }>;
    };
    expect(error.details.map((d) => d.code).sort()).toEqual(
      ['password_digit', 'password_min_length', 'password_symbol', 'password_uppercase'].sort(),
    );
    expect(error.details.every((d) => d.field === 'body.password')).toBe(true);
  });

  it('answers a taken e-mail (in any letter case) exactly like a new one, and tells its owner by e-mail', async () => {
    const email = uniqueEmail('dup');
    const first = await register({ email, password: strongPassword(), fullName: 'One' });
    expect(first.status).toBe(201);
    const again = await register({ email: email.toUpperCase(), password: strongPassword(), fullName: 'Two' });
    const fresh = await register({
      email: uniqueEmail('fresh'),
      password: strongPassword(),
      fullName: 'Three',
    });
    expect(again.status).toBe(201);
    // The same shape and values, an id like any other — that names no account.
    expect(Object.keys(again.json).sort()).toEqual(Object.keys(fresh.json).sort());
    expect(again.json).toMatchObject({ email, status: fresh.json.status });
    expect(again.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.json.id).not.toBe(first.json.id);
    // The owner is told, with a reset code in case it was them (locally: the npm start output).
    expect(await awaitCode(email, 'registration_attempt')).toMatch(/^\d{6}$/);
    // Nothing else changed: one account, with its first password.
    expect((await login(email, strongPassword())).status).toBe(401);
  });

  it('refuses e-mail domains the stage does not allow, and unknown fields', async () => {
    const response = await register({
      email: `x-${Date.now()}@elsewhere.test`,
      password: strongPassword(),
      fullName: 'Out',
      roles: ['admin'],
    });
    const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    // The role field is rejected by the schema before any policy check runs.
    expect(error.details.map((d) => d.field)).toEqual(['body.roles']);
    const domain = await register({
      email: `x-${Date.now()}@elsewhere.test`,
      password: strongPassword(),
      fullName: 'Out',
    });
    const domainError = expectEnvelope(domain, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string; code: string }>;
    };
    expect(domainError.details).toEqual([
      expect.objectContaining({ field: 'body.email', code: 'email_domain' }),
    ]);
  });

  it('never lets the registrant choose a department: departmentId is a 400 naming the field, nothing is created', async () => {
    const admin = await registerAccount(['admin'], 'reg-dept-admin');
    const department = await api('/departments', {
      method: 'POST',
      headers: { ...bearer(admin.accessToken), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Small team ${Date.now()}-${Math.random()}` }),
    });
    expect(department.status, department.text).toBe(201);
    const email = uniqueEmail('reg-dept');
    const password = strongPassword();
    const padded = await register({ email, password, fullName: 'Padder', departmentId: department.json.id });
    const error = expectEnvelope(padded, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    expect(error.details.map((d) => d.field)).toEqual(['body.departmentId']);
    expect((await login(email, password)).status).toBe(401); // no account was made

    // Without the field the account is made, and belongs to no department until an admin says so.
    expect((await register({ email, password, fullName: 'Padder' })).status).toBe(201);
    const token = (await login(email, password)).json.accessToken as string;
    const me = await api('/auth/me', { headers: bearer(token) });
    expect(me.json).not.toHaveProperty('departmentId');
    const members = await api(`/users?departmentId=${department.json.id}`, {
      headers: bearer(admin.accessToken),
    });
    expect(members.json.items).toEqual([]);
  });

  it('answers a wrong confirmation code with 400 and no hint whether the account exists', async () => {
    const known = await registerAccount();
    const forKnown = await post('/auth/confirm', { email: known.email, code: '000000' });
    const forUnknown = await post('/auth/confirm', { email: uniqueEmail('nobody'), code: '000000' });
    expect(forKnown.status).toBe(400);
    expect(forUnknown.status).toBe(400);
    expect(forKnown.json.error.details).toEqual(forUnknown.json.error.details);
  });
});

describe('sessions: login, refresh, logout', () => {
  it('refreshes tokens, and after logout the revoked refresh token is refused', async () => {
    const account = await registerAccount();
    const refreshed = await post('/auth/refresh', { refreshToken: account.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(decodePayload(refreshed.json.accessToken).sub).toBe(account.id);

    const logout = await post(
      '/auth/logout',
      { refreshToken: account.refreshToken },
      bearer(account.accessToken),
    );
    expect(logout.status).toBe(204);
    expectEnvelope(
      await post('/auth/refresh', { refreshToken: account.refreshToken }),
      401,
      'UNAUTHENTICATED',
    );
    // Logging out again is harmless.
    expect(
      (await post('/auth/logout', { refreshToken: account.refreshToken }, bearer(account.accessToken)))
        .status,
    ).toBe(204);
  });

  it('requires a signed-in user to log out', async () => {
    expectEnvelope(await post('/auth/logout', { refreshToken: 'x' }), 401, 'UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const account = await registerAccount();
    const wrong = await login(account.email, `${account.password}x`);
    const unknown = await login(uniqueEmail('ghost'), account.password);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json.error.message).toBe(unknown.json.error.message);
  });
});

describe('lockout', () => {
  const failTimes = async (email: string, times: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push((await login(email, 'Wrong-Password-1!')).status);
    return statuses;
  };

  it(`locks an account after ${LOCKOUT_POLICY.maxFailures} failures for ${LOCKOUT_POLICY.lockSeconds} s, even for the right password`, async () => {
    const account = await registerAccount();
    const statuses = await failTimes(account.email, LOCKOUT_POLICY.maxFailures);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);

    const locked = await login(account.email, account.password);
    expectEnvelope(locked, 429, 'ACCOUNT_LOCKED');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(LOCKOUT_POLICY.lockSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_POLICY.lockSeconds);
  });

  it('locks an unknown e-mail exactly like a known one', async () => {
    const statuses = await failTimes(uniqueEmail('ghost'), LOCKOUT_POLICY.maxFailures + 1);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('resets the count on a successful sign-in', async () => {
    const account = await registerAccount();
    await failTimes(account.email, LOCKOUT_POLICY.maxFailures - 1);
    expect((await login(account.email, account.password)).status).toBe(200);
    // Four more failures would lock a counter that had not been reset.
    expect(await failTimes(account.email, LOCKOUT_POLICY.maxFailures - 1)).toEqual([401, 401, 401, 401]);
  });

  it('counts concurrent failures: a burst past the limit locks the account', async () => {
    const account = await registerAccount();
    await Promise.all(
      Array.from({ length: LOCKOUT_POLICY.maxFailures + 2 }, () => login(account.email, 'Nope-Nope-123!')),
    );
    expectEnvelope(await login(account.email, account.password), 429, 'ACCOUNT_LOCKED');
  });

  it('audits failed and locked attempts under a pseudonym, never the e-mail', async () => {
    const email = uniqueEmail('audited');
    await failTimes(email, LOCKOUT_POLICY.maxFailures + 1);
    const subject = `login-${createHash('sha256').update(email).digest('hex').slice(0, 32)}`;
    const dynamo = localDynamoClient(inject('dynamodbEndpoint'));
    const { Items = [] } = await dynamo.send(
      new QueryCommand({
        TableName: inject('tableName'),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: `AUDIT#${subject}` } },
      }),
    );
    dynamo.destroy();
    const reasons = Items.map((item) => item.reason?.S).sort();
    expect(reasons).toEqual([
      'locked',
      'locked_now',
      'wrong_credentials',
      'wrong_credentials',
      'wrong_credentials',
      'wrong_credentials',
    ]);
    expect(JSON.stringify(Items)).not.toContain(email);
    expect(Items.every((item) => item.action?.S === 'auth.login' && item.outcome?.S === 'denied')).toBe(true);
  });
});

describe('machine clients (local client-credentials endpoint)', () => {
  it('issues a token the gateway accepts on machine routes and refuses on user routes', async () => {
    const token = await machineToken();
    const claims = decodePayload(token);
    expect(claims.sub).toBe(claims.client_id);
    expect(claims.scope).toBe('mha-api/analyses.write');
    const allowed = await api('/probe/machine-only', { method: 'POST', headers: bearer(token) });
    expect(allowed.status).toBe(200);
    expect(allowed.json.principal).toMatchObject({ kind: 'machine', scopes: ['mha-api/analyses.write'] });
    // A user route demands the user scope, which a machine token does not carry: the authorizer says 401.
    expectEnvelope(await api('/auth/me', { headers: bearer(token) }), 401, 'UNAUTHENTICATED');
  });

  it('refuses a wrong secret, another grant type and a scope the client does not hold', async () => {
    const { readFileSync } = await import('node:fs');
    const state = JSON.parse(readFileSync(inject('localStateFile'), 'utf8')) as Record<string, string>;
    const ask = (auth: string, form: Record<string, string>) =>
      api('/oauth2/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        },
        body: new URLSearchParams(form).toString(),
      });
    const good = `${state.machineClientId}:${state.machineClientSecret}`;
    expect((await ask(`${state.machineClientId}:wrong`, { grant_type: 'client_credentials' })).json).toEqual({
      error: 'invalid_client',
    });
    expect((await ask(good, { grant_type: 'password' })).json).toEqual({ error: 'unsupported_grant_type' });
    expect((await ask(good, { grant_type: 'client_credentials', scope: 'mha-api/admin' })).json).toEqual({
      error: 'invalid_scope',
    });
  });

  it('refuses a user token on a machine-only route', async () => {
    const account = await registerAccount();
    expectEnvelope(
      await api('/probe/machine-only', { method: 'POST', headers: bearer(account.accessToken) }),
      401,
      'UNAUTHENTICATED',
    );
  });
});
