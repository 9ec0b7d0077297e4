import { describe, expect, it } from 'vitest';
import { MACHINE_SCOPES, USER_TOKEN_SCOPE, type Group } from '#contract/identity.ts';
import { methodScopes, pathPattern, type RouteAccess } from '#contract/route.ts';
import type { Principal } from '#domain/principal.ts';
import { routeAllows } from '#domain/access-policy.ts';

const anonymous: Principal = { kind: 'anonymous' };
const user = (...roles: Group[]): Principal => ({
  kind: 'user',
  sub: 'u-1',
  username: 'u-1',
  roles: ['employee', ...roles],
  scopes: [USER_TOKEN_SCOPE],
  clientId: 'api-client',
});
const machine = (...scopes: string[]): Principal => ({ kind: 'machine', clientId: 'pipeline', scopes });

describe('routeAllows', () => {
  it('lets anyone call a public route', () => {
    const access: RouteAccess = { public: true };
    for (const principal of [anonymous, user(), machine()])
      expect(routeAllows(access, principal)).toBe('allow');
  });

  it('asks an anonymous caller to authenticate on every non-public route', () => {
    for (const access of [
      { users: 'any' },
      { users: ['admin'] },
      { users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] },
    ] as RouteAccess[]) {
      expect(routeAllows(access, anonymous)).toBe('unauthenticated');
    }
  });

  it("decides a user by the route's groups", () => {
    expect(routeAllows({ users: 'any' }, user())).toBe('allow');
    expect(routeAllows({ users: ['admin'] }, user())).toBe('forbidden');
    expect(routeAllows({ users: ['admin'] }, user('manager'))).toBe('forbidden');
    expect(routeAllows({ users: ['admin', 'manager'] }, user('manager'))).toBe('allow');
    expect(routeAllows({ users: ['employee'] }, user())).toBe('allow');
    expect(routeAllows({ users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] }, user('admin'))).toBe(
      'forbidden',
    );
  });

  it('lets a machine client in only with one of the route’s machine scopes', () => {
    const access: RouteAccess = { users: 'any', machineScopes: [MACHINE_SCOPES.analysesWrite] };
    expect(routeAllows(access, machine(MACHINE_SCOPES.analysesWrite))).toBe('allow');
    expect(routeAllows(access, machine('mha-api/other'))).toBe('forbidden');
    expect(routeAllows({ users: 'any' }, machine(MACHINE_SCOPES.analysesWrite))).toBe('forbidden');
    expect(routeAllows({ users: ['admin'] }, machine(USER_TOKEN_SCOPE))).toBe('forbidden');
  });
});

describe('methodScopes', () => {
  it('demands the user scope for user routes, the machine scopes for machine routes, none for public', () => {
    expect(methodScopes({ public: true })).toEqual([]);
    expect(methodScopes({ users: 'any' })).toEqual([USER_TOKEN_SCOPE]);
    expect(methodScopes({ users: ['clinician'] })).toEqual([USER_TOKEN_SCOPE]);
    expect(methodScopes({ users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] })).toEqual([
      MACHINE_SCOPES.analysesWrite,
    ]);
    expect(methodScopes({ users: ['employee'], machineScopes: [MACHINE_SCOPES.analysesWrite] })).toEqual([
      USER_TOKEN_SCOPE,
      MACHINE_SCOPES.analysesWrite,
    ]);
  });
});

describe('pathPattern', () => {
  it('captures path parameters by name, one segment each', () => {
    const pattern = pathPattern('/users/{user_id}/roles');
    expect(pattern.exec('/users/abc-123/roles')?.groups).toEqual({ user_id: 'abc-123' });
    expect(pattern.test('/users/abc/def/roles')).toBe(false);
    expect(pattern.test('/users//roles')).toBe(false);
    expect(pattern.test('/users/abc/roles/extra')).toBe(false);
  });

  it('matches literal segments exactly, dots included', () => {
    const pattern = pathPattern('/openapi.json');
    expect(pattern.test('/openapi.json')).toBe(true);
    expect(pattern.test('/openapiXjson')).toBe(false);
    expect(pattern.test('/openapi.json/')).toBe(false);
  });

  it('reads several parameters', () => {
    const match = pathPattern('/emo-buddy/sessions/{session_uuid}/messages/{seq}').exec(
      '/emo-buddy/sessions/s-1/messages/42',
    );
    expect(match?.groups).toEqual({ session_uuid: 's-1', seq: '42' });
  });
});
