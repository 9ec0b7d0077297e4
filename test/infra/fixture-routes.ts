import { defineRoute, type RouteDefinition } from '../../shared/contract/route.ts';
import { MACHINE_SCOPES } from '../../shared/contract/identity.ts';

/**
 * Routes the real table does not have yet (protected, machine-only, auth-throttled, read-write,
 * Cognito admin), added to it in tests so every branch of the api construct is synthesized and checked.
 * The handler is any existing module: entries must exist, and these tests skip bundling.
 */
const base = {
  handler: 'functions/health/get-health.ts',
  summary: 'fixture',
  tag: 'fixture',
  request: {},
  responses: { 200: { description: 'ok' } },
  identity: 'none',
  throttle: 'default',
} as const;

export const fixtureRoutes = {
  me: defineRoute({
    ...base,
    id: 'fixture.me',
    method: 'GET',
    path: '/fixture/me',
    access: { users: 'any' },
    data: 'read',
  }),
  readItem: defineRoute({
    ...base,
    id: 'fixture.readItem',
    method: 'GET',
    path: '/fixture/{item_id}',
    access: { users: ['employee', 'clinician'] },
    data: 'read',
  }),
  adminUpdate: defineRoute({
    ...base,
    id: 'fixture.adminUpdate',
    method: 'PUT',
    path: '/fixture/{item_id}',
    access: { users: ['admin'] },
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminDisableUser'] },
  }),
  ingest: defineRoute({
    ...base,
    id: 'fixture.ingest',
    method: 'POST',
    path: '/fixture/ingest',
    access: { users: ['employee'], machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'read-write',
  }),
  machineOnly: defineRoute({
    ...base,
    id: 'fixture.machineOnly',
    method: 'POST',
    path: '/fixture/batch',
    access: { users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'read-write',
  }),
  login: defineRoute({
    ...base,
    id: 'fixture.login',
    method: 'POST',
    path: '/fixture/login',
    access: { public: true },
    data: 'none',
    throttle: 'auth',
  }),
} satisfies Record<string, RouteDefinition>;

export const fixtureRouteList: readonly RouteDefinition[] = Object.values(fixtureRoutes);
