import * as z from 'zod/mini';
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

export const docsRoutes = {
  getOpenApi: defineRoute({
    ...common,
    id: 'docs.openapi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/docs/get-openapi.ts',
    summary: 'OpenAPI 3.1 document generated from the route table',
  }),
  getDocs: defineRoute({
    ...common,
    id: 'docs.ui',
    method: 'GET',
    path: '/docs',
    handler: 'functions/docs/get-docs.ts',
    summary: 'Swagger UI for the OpenAPI document',
  }),
  getRedoc: defineRoute({
    ...common,
    id: 'docs.redoc',
    method: 'GET',
    path: '/redoc',
    handler: 'functions/docs/get-redoc.ts',
    summary: 'Redoc reference page for the same OpenAPI document',
  }),
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
