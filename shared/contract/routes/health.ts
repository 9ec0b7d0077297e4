import * as z from 'zod/mini';
import { ErrorEnvelope } from '../common.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

export const HEALTH_CHECKS = ['database', 'identity'] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

export const HealthCheckResult = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: z.enum(['up', 'down']),
    latencyMs: z.number(),
    /** A short, non-sensitive reason (error name) when the check is down. */
    reason: z.optional(z.string()),
  }),
);
export type HealthCheckResult = z.infer<typeof HealthCheckResult>;

/**
 * The local runtime's own resources (`npm start` only; never sent by a deployed stage, whose function
 * instances come and go). Informative: `status` depends on the checks alone.
 */
export const LocalRuntimeResources = /* @__PURE__ */ z.lazy(() =>
  z.object({
    uptimeSeconds: z.number(),
    memory: z.object({ rssBytes: z.int(), heapUsedBytes: z.int() }),
    /** Each emulator process of the runtime: still running, or exited. */
    emulators: z.record(z.string(), z.enum(['running', 'exited'])),
  }),
);
export type LocalRuntimeResources = z.infer<typeof LocalRuntimeResources>;

export const HealthReport = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: z.enum(['ok', 'unavailable']),
    stage: z.string(),
    checkedAt: z.string(),
    checks: z.partialRecord(z.enum(HEALTH_CHECKS), HealthCheckResult),
    localRuntime: z.optional(LocalRuntimeResources),
  }),
);
export type HealthReport = z.infer<typeof HealthReport>;

const common = {
  tag: 'health',
  access: { public: true },
  request: {},
  throttle: 'default',
} as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const getHealthRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'health.get',
    method: 'GET',
    path: '/health',
    handler: 'functions/health/get-health.ts',
    summary: 'Overall health: database and identity checks with latency',
    data: 'read',
    identity: 'jwks',
  }),
);

export const getDatabaseHealthRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'health.database',
    method: 'GET',
    path: '/health/database',
    handler: 'functions/health/get-database-health.ts',
    summary: 'DynamoDB reachability and latency',
    data: 'read',
    identity: 'none',
  }),
);

export const getIdentityHealthRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'health.identity',
    method: 'GET',
    path: '/health/identity',
    handler: 'functions/health/get-identity-health.ts',
    summary: 'Cognito reachability (signing keys served) and latency',
    data: 'none',
    identity: 'jwks',
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const healthRoutes = {
  getHealth: getHealthRoute,
  getDatabaseHealth: getDatabaseHealthRoute,
  getIdentityHealth: getIdentityHealthRoute,
};

const reportResponses = {
  200: { description: 'Every check is up', schema: HealthReport },
  503: { description: 'At least one dependency is down (the failing check is named)', schema: HealthReport },
  500: { description: 'Unexpected error', schema: ErrorEnvelope },
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const healthResponses = {
  getHealth: reportResponses,
  getDatabaseHealth: reportResponses,
  getIdentityHealth: reportResponses,
} satisfies ResponsesOf<typeof healthRoutes>;
