import * as z from 'zod/mini';
import { ErrorEnvelope, MAX_BODY_BYTES, type ErrorCode } from './common.ts';
import { GROUPS, MACHINE_SCOPES, USER_TOKEN_SCOPE } from './identity.ts';
import { isPublic, methodScopes, type RouteAccess, type RouteDefinition } from './route.ts';
import { routeTable } from './routes.ts';

/**
 * The published form of the contract: an OpenAPI 3.1 document generated from the route table and its
 * zod schemas (zod's own JSON Schema output, draft 2020-12, which is OpenAPI 3.1's schema dialect).
 * Nothing here is written by hand per route, so the document cannot drift from what the handlers accept.
 */

export const API_TITLE = 'Mental Health Analytics API';
/** The contract's version; bump it with every published change to routes or schemas. */
export const API_VERSION = '0.1.0';
export const SECURITY_SCHEME = 'cognito';
export const ERROR_ENVELOPE_SCHEMA = 'ErrorEnvelope';

type JsonSchema = Record<string, unknown>;
type Reference = { $ref: string };

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string; description?: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    parameters: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
}

/** A standard error response: its status, the component that describes it and the code it carries. */
export interface StandardError {
  readonly status: number;
  readonly component: string;
  readonly code: ErrorCode;
  readonly description: string;
  /** The `message` shown in the response's example. */
  readonly example: string;
  readonly retryAfter?: true;
}

const STANDARD_ERRORS = {
  validation: {
    status: 400,
    component: 'ValidationFailed',
    code: 'VALIDATION_FAILED',
    example: 'The request is not valid; see details for each field.',
    description:
      'The request is not valid; `details` names each failing field (`params.x`, `query.x`, `body.x`).',
  },
  unauthenticated: {
    status: 401,
    component: 'Unauthenticated',
    code: 'UNAUTHENTICATED',
    example: 'A valid access token is required.',
    description: 'No valid access token.',
  },
  forbidden: {
    status: 403,
    component: 'Forbidden',
    code: 'FORBIDDEN',
    example: 'You are not allowed to perform this action.',
    description: 'The caller may not perform this action.',
  },
  tooLarge: {
    status: 413,
    component: 'PayloadTooLarge',
    code: 'PAYLOAD_TOO_LARGE',
    example: `The request body must be at most ${MAX_BODY_BYTES} bytes.`,
    description: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
  },
  unsupportedMediaType: {
    status: 415,
    component: 'UnsupportedMediaType',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    example: 'The request body must be application/json.',
    description: 'The request body is not `application/json`.',
  },
  throttled: {
    status: 429,
    component: 'Throttled',
    code: 'THROTTLED',
    example: 'Too many requests; retry later.',
    description: 'Too many requests; retry after the number of seconds in `Retry-After`.',
    retryAfter: true,
  },
  internal: {
    status: 500,
    component: 'Internal',
    code: 'INTERNAL',
    example: 'Internal error.',
    description: 'Unexpected error; the body carries only the request id.',
  },
  unavailable: {
    status: 503,
    component: 'DependencyUnavailable',
    code: 'DEPENDENCY_UNAVAILABLE',
    example: 'A backing service is unavailable; retry later.',
    description: 'A backing service is throttled or unreachable; retry after `Retry-After` seconds.',
    retryAfter: true,
  },
} as const satisfies Record<string, StandardError>;

/** The error responses a route can produce besides its own, as decided by the handler chain. */
export const standardErrorsFor = (route: RouteDefinition): StandardError[] => {
  const { request } = route;
  const errors: StandardError[] = [];
  if (request.params || request.query || request.body) errors.push(STANDARD_ERRORS.validation);
  if (!isPublic(route.access)) errors.push(STANDARD_ERRORS.unauthenticated, STANDARD_ERRORS.forbidden);
  if (request.body) errors.push(STANDARD_ERRORS.tooLarge, STANDARD_ERRORS.unsupportedMediaType);
  errors.push(STANDARD_ERRORS.throttled, STANDARD_ERRORS.internal, STANDARD_ERRORS.unavailable);
  return errors;
};

const schemaRef = (name: string): Reference => ({ $ref: `#/components/schemas/${name}` });

/** Component names must match ^[A-Za-z0-9._-]+$ (OpenAPI 3.1, Components Object). */
const componentName = (value: string): string => value.replace(/[^A-Za-z0-9._-]/g, '_');

const rewriteRefs = (value: unknown, rewrite: (ref: string) => string): unknown => {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rewrite));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? rewrite(inner) : rewriteRefs(inner, rewrite),
    ]),
  );
};

type Io = 'input' | 'output';

/** Stand-in for a component reference until every schema is converted and final names are known. */
const PENDING = '#pending/';
const pendingRef = (io: Io, name: string): Reference => ({ $ref: `${PENDING}${io}/${name}` });
const sortedEntries = <T>(record: Map<string, T>): [string, T][] =>
  [...record.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Converts zod schemas with zod's native JSON Schema generator and makes the results embeddable in the
 * document: inside an OpenAPI document `#` means the document, not the schema, so `$defs` (schemas with
 * a registered id, or recursive ones) are hoisted into `components.schemas` and a self-referencing root
 * becomes a component of its own. A schema whose request (input) and response (output) forms differ
 * gets two components, `<id>` and `<id>Input`.
 */
const createSchemaConverter = () => {
  const defs: Record<Io, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };

  const register = (io: Io, name: string, schema: JsonSchema): void => {
    const existing = defs[io].get(name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas are both named ${name} in the OpenAPI document.`);
    }
    defs[io].set(name, schema);
  };

  /** The schema to embed where `schema` is used (inline, or a reference to a component). */
  const convert = (schema: z.ZodMiniType, io: Io, context: string): JsonSchema => {
    const generated = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      // A transform or custom check has no JSON Schema form; document it as "any value" rather than fail.
      unrepresentable: 'any',
      cycles: 'ref',
      reused: 'inline',
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...rootSchema } = generated;
    const rootName = componentName(context);
    // Auto-named defs (`__schema0`) are scoped to their context; defs named by a registered id are shared.
    const defName = (name: string): string =>
      componentName(name.startsWith('__') ? `${context}${name.slice(1)}` : name);
    let selfReferencing = false;
    const rewrite = (ref: string): string => {
      if (ref === '#') {
        selfReferencing = true;
        return pendingRef(io, rootName).$ref;
      }
      const match = /^#\/\$defs\/(.+)$/.exec(ref);
      return match?.[1] ? pendingRef(io, defName(match[1])).$ref : ref;
    };
    const root = rewriteRefs(rootSchema, rewrite) as JsonSchema;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      register(io, defName(name), rewriteRefs(def, rewrite) as JsonSchema);
    }
    if (!selfReferencing) return root;
    register(io, rootName, root);
    return pendingRef(io, rootName);
  };

  /** Makes `schema` the component `name` and returns a reference to it. */
  const component = (schema: z.ZodMiniType, io: Io, name: string): JsonSchema => {
    const converted = convert(schema, io, name);
    const ref = pendingRef(io, name);
    if (converted.$ref !== ref.$ref) register(io, name, converted);
    return ref;
  };

  /** The object schema behind `converted`, following a component reference (for parameters). */
  const resolve = (converted: JsonSchema): JsonSchema => {
    const match =
      typeof converted.$ref === 'string' ? /^#pending\/(input|output)\/(.+)$/.exec(converted.$ref) : null;
    const target = match ? defs[match[1] as Io].get(match[2] ?? '') : undefined;
    return target ? resolve(target) : converted;
  };

  /** Final component names, then every pending reference in `document` rewritten to them. */
  const finish = <T>(document: T): { document: T; schemas: Record<string, JsonSchema> } => {
    const names: Record<Io, Map<string, string>> = { input: new Map(), output: new Map() };
    const schemas: Record<string, JsonSchema> = {};
    for (const [name, schema] of sortedEntries(defs.output)) {
      names.output.set(name, name);
      schemas[name] = schema;
    }
    for (const [name, schema] of sortedEntries(defs.input)) {
      const output = defs.output.get(name);
      const finalName = output && JSON.stringify(output) !== JSON.stringify(schema) ? `${name}Input` : name;
      names.input.set(name, finalName);
      schemas[finalName] = schema;
    }
    const rewrite = (ref: string): string => {
      if (!ref.startsWith(PENDING)) return ref;
      const [io, ...rest] = ref.slice(PENDING.length).split('/');
      const finalName = names[io as Io].get(rest.join('/'));
      if (!finalName) throw new Error(`Unresolved schema reference ${ref}`);
      return schemaRef(finalName).$ref;
    };
    const sorted = Object.fromEntries(sortedEntries(new Map(Object.entries(schemas))));
    return {
      document: rewriteRefs(document, rewrite) as T,
      schemas: rewriteRefs(sorted, rewrite) as Record<string, JsonSchema>,
    };
  };

  return { convert, component, resolve, finish };
};

const describeAccess = (access: RouteAccess): string => {
  if (isPublic(access)) return 'Public: no token.';
  const parts: string[] = [];
  if (access.users === 'any') parts.push('any signed-in user');
  else if (access.users !== 'none') parts.push(`signed-in users in group ${access.users.join(' or ')}`);
  if (access.machineScopes) parts.push(`machine clients with scope ${access.machineScopes.join(' or ')}`);
  return `Access: ${parts.join('; ') || 'nobody'}.`;
};

const securityScheme = (): JsonSchema => ({
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: [
    'An Amazon Cognito **access token** (`Authorization: Bearer <token>`); ID tokens are rejected.',
    `Signed-in users' tokens carry the scope \`${USER_TOKEN_SCOPE}\` and their roles in \`cognito:groups\``,
    `(${GROUPS.map((group) => `\`${group}\``).join(', ')}; every user is an \`employee\`).`,
    'Machine clients use the client-credentials grant with the scopes',
    `${Object.values(MACHINE_SCOPES)
      .map((scope) => `\`${scope}\``)
      .join(', ')}.`,
    "Each operation lists the scopes it accepts: a token needs one of them, then the operation's",
    'group rule applies.',
  ].join(' '),
});

const errorExample = (error: StandardError): JsonSchema => ({
  error: {
    code: error.code,
    message: error.example,
    ...(error.code === 'VALIDATION_FAILED'
      ? { details: [{ field: 'body.name', code: 'invalid_type', message: 'is required' }] }
      : {}),
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  },
});

const responseHeaders = (retryAfter: boolean): JsonSchema => ({
  'X-Correlation-Id': { $ref: '#/components/headers/CorrelationId' },
  ...(retryAfter ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
});

const errorResponseComponent = (error: StandardError): JsonSchema => ({
  description: error.description,
  headers: responseHeaders(error.retryAfter === true),
  content: { 'application/json': { schema: schemaRef(ERROR_ENVELOPE_SCHEMA), example: errorExample(error) } },
});

/**
 * Builds the document. Deterministic: the same route table gives byte-identical JSON, so it can be
 * cached per execution environment, diffed in review and snapshot-compared.
 *
 * `routes` defaults to the route table (tests pass their own). `serverUrl` defaults to `.`, a server URL
 * relative to the document, so "Try it out" calls the stage (or custom-domain base path) that served
 * `/openapi.json`; `/` would drop API Gateway's `/<stage>` prefix.
 */
export const buildOpenApiDocument = (
  options: { serverUrl?: string; routes?: readonly RouteDefinition[] } = {},
): OpenApiDocument => {
  const converter = createSchemaConverter();
  const errorEnvelope = converter.component(ErrorEnvelope, 'output', ERROR_ENVELOPE_SCHEMA);

  const responseSchema = (schema: z.ZodMiniType, context: string): JsonSchema =>
    schema === ErrorEnvelope ? errorEnvelope : converter.convert(schema, 'output', context);

  const parameters = (route: RouteDefinition, location: 'path' | 'query'): JsonSchema[] => {
    const schema = location === 'path' ? route.request.params : route.request.query;
    if (!schema) return [];
    const root = converter.resolve(
      converter.convert(schema, 'input', `${route.id}.${location === 'path' ? 'params' : 'query'}`),
    );
    const properties = (root.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((root.required ?? []) as string[]);
    return Object.entries(properties).map(([name, { description, ...propertySchema }]) => ({
      name,
      in: location,
      // OpenAPI requires `required: true` on every path parameter.
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: propertySchema,
    }));
  };

  const operation = (route: RouteDefinition): JsonSchema => {
    const { body } = route.request;
    const responses: Record<string, JsonSchema> = {};
    for (const error of standardErrorsFor(route)) {
      responses[String(error.status)] = { $ref: `#/components/responses/${error.component}` };
    }
    // The route's own responses win over a standard one with the same status (e.g. health's 503 report).
    for (const [status, response] of Object.entries(route.responses)) {
      const contentType = response.contentType ?? 'application/json';
      // An error status a route names without a schema is answered with the envelope, like every error.
      const schema =
        response.schema ?? (Number(status) >= 400 && !response.contentType ? ErrorEnvelope : undefined);
      const content = schema
        ? { [contentType]: { schema: responseSchema(schema, `${route.id}.${status}`) } }
        : response.contentType
          ? { [contentType]: { schema: { type: 'string' } } }
          : undefined;
      responses[status] = {
        description: response.description,
        // Retry-After is promised only where the chain sets it (the standard 429/503 responses).
        headers: responseHeaders(false),
        ...(content ? { content } : {}),
      };
    }
    const sortedResponses = Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)),
    );
    const scopes = methodScopes(route.access);
    return {
      operationId: route.id,
      summary: route.summary,
      description: describeAccess(route.access),
      tags: [route.tag],
      parameters: [
        ...parameters(route, 'path'),
        ...parameters(route, 'query'),
        { $ref: '#/components/parameters/CorrelationId' },
      ],
      ...(body
        ? {
            requestBody: {
              // A body schema that accepts "no body" (optional) makes the body optional.
              required: !z.safeParse(body, undefined).success,
              content: {
                'application/json': { schema: converter.convert(body, 'input', `${route.id}.body`) },
              },
            },
          }
        : {}),
      responses: sortedResponses,
      // A requirement per scope: API Gateway accepts a token holding any one of the method's scopes.
      security: isPublic(route.access)
        ? []
        : scopes.length > 0
          ? scopes.map((scope) => ({ [SECURITY_SCHEME]: [scope] }))
          : [{ [SECURITY_SCHEME]: [] }],
    };
  };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: string[] = [];
  for (const route of options.routes ?? routeTable) {
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`Two routes declare ${route.method} ${route.path}.`);
    item[method] = operation(route);
    if (!tags.includes(route.tag)) tags.push(route.tag);
  }

  const errorResponses = Object.fromEntries(
    Object.values(STANDARD_ERRORS).map((error) => [error.component, errorResponseComponent(error)]),
  );

  const finished = converter.finish(paths);

  return {
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version: API_VERSION,
      description: [
        'Workplace mental-health analytics. Every error is the envelope',
        '`{"error": {"code", "message", "details"?, "requestId"}}`; `requestId` identifies the request in',
        'the logs. Send `x-correlation-id` to trace a call across services; it is echoed as `X-Correlation-Id`.',
      ].join(' '),
    },
    servers: [
      options.serverUrl
        ? { url: options.serverUrl }
        : { url: '.', description: 'The API that served this document (same stage / base path)' },
    ],
    tags: tags.map((name) => ({ name })),
    paths: finished.document,
    components: {
      schemas: finished.schemas,
      responses: errorResponses,
      headers: {
        CorrelationId: {
          description: "The caller's `x-correlation-id` when it is a plain token, otherwise the request id.",
          schema: { type: 'string' },
        },
        RetryAfter: {
          description: 'Seconds to wait before retrying.',
          schema: { type: 'integer', minimum: 0 },
        },
      },
      parameters: {
        CorrelationId: {
          name: 'x-correlation-id',
          in: 'header',
          required: false,
          description:
            'Optional trace id (letters, digits, `._:-`, at most 128 characters) carried into the logs and echoed back.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: { [SECURITY_SCHEME]: securityScheme() },
    },
  };
};
