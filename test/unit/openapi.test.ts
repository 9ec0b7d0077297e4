import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorEnvelope } from '#contract/common.ts';
import { MACHINE_SCOPES, USER_TOKEN_SCOPE } from '#contract/identity.ts';
import { API_VERSION, buildOpenApiDocument, type OpenApiDocument } from '#contract/openapi.ts';
import { defineRoute, isPublic, methodScopes, type RouteDefinition } from '#contract/route.ts';
import { routeTable } from '#contract/routes.ts';

type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  parameters?: Json[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
  security: Record<string, string[]>[];
};

const ENVELOPE_REF = '#/components/schemas/ErrorEnvelope';

/** Follows a local JSON pointer (`#/components/...`) through the document. */
const resolvePointer = (document: unknown, ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined),
      document,
    );

const deref = (document: unknown, node: Json): Json =>
  typeof node.$ref === 'string' ? deref(document, resolvePointer(document, node.$ref) as Json) : node;

const allRefs = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(allRefs);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : allRefs(value),
  );
};

const operationOf = (document: OpenApiDocument, route: RouteDefinition): Operation => {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${route.method} ${route.path} is missing from the document`);
  return operation as unknown as Operation;
};

/** The error statuses the chain can produce for a route, as docs/architecture.md describes the chain. */
const expectedErrorStatuses = (route: RouteDefinition): number[] => {
  const { params, query, body } = route.request;
  return [
    ...(params || query || body ? [400] : []),
    ...(isPublic(route.access) ? [] : [401, 403]),
    ...(body ? [413, 415] : []),
    429,
    500,
    503,
  ].sort((a, b) => a - b);
};

const document = buildOpenApiDocument();

describe('OpenAPI document from the route table', () => {
  it('is OpenAPI 3.1.0 with the API title and version', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBe('Mental Health Analytics API');
    expect(document.info.version).toBe(API_VERSION);
  });

  it('has exactly one operation per route, with the route id as operationId', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(routeTable.length);
    for (const route of routeTable) {
      const operation = operationOf(document, route);
      expect(operation.operationId).toBe(route.id);
      expect(operation.summary).toBe(route.summary);
      expect(operation.tags).toEqual([route.tag]);
    }
    expect(document.tags.map((tag) => tag.name).sort()).toEqual(
      [...new Set(routeTable.map((r) => r.tag))].sort(),
    );
  });

  it('secures every non-public route with its method scopes, one alternative per scope, and no public one', () => {
    for (const route of routeTable) {
      const { security } = operationOf(document, route);
      if (isPublic(route.access)) {
        expect(security).toEqual([]);
      } else {
        expect(security.flatMap((requirement) => Object.keys(requirement))).toEqual(
          security.map(() => 'cognito'),
        );
        expect(security.flatMap((requirement) => requirement.cognito ?? [])).toEqual(
          methodScopes(route.access),
        );
      }
    }
  });

  it('describes a bearer JWT scheme naming every scope a token can carry', () => {
    const scheme = document.components.securitySchemes.cognito as Json;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const scope of [USER_TOKEN_SCOPE, ...Object.values(MACHINE_SCOPES)]) {
      expect(scheme.description).toContain(scope);
    }
  });

  it('lists the standard error responses each route can produce, and only those', () => {
    for (const route of routeTable) {
      const statuses = Object.keys(operationOf(document, route).responses).map(Number);
      const errors = statuses.filter((status) => status >= 400);
      const declaredErrors = Object.keys(route.responses)
        .map(Number)
        .filter((status) => status >= 400);
      expect(errors).toEqual(
        [...new Set([...expectedErrorStatuses(route), ...declaredErrors])].sort((a, b) => a - b),
      );
    }
  });

  it('references the shared ErrorEnvelope from every error response the route does not describe itself', () => {
    for (const route of routeTable) {
      for (const [status, response] of Object.entries(operationOf(document, route).responses)) {
        if (Number(status) < 400) continue;
        const own = route.responses[Number(status)];
        if (own?.schema && own.schema !== ErrorEnvelope) continue; // e.g. health's 503 report
        const resolved = deref(document, response);
        expect(resolved.content).toEqual({
          'application/json': expect.objectContaining({ schema: { $ref: ENVELOPE_REF } }),
        });
      }
    }
  });

  it('promises Retry-After on the standard 429 and 503 responses', () => {
    for (const name of ['Throttled', 'DependencyUnavailable']) {
      const response = document.components.responses[name] as { headers: Json };
      expect(Object.keys(response.headers)).toContain('Retry-After');
    }
  });

  it('defines ErrorEnvelope with the required fields and every error code', () => {
    const envelope = document.components.schemas.ErrorEnvelope as Json;
    expect(envelope.required).toEqual(['error']);
    const error = (envelope.properties as Record<string, Json>).error as Json;
    expect([...(error.required as string[])].sort()).toEqual(['code', 'message', 'requestId']);
    const code = (error.properties as Record<string, Json>).code as Json;
    expect([...(code.enum as string[])].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it('describes the docs page as HTML', () => {
    const docs = routeTable.find((route) => route.id === 'docs.ui');
    expect(docs).toBeDefined();
    const ok = operationOf(document, docs!).responses['200'] as { content: Json };
    expect(Object.keys(ok.content)).toEqual(['text/html']);
  });

  it('resolves every local reference', () => {
    const refs = allRefs(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true);
      expect(resolvePointer(document, ref), ref).toBeDefined();
    }
  });

  it('is plain JSON and the same on every build', () => {
    expect(JSON.parse(JSON.stringify(document))).toStrictEqual(document);
    expect(JSON.stringify(buildOpenApiDocument())).toBe(JSON.stringify(document));
  });

  it('serves relative to itself unless given a server URL', () => {
    expect(document.servers?.map((server) => server.url)).toEqual(['.']);
    expect(buildOpenApiDocument({ serverUrl: 'https://api.example.test/prod' }).servers).toEqual([
      { url: 'https://api.example.test/prod' },
    ]);
  });
});

describe('OpenAPI generation from route schemas', () => {
  const Page = z.object({ limit: z._default(z.number(), 25) }).register(z.globalRegistry, { id: 'Page' });
  type Node = { name: string; children?: Node[] };
  const Tree: z.ZodMiniType<Node> = z.object({
    name: z.string(),
    get children() {
      return z.optional(z.array(Tree));
    },
  });

  const createThing = defineRoute({
    id: 'things.create',
    method: 'POST',
    path: '/things/{thing_id}',
    handler: 'functions/things/create-thing.ts',
    summary: 'Create a thing',
    tag: 'things',
    access: { users: ['admin'], machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'read-write',
    identity: 'none',
    throttle: 'default',
    request: {
      params: z.object({ thing_id: z.uuid().check(z.describe('The thing’s id')) }),
      query: z.object({
        limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
        cursor: z.string(),
      }),
      body: z.strictObject({ name: z.string(), page: Page, tree: Tree }),
    },
    responses: {
      201: { description: 'Created', schema: z.object({ page: Page, tree: Tree }) },
      204: { description: 'Nothing' },
    },
  });
  const patchThing = defineRoute({
    ...createThing,
    id: 'things.patch',
    method: 'PATCH',
    request: { params: createThing.request.params, body: z.optional(z.object({ name: z.string() })) },
    responses: { 200: { description: 'Patched' } },
  });
  const built = buildOpenApiDocument({ routes: [createThing, patchThing] });
  const create = operationOf(built, createThing);
  const patch = operationOf(built, patchThing);

  it('makes each path parameter a required parameter, with its description lifted', () => {
    const path = (create.parameters ?? []).filter((p) => p.in === 'path');
    expect(path).toEqual([
      {
        name: 'thing_id',
        in: 'path',
        required: true,
        description: 'The thing’s id',
        schema: expect.objectContaining({ type: 'string', format: 'uuid' }),
      },
    ]);
  });

  it('makes each query property its own parameter, required only when the schema requires it', () => {
    const query = (create.parameters ?? []).filter((p) => p.in === 'query');
    expect(query.map(({ name, required }) => ({ name, required }))).toEqual([
      { name: 'limit', required: false },
      { name: 'cursor', required: true },
    ]);
    expect(query[0]?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('documents a JSON request body, required unless the schema accepts none', () => {
    expect(create.requestBody?.required).toBe(true);
    expect(Object.keys(create.requestBody?.content ?? {})).toEqual(['application/json']);
    expect(create.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      required: ['name', 'page', 'tree'],
      additionalProperties: false,
    });
    expect(patch.requestBody?.required).toBe(false);
  });

  it('adds the body errors (413, 415) and the auth errors (401, 403) to a secured route with a body', () => {
    expect(Object.keys(create.responses)).toEqual([
      '201',
      '204',
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
    expect(create.responses['204']).not.toHaveProperty('content');
  });

  it('gives a schema with an id, whose input and output differ, one component per direction', () => {
    const requestPage = (create.requestBody?.content['application/json']?.schema.properties as Json).page;
    const responseSchema = (create.responses['201'] as { content: Record<string, { schema: Json }> }).content[
      'application/json'
    ]?.schema;
    expect(requestPage).toEqual({ $ref: '#/components/schemas/PageInput' });
    expect((responseSchema?.properties as Json).page).toEqual({ $ref: '#/components/schemas/Page' });
    // The default makes `limit` optional to send but always present in a response.
    expect(built.components.schemas.PageInput).not.toHaveProperty('required');
    expect(built.components.schemas.Page).toMatchObject({ required: ['limit'] });
  });

  it('turns recursive schemas into components that reference themselves', () => {
    const refs = allRefs(built);
    for (const ref of refs) expect(resolvePointer(built, ref), ref).toBeDefined();
    const tree = (create.requestBody?.content['application/json']?.schema.properties as Json).tree as Json;
    const component = deref(built, tree);
    expect(component).toMatchObject({ type: 'object', required: ['name'] });
    const childItems = ((component.properties as Json).children as Json).items as Json;
    expect(childItems).toEqual(tree);
  });

  it('refuses two different schemas registered under the same id', () => {
    const registry = z.globalRegistry;
    const first = z.object({ a: z.string() }).register(registry, { id: 'Clash' });
    const second = z.object({ b: z.number() }).register(registry, { id: 'Clash' });
    // Used in two different responses, so zod converts them separately and cannot see the clash itself.
    const clash = defineRoute({
      ...patchThing,
      responses: {
        200: { description: 'First', schema: first },
        201: { description: 'Second', schema: second },
      },
    });
    expect(() => buildOpenApiDocument({ routes: [clash] })).toThrow(/different schemas are both named Clash/);
  });
});
