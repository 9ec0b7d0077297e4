import { TEST_CORS_ORIGIN } from './support/test-env.ts';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#contract/common.ts';
import { CORS_EXPOSE_HEADERS } from '#contract/cors.ts';
import { defineRoute } from '#contract/route.ts';
import { RETRY_AFTER_THROTTLED } from '#http/error-mapper.ts';
import { conflict } from '#http/errors.ts';
import { created, createApiHandler, noContent, ok } from '#http/handler-factory.ts';
import {
  invoke,
  newRequestId,
  restEvent,
  userClaims,
  type EventOptions,
  type Handler,
} from './support/lambda.ts';

/**
 * The handler factory end to end, in process: synthetic API Gateway REST (v1) proxy events through the
 * whole Middy chain of a route defined here, as API Gateway would invoke the Lambda.
 */

const createThing = defineRoute({
  id: 'test.createThing',
  method: 'POST',
  path: '/things',
  handler: 'test/unit/handler-factory.test.ts',
  summary: 'Create a thing',
  tag: 'test',
  access: { users: ['admin'] },
  data: 'none',
  identity: 'none',
  throttle: 'default',
  request: {
    query: z.object({ limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))) }),
    body: z.strictObject({
      name: z.string().check(z.minLength(1)),
      size: z.optional(z.number().check(z.int(), z.minimum(0))),
    }),
  },
  responses: { 201: { description: 'Created' } },
});

const getThing = defineRoute({
  id: 'test.getThing',
  method: 'GET',
  path: '/things/{thing_id}',
  handler: 'test/unit/handler-factory.test.ts',
  summary: 'Read a thing',
  tag: 'test',
  access: { users: 'any' },
  data: 'none',
  identity: 'none',
  throttle: 'default',
  request: { params: z.object({ thing_id: z.uuid() }) },
  responses: { 200: { description: 'The thing' } },
});

const ADMIN = userClaims('2f1e0d9c-8b7a-4654-8321-0fedcba98765', '[admin]');
const MANAGER = userClaims('3a2b1c0d-9e8f-4a6b-9c5d-4e3f2a1b0c9d', '[manager]');
const THING_ID = '5d0c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';

const createThingHandler = createApiHandler(createThing, async ({ body, query, principal }) =>
  created({
    name: body.name,
    size: body.size ?? null,
    limit: query.limit ?? null,
    createdBy: principal.kind,
  }),
);
const getThingHandler = createApiHandler(getThing, async ({ params }) => ok({ id: params.thing_id }));

const post = (options: Partial<EventOptions> = {}) =>
  restEvent({
    method: 'POST',
    path: '/things',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'lamp' }),
    claims: ADMIN,
    ...options,
  });

const withBody = (body: string) => post({ body });

type Envelope = {
  error: { code: string; message: string; details?: { field: string }[]; requestId: string };
};
const fieldsOf = (json: unknown): string[] =>
  ((json as Envelope).error.details ?? []).map((d) => d.field).sort();

const expectEnvelope = (json: unknown, code: string, requestId: string) => {
  const envelope = json as Envelope;
  expect(Object.keys(envelope)).toEqual(['error']);
  expect(envelope.error.code).toBe(code);
  expect(typeof envelope.error.message).toBe('string');
  expect(envelope.error.requestId).toBe(requestId);
  for (const key of Object.keys(envelope.error))
    expect(['code', 'message', 'details', 'requestId']).toContain(key);
};

describe('createApiHandler: success', () => {
  it('answers 201 with the validated, coerced input for an admin', async () => {
    const event = post({ query: { limit: '5' }, body: JSON.stringify({ name: 'lamp', size: 3 }) });
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(201);
    expect(response.headers['Content-Type']).toBe('application/json');
    expect(response.json).toEqual({ name: 'lamp', size: 3, limit: 5, createdBy: 'user' });
  });

  it('answers 200 for any signed-in user on a read route', async () => {
    const response = await invoke(
      getThingHandler,
      restEvent({ path: `/things/${THING_ID}`, pathParameters: { thing_id: THING_ID }, claims: MANAGER }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ id: THING_ID });
  });

  it('accepts a JSON content type with parameters and a base64-encoded body', async () => {
    const response = await invoke(
      createThingHandler,
      post({
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(JSON.stringify({ name: 'é-lamp' }), 'utf8').toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({ name: 'é-lamp' });
  });

  it('sends 204 with an empty body and no content type', async () => {
    const handler = createApiHandler(getThing, async () => noContent());
    const response = await invoke(
      handler,
      restEvent({ path: `/things/${THING_ID}`, pathParameters: { thing_id: THING_ID }, claims: MANAGER }),
    );
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['Content-Type']).toBeUndefined();
  });
});

describe('createApiHandler: request body', () => {
  it('answers 415 for a body that is not JSON', async () => {
    const event = post({ headers: { 'Content-Type': 'text/plain' } });
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(415);
    expectEnvelope(response.json, 'UNSUPPORTED_MEDIA_TYPE', event.requestContext.requestId);
  });

  it('answers 415 for a body without a content type', async () => {
    const response = await invoke(createThingHandler, post({ headers: {} }));
    expect(response.statusCode).toBe(415);
  });

  it('answers 413 above MAX_BODY_BYTES, counting bytes rather than characters', async () => {
    const padding = (bytes: number, char: string) => char.repeat(bytes);
    const envelopeBytes = Buffer.byteLength(JSON.stringify({ name: '' }));
    // Exactly at the limit: accepted.
    const atLimit = JSON.stringify({ name: padding(MAX_BODY_BYTES - envelopeBytes, 'a') });
    expect(Buffer.byteLength(atLimit)).toBe(MAX_BODY_BYTES);
    expect((await invoke(createThingHandler, withBody(atLimit))).statusCode).toBe(201);
    // One byte over: rejected.
    const overLimit = JSON.stringify({ name: padding(MAX_BODY_BYTES - envelopeBytes + 1, 'a') });
    const event = withBody(overLimit);
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(413);
    expectEnvelope(response.json, 'PAYLOAD_TOO_LARGE', event.requestContext.requestId);
    // Two-byte characters: fewer characters than the limit, more bytes.
    const multiByte = JSON.stringify({ name: padding(MAX_BODY_BYTES / 2, 'é') });
    expect(multiByte.length).toBeLessThan(MAX_BODY_BYTES);
    expect((await invoke(createThingHandler, withBody(multiByte))).statusCode).toBe(413);
  });

  it('answers 400 naming the body for malformed JSON', async () => {
    const event = withBody('{"name": "lamp",');
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(400);
    expectEnvelope(response.json, 'VALIDATION_FAILED', event.requestContext.requestId);
    expect((response.json as Envelope).error.details).toEqual([
      { field: 'body', code: 'invalid_json', message: 'is not valid JSON' },
    ]);
  });

  it('answers 400 naming the body when a required body is missing', async () => {
    const response = await invoke(createThingHandler, post({ body: null }));
    expect(response.statusCode).toBe(400);
    expect((response.json as Envelope).error.details).toEqual([
      { field: 'body', code: 'invalid_type', message: 'is required' },
    ]);
  });
});

describe('createApiHandler: validation', () => {
  it('answers 400 naming every bad and every extra field at once', async () => {
    const event = post({
      query: { limit: '0' },
      body: JSON.stringify({ name: 42, size: -1, colour: 'red', PK: 'USER#x' }),
    });
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(400);
    expectEnvelope(response.json, 'VALIDATION_FAILED', event.requestContext.requestId);
    expect(fieldsOf(response.json)).toEqual([
      'body.PK',
      'body.colour',
      'body.name',
      'body.size',
      'query.limit',
    ]);
  });

  it('answers 400 naming a bad path parameter', async () => {
    const response = await invoke(
      getThingHandler,
      restEvent({ path: '/things/not-a-uuid', pathParameters: { thing_id: 'not-a-uuid' }, claims: MANAGER }),
    );
    expect(response.statusCode).toBe(400);
    expect(fieldsOf(response.json)).toEqual(['params.thing_id']);
  });
});

describe('createApiHandler: authentication and roles', () => {
  it('answers 401 without authorizer claims', async () => {
    const event = post({ claims: undefined });
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(401);
    expectEnvelope(response.json, 'UNAUTHENTICATED', event.requestContext.requestId);
  });

  it('answers 403 for a signed-in user without the route’s group', async () => {
    const event = post({ claims: MANAGER });
    const response = await invoke(createThingHandler, event);
    expect(response.statusCode).toBe(403);
    expectEnvelope(response.json, 'FORBIDDEN', event.requestContext.requestId);
  });

  it('decides the role before reading the body, so a caller without it learns nothing about the input', async () => {
    expect((await invoke(createThingHandler, post({ claims: MANAGER, body: '{oops' }))).statusCode).toBe(403);
    expect((await invoke(createThingHandler, post({ claims: undefined, body: '{"x":1}' }))).statusCode).toBe(
      401,
    );
    const tooBig = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect((await invoke(createThingHandler, post({ claims: MANAGER, body: tooBig }))).statusCode).toBe(403);
  });
});

describe('createApiHandler: use case failures', () => {
  it('maps a domain error to its status and message', async () => {
    const handler = createApiHandler(createThing, async () => {
      throw conflict('A thing with this name exists.');
    });
    const event = post();
    const response = await invoke(handler, event);
    expect(response.statusCode).toBe(409);
    expectEnvelope(response.json, 'CONFLICT', event.requestContext.requestId);
    expect((response.json as Envelope).error.message).toBe('A thing with this name exists.');
  });

  it('answers 500 with only the request id for an unexpected error, never its message', async () => {
    const handler = createApiHandler(createThing, async () => {
      throw new Error('db exploded at PK=USER#42 with token abc');
    });
    const event = post();
    const response = await invoke(handler, event);
    expect(response.statusCode).toBe(500);
    expectEnvelope(response.json, 'INTERNAL', event.requestContext.requestId);
    expect(Object.keys((response.json as Envelope).error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(response.body).not.toMatch(/exploded|USER#42|abc|at .*\.ts/);
  });

  it('answers 503 with Retry-After when DynamoDB throttles', async () => {
    const handler = createApiHandler(createThing, async () => {
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      });
    });
    const event = post();
    const response = await invoke(handler, event);
    expect(response.statusCode).toBe(503);
    expectEnvelope(response.json, 'DEPENDENCY_UNAVAILABLE', event.requestContext.requestId);
    expect(response.headers['Retry-After']).toBe(String(RETRY_AFTER_THROTTLED));
    expect(response.body).not.toContain('Rate of requests');
  });

  it('answers 500 when a use case returns something that is not a result', async () => {
    const handler = createApiHandler(getThing, async () => undefined as never);
    const response = await invoke(
      handler,
      restEvent({ path: `/things/${THING_ID}`, pathParameters: { thing_id: THING_ID }, claims: MANAGER }),
    );
    expect(response.statusCode).toBe(500);
    expect((response.json as Envelope).error.code).toBe('INTERNAL');
  });
});

describe('createApiHandler: response headers', () => {
  const cases: [string, () => Promise<Awaited<ReturnType<typeof invoke>>>][] = [
    ['a success', () => invoke(createThingHandler, post())],
    ['a validation error', () => invoke(createThingHandler, withBody('{}'))],
    ['an authentication error', () => invoke(createThingHandler, post({ claims: undefined }))],
    [
      'an unexpected error',
      () =>
        invoke(
          createApiHandler(createThing, async () => {
            throw new Error('boom');
          }),
          post(),
        ),
    ],
  ];

  it.each(cases)('sends the security headers on %s', async (_case, run) => {
    const response = await run();
    expect(response.headers['Cache-Control']).toBe('no-store');
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(response.headers['Content-Security-Policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['X-Frame-Options']).toBe('DENY');
    expect(response.headers['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
  });

  it('allows an origin from CORS_ORIGINS, on successes and errors alike', async () => {
    for (const event of [
      post({ headers: { 'Content-Type': 'application/json', Origin: TEST_CORS_ORIGIN } }),
      post({ claims: undefined, headers: { 'Content-Type': 'application/json', origin: TEST_CORS_ORIGIN } }),
    ]) {
      const response = await invoke(createThingHandler, event);
      expect(response.headers['Access-Control-Allow-Origin']).toBe(TEST_CORS_ORIGIN);
      expect(response.headers['Access-Control-Expose-Headers']).toBe(CORS_EXPOSE_HEADERS.join(','));
      expect(response.headers['Vary']).toContain('Origin');
    }
  });

  it('does not allow an origin outside CORS_ORIGINS', async () => {
    for (const origin of ['https://evil.example.test', 'https://app.example.test.evil.test', 'null']) {
      const response = await invoke(
        createThingHandler,
        post({ headers: { 'Content-Type': 'application/json', Origin: origin } }),
      );
      expect(response.statusCode).toBe(201);
      expect(response.headers['Access-Control-Allow-Origin']).toBeUndefined();
      expect(response.headers['Access-Control-Expose-Headers']).toBeUndefined();
      // The answer still depends on the Origin header, so caches must keep origins apart.
      expect(response.headers['Vary']).toBe('Origin');
    }
  });

  it('echoes a safe x-correlation-id, whatever the header’s case', async () => {
    for (const name of ['x-correlation-id', 'X-Correlation-Id', 'X-CORRELATION-ID']) {
      const response = await invoke(
        createThingHandler,
        post({ headers: { 'Content-Type': 'application/json', [name]: 'trace-1.a:b_c' } }),
      );
      expect(response.headers['X-Correlation-Id']).toBe('trace-1.a:b_c');
    }
  });

  it('falls back to the request id for an unsafe correlation id, on errors too', async () => {
    for (const unsafe of ['bad id', '<script>', 'x'.repeat(129), 'line\nbreak']) {
      const requestId = newRequestId();
      const response = await invoke(
        createThingHandler,
        post({
          requestId,
          claims: undefined,
          headers: { 'Content-Type': 'application/json', 'x-correlation-id': unsafe },
        }),
      );
      expect(response.statusCode).toBe(401);
      expect(response.headers['X-Correlation-Id']).toBe(requestId);
    }
  });

  it('uses the request id as the correlation id when none is sent', async () => {
    const event = post();
    const response = await invoke(createThingHandler, event);
    expect(response.headers['X-Correlation-Id']).toBe(event.requestContext.requestId);
  });
});

describe('createApiHandler: route contract', () => {
  it('refuses a route that declares no access rule', () => {
    const noAccess = { ...getThing, access: undefined } as unknown as typeof getThing;
    expect(() => createApiHandler(noAccess, async () => ok({}))).toThrow(/declares no access rule/);
  });

  it('handlers are plain async functions of (event, context)', () => {
    const handler: Handler = createThingHandler;
    expect(typeof handler).toBe('function');
  });
});
