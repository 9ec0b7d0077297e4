import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '#domain/principal.ts';
import { parseGroups, parseScopes, principalFromClaims } from '#http/claims.ts';

describe('parseGroups', () => {
  it.each([
    ['a real array', ['admin', 'manager']],
    ['the REST authorizer form with spaces', '[admin manager]'],
    ['the REST authorizer form with commas', '[admin, manager]'],
    ['a comma-separated string', 'admin,manager'],
    ['a JSON array as a string', '["admin","manager"]'],
    ['surrounding whitespace', '  [ admin ,  manager ]  '],
  ])('reads %s', (_form, raw) => {
    expect(parseGroups(raw)).toEqual(['admin', 'manager']);
  });

  it.each([
    ['an empty string', ''],
    ['empty brackets', '[]'],
    ['an empty array', []],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
  ])('gives no groups for %s', (_form, raw) => {
    expect(parseGroups(raw)).toEqual([]);
  });

  it('drops unknown group names, including ones that differ only in case', () => {
    expect(parseGroups('[superuser admin Admin us-east-1_pool_Google]')).toEqual(['admin']);
    expect(parseGroups(['root', 'clinician', 7, null])).toEqual(['clinician']);
  });

  it('lists a group once however often it appears', () => {
    expect(parseGroups('admin,admin,[admin]')).toEqual(['admin']);
  });
});

describe('parseScopes', () => {
  it('splits the space-separated scope claim', () => {
    expect(parseScopes('aws.cognito.signin.user.admin  mha-api/analyses.write')).toEqual([
      'aws.cognito.signin.user.admin',
      'mha-api/analyses.write',
    ]);
    expect(parseScopes(undefined)).toEqual([]);
  });
});

describe('principalFromClaims', () => {
  const userToken = {
    sub: '6b8f4e2a-1111-4c3d-9e8f-0a1b2c3d4e5f',
    username: '6b8f4e2a-1111-4c3d-9e8f-0a1b2c3d4e5f',
    client_id: 'api-client-id',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
  };

  it("builds a user whose roles always include employee, from a user's access token", () => {
    const principal = principalFromClaims({ ...userToken, 'cognito:groups': '[manager clinician]' });
    expect(principal).toEqual({
      kind: 'user',
      sub: userToken.sub,
      username: userToken.username,
      roles: ['employee', 'manager', 'clinician'],
      scopes: ['aws.cognito.signin.user.admin'],
      clientId: 'api-client-id',
    });
  });

  it('makes a user without groups an employee, and lists employee once when the group is present', () => {
    expect(principalFromClaims(userToken)).toMatchObject({ kind: 'user', roles: ['employee'] });
    expect(principalFromClaims({ ...userToken, 'cognito:groups': 'employee,admin' })).toMatchObject({
      roles: ['employee', 'admin'],
    });
  });

  it('builds a machine principal from a client-credentials token (no username, sub is the client id)', () => {
    const principal = principalFromClaims({
      sub: 'pipeline-client-id',
      client_id: 'pipeline-client-id',
      token_use: 'access',
      scope: 'mha-api/analyses.write',
    });
    expect(principal).toEqual({
      kind: 'machine',
      clientId: 'pipeline-client-id',
      scopes: ['mha-api/analyses.write'],
    });
  });

  it('never gives a machine client roles, even when a groups claim is present', () => {
    const principal = principalFromClaims({
      sub: 'pipeline-client-id',
      client_id: 'pipeline-client-id',
      'cognito:groups': '[admin]',
    });
    expect(principal.kind).toBe('machine');
    expect(principal).not.toHaveProperty('roles');
  });

  it('reads the sign-in a token descends from: auth_time and origin_jti, as numbers or their text', () => {
    const origin = '0f9e8d7c-6b5a-4a39-8281-706f5e4d3c2b';
    expect(
      principalFromClaims({ ...userToken, auth_time: 1_800_000_000, iat: 1_800_000_900, origin_jti: origin }),
    ).toMatchObject({ session: { authTime: 1_800_000_000, originId: origin } });
    // The REST authorizer hands numbers over as their decimal text.
    expect(
      principalFromClaims({ ...userToken, auth_time: '1800000000', iat: '1800000900', origin_jti: origin }),
    ).toMatchObject({ session: { authTime: 1_800_000_000, originId: origin } });
  });

  it('falls back to iat and jti for a token without auth_time or origin_jti', () => {
    const jti = 'aaaabbbb-cccc-4ddd-8eee-ffff00001111';
    expect(principalFromClaims({ ...userToken, iat: '1800000900', jti })).toMatchObject({
      session: { authTime: 1_800_000_900, originId: jti },
    });
  });

  it.each([
    ['no times at all', { jti: 'a-1' }],
    ['no id at all', { auth_time: '1800000000' }],
    ['a time that is not a number', { auth_time: 'soon', jti: 'a-1' }],
    ['an origin id a map key cannot be', { auth_time: '1800000000', origin_jti: 'a.b#c' }],
  ])('leaves the session out for %s (the account check then refuses the token)', (_case, claims) => {
    expect(principalFromClaims({ ...userToken, ...claims })).not.toHaveProperty('session');
  });

  it("gives a machine principal its token's issue time", () => {
    expect(
      principalFromClaims({ sub: 'pipeline', client_id: 'pipeline', iat: '1800000000', scope: 'x' }),
    ).toEqual({ kind: 'machine', clientId: 'pipeline', scopes: ['x'], issuedAt: 1_800_000_000 });
  });

  it.each([
    ['no claims', undefined],
    ['null claims', null],
    ['empty claims', {}],
    ['a token without sub', { client_id: 'c', username: 'u' }],
    ['a token without client_id', { sub: 's', username: 'u' }],
    ['an empty sub', { sub: '', client_id: 'c', username: 'u' }],
    ['a non-string sub', { sub: 123, client_id: 'c' }],
  ])('is anonymous for %s', (_case, claims) => {
    expect(principalFromClaims(claims as Record<string, unknown> | null | undefined)).toEqual(ANONYMOUS);
  });
});
