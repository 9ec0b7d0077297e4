import * as z from 'zod/mini';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

/**
 * The OpenAPI document is generated at build time (lib/constructs/api-function.ts) into this file next
 * to the docs function's bundle; the function serves it as it is.
 */
export const OPENAPI_DOCUMENT_FILE = 'openapi.json';

const common = {
  tag: 'docs',
  access: { public: true },
  request: {},
  data: 'none',
  identity: 'none',
  throttle: 'default',
} as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const getOpenApiRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'docs.openapi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/docs/get-openapi.ts',
    summary: 'OpenAPI 3.1 document generated from the route table',
  }),
);

export const getDocsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'docs.ui',
    method: 'GET',
    path: '/docs',
    handler: 'functions/docs/get-docs.ts',
    summary: 'Swagger UI for the OpenAPI document',
  }),
);

export const getRedocRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'docs.redoc',
    method: 'GET',
    path: '/redoc',
    handler: 'functions/docs/get-redoc.ts',
    summary: 'Redoc reference page for the same OpenAPI document',
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const docsRoutes = {
  getOpenApi: getOpenApiRoute,
  getDocs: getDocsRoute,
  getRedoc: getRedocRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const docsResponses = {
  getOpenApi: {
    200: {
      description: 'The OpenAPI document',
      schema: /* @__PURE__ */ z.lazy(() => z.record(z.string(), z.unknown())),
    },
  },
  getDocs: { 200: { description: 'HTML page', contentType: 'text/html' } },
  getRedoc: { 200: { description: 'HTML page', contentType: 'text/html' } },
} satisfies ResponsesOf<typeof docsRoutes>;
