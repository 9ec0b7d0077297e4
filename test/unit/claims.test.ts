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
