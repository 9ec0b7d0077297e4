import * as z from 'zod/mini';
import { MACHINE_SCOPES } from '#contract/identity.ts';
import { defineRoute } from '#contract/route.ts';

/**
 * Routes that exist only in the integration tests' gateway: a protected route to prove token
 * verification and role checks end to end before the product has protected routes of its own, and a
 * body route for 400/413/415. They go through the same gateway, verifier and handler factory.
 */
export const probeRoutes = {
  whoami: defineRoute({
    id: 'probe.whoami',
    method: 'GET',
    path: '/probe/whoami',
    handler: 'test/integration/support/probe-whoami.ts',
    summary: 'Echo the principal (tests only)',
    tag: 'probe',
    access: { users: 'any' },
    data: 'none',
    identity: 'none',
    request: {},
    responses: { 200: { description: 'principal' } },
    throttle: 'default',
  }),
  adminEcho: defineRoute({
    id: 'probe.adminEcho',
    method: 'POST',
    path: '/probe/admin-echo/{item_id}',
    handler: 'test/integration/support/probe-admin-echo.ts',
    summary: 'Validate and echo a body (tests only)',
    tag: 'probe',
    access: { users: ['admin'] },
    data: 'none',
    identity: 'none',
    request: {
      params: z.object({ item_id: z.uuid() }),
      query: z.strictObject({
        limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
      }),
      body: z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(50)), count: z.int() }),
    },
    responses: { 201: { description: 'echo' } },
    throttle: 'default',
  }),
  machineOnly: defineRoute({
    id: 'probe.machineOnly',
    method: 'POST',
    path: '/probe/machine-only',
    handler: 'test/integration/support/probe-whoami.ts',
    summary: 'A route only analysis pipelines may call (tests only)',
    tag: 'probe',
    access: { users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'none',
    identity: 'none',
    request: {},
    responses: { 200: { description: 'principal' } },
    throttle: 'default',
  }),
};
