import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as z from 'zod/mini';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#contract/common.ts';
import { isPublic, type RouteDefinition } from '#contract/route.ts';
import { routeTable } from '#contract/routes.ts';
import { api, bearer } from './support/api.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';

/**
 * Fuzzing every route of the table that takes a body or a query: generated invalid input must be
 * answered 400/413/415 with the error envelope — never a 5xx — and must write nothing. Seeds are fixed
 * for CI; FUZZ_RUNS raises the count on demand.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

const callers = {} as {
  employee: Account;
  admin: Account;
  clinician: Account;
  manager: Account;
  machine: string;
};

beforeAll(async () => {
  const [employee, admin, clinician, manager, machine] = await Promise.all([
    registerAccount([], 'fuzz'),
    registerAccount(['admin'], 'fuzz-admin'),
    registerAccount(['clinician'], 'fuzz-clinician'),
    registerAccount(['manager'], 'fuzz-manager'),
    machineToken(),
  ]);
  Object.assign(callers, { employee, admin, clinician, manager, machine });
});

/** A caller the route's role gate lets through, so the input itself is what gets judged. */
const callerFor = (route: RouteDefinition): { token?: string; self?: Account } => {
  if (isPublic(route.access)) return {};
  const { users } = route.access;
  if (users === 'none') return { token: callers.machine };
  if (users === 'any' || users.includes('employee'))
    return { token: callers.employee.accessToken, self: callers.employee };
  const group = users[0];
  const account =
    group === 'admin' ? callers.admin : group === 'clinician' ? callers.clinician : callers.manager;
  return { token: account.accessToken, self: account };
};

const pathFor = (route: RouteDefinition, self: Account | undefined) =>
  route.path
    .replace('{user_id}', self?.id ?? randomUUID())
    .replace('{type}', 'chat')
    .replace(/\{[a-z_]+\}/g, () => randomUUID());

const acceptable = [400, 413, 415];

/**
 * Key names that break code which treats a JSON object as a plain JS object: Object.prototype's
 * members, the prototype setter, empty, very long and non-ASCII names.
 */
const AWKWARD_KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'isPrototypeOf',
  '',
  'k'.repeat(2000),
  'ä日本💥',
  '\u202e',
] as const;
const keyNames = fc.oneof(fc.constantFrom(...AWKWARD_KEYS), fc.string({ minLength: 1, maxLength: 12 }));

/** A JSON object text with exactly these keys (built as text: `__proto__` must stay an ordinary key). */
const objectText = (entries: ReadonlyArray<readonly [string, string]>): string =>
  `{${entries.map(([key, valueJson]) => `${JSON.stringify(key)}:${valueJson}`).join(',')}}`;

/** Malformed percent-escapes: truncated, not hex, and escapes that are not UTF-8. */
const malformedEscapes = fc.constantFrom(
  '%E0%A4%A',
  '%',
  '%G1',
  '%E0%A4',
  '%C3',
  '%FF',
  '%ED%A0%80',
  'a%2',
  '%%',
);

const expectRejected = (response: Awaited<ReturnType<typeof api>>, label: string) => {
  expect(response.status, `${label}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
  expect(acceptable, `${label}: ${response.status} ${response.text.slice(0, 200)}`).toContain(
    response.status,
  );
  const envelope = response.json as { error?: { code?: string; requestId?: string } };
  expect(typeof envelope.error?.code).toBe('string');
  expect(typeof envelope.error?.requestId).toBe('string');
};

/** Bodies no strict object schema accepts, in many shapes. */
const invalidJsonBodies = fc.oneof(
  fc
    .oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null))
    .map((v) => JSON.stringify(v)),
  fc.array(fc.jsonValue(), { maxLength: 5 }).map((v) => JSON.stringify(v)),
  // An object with a field no schema has (strict objects refuse unknown fields), plus random others,
  // awkward names among them.
  fc
    .tuple(
      fc.array(fc.tuple(keyNames, fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([fields, extra]) =>
      objectText([
        ...fields.map(([key, value]) => [key, JSON.stringify(value) ?? 'null'] as const),
        ['zz_fuzz_unknown_field', JSON.stringify(extra) ?? 'null'],
      ]),
    ),
  // Deep nesting, within the size limit.
  fc.integer({ min: 100, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  // Odd unicode: lone surrogates, control characters, RTL marks — as a bare string body.
  fc.constantFrom('"\\ud800"', '"\\u0000\\u202e\\ufeff"', '"💥\\udfff"').map((s) => s),
  // Not JSON at all.
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

const bodyRoutes = routeTable.filter((route) => route.request.body);
const queryRoutes = routeTable.filter((route) => route.request.query);

describe('fuzzing request bodies', () => {
  it('covers every route with a body', () => {
    expect(bodyRoutes.length).toBeGreaterThan(0);
  });

  for (const route of bodyRoutes) {
    it(`${route.method} ${route.path}: invalid bodies → 400/413/415, never 5xx, nothing written`, async () => {
      const { token, self } = callerFor(route);
      const before = self
        ? (await api('/users/me/access-log?limit=100', { headers: bearer(self.accessToken) })).json
        : undefined;
      await fc.assert(
        fc.asyncProperty(invalidJsonBodies, async (body) => {
          const response = await api(pathFor(route, self), {
            method: route.method,
            headers: { 'Content-Type': 'application/json', ...(token ? bearer(token) : {}) },
            body,
          });
          expectRejected(response, `body ${body.slice(0, 60)}`);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      // Each field holding an object whose own `length` cannot be compared (zod's length checks throw
      // on it): a 400 naming the field, not a 500.
      const schema = z.toJSONSchema(route.request.body!, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
      };
      for (const field of Object.keys(schema.properties ?? {})) {
        const response = await api(pathFor(route, self), {
          method: route.method,
          headers: { 'Content-Type': 'application/json', ...(token ? bearer(token) : {}) },
          body: `{${JSON.stringify(field)}:{"length":{"toString":false,"valueOf":false}}}`,
        });
        expectRejected(response, `poisoned length in ${field}`);
      }
      // Wrong content types and oversized bodies.
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await api(pathFor(route, self), {
          method: route.method,
          headers: { 'Content-Type': contentType, ...(token ? bearer(token) : {}) },
          body: '{"a":1}',
        });
        expectRejected(response, contentType);
        expect(response.status).toBe(415);
      }
      const oversized = await api(pathFor(route, self), {
        method: route.method,
        headers: { 'Content-Type': 'application/json', ...(token ? bearer(token) : {}) },
        body: JSON.stringify({ blob: 'x'.repeat(MAX_BODY_BYTES) }),
      });
      expect(oversized.status).toBe(413);
      // Nothing was written about the caller: their access log (every change is audited) is unchanged.
      if (self) {
        const after = (await api('/users/me/access-log?limit=100', { headers: bearer(self.accessToken) }))
          .json;
        expect(after).toEqual(before);
      }
    });
  }
});

describe('fuzzing query strings', () => {
  for (const route of queryRoutes) {
    it(`${route.method} ${route.path}: unknown or out-of-range parameters → 400, never 5xx`, async () => {
      const { token, self } = callerFor(route);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 10 }).map((v) => `zz_fuzz=${encodeURIComponent(v)}`),
            fc
              .oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }), fc.constant(1.5))
              .map((n) => `limit=${n}`),
            fc.string({ maxLength: 30 }).map((v) => `limit=${encodeURIComponent(v)}x`),
            fc.string({ minLength: 1, maxLength: 60 }).map((v) => `cursor=${encodeURIComponent(v)}`),
            // Non-canonical integers: a number coercion would read each of them as a valid limit.
            fc.constantFrom('1e1', '+5', '%205', '5.0', '0x10', '05').map((v) => `limit=${v}`),
            // Parameters named like Object.prototype members, or the prototype setter.
            fc.constantFrom(...AWKWARD_KEYS.filter(Boolean)).map((k) => `${encodeURIComponent(k)}=1`),
          ),
          async (query) => {
            const response = await api(`${pathFor(route, self)}?${query}`, {
              method: route.method,
              headers: token ? bearer(token) : {},
            });
            // A path naming a resource that does not exist (a random session id) may answer 404 before
            // the query is looked at; either way the input is refused, never a 5xx.
            const randomResource = /\{(?!user_id\}|type\})[a-z_]+\}/.test(route.path);
            expect(
              randomResource ? [400, 404] : [400],
              `${query}: ${response.status} ${response.text.slice(0, 200)}`,
            ).toContain(response.status);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});

describe('fuzzing paths', () => {
  const paramRoutes = routeTable.filter((route) => /\{[a-z_]+\}/.test(route.path));

  it('covers every route with a path parameter', () => {
    expect(paramRoutes.length).toBeGreaterThan(10);
  });

  for (const route of paramRoutes) {
    it(`${route.method} ${route.path}: a malformed percent-escape → 400 envelope, never 5xx`, async () => {
      const { token } = callerFor(route);
      await fc.assert(
        fc.asyncProperty(malformedEscapes, fc.string({ maxLength: 6 }), async (escape, prefix) => {
          const path = route.path.replace(/\{[a-z_]+\}/, `${encodeURIComponent(prefix)}${escape}`);
          const response = await api(
            path.replace(/\{[a-z_]+\}/g, () => randomUUID()),
            {
              method: route.method,
              headers: { 'Content-Type': 'application/json', ...(token ? bearer(token) : {}) },
              ...(route.request.body ? { body: '{}' } : {}),
            },
          );
          expect(response.status, `${path}: ${response.text.slice(0, 200)}`).toBe(400);
          expectRejected(response, path);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});

describe('fuzzing free-form map keys: stored and read back intact, or a 400 naming the key', () => {
  /** Survey answers, mental-state indicators, voice features: every map a client names the keys of. */
  const analysis = (mentalState: string, voiceFeatures?: string) =>
    `{"sentiment":{"label":"neutral","score":0.5},"emotions":{"joy":0.5},"model":{"name":"m","version":"1"},` +
    `"analyzedAt":"${new Date().toISOString()}","durationSec":2,"mentalState":${mentalState}` +
    `${voiceFeatures ? `,"voiceFeatures":${voiceFeatures}` : ''}}`;

  /** Either 201 with the map as sent, or 400 whose details name the key (any other status fails). */
  const expectStoredOrNamed = (
    response: Awaited<ReturnType<typeof api>>,
    map: Record<string, unknown> | undefined,
    sent: ReadonlyArray<readonly [string, number]>,
    field: string,
  ) => {
    expect([201, 400], `${response.status} ${response.text.slice(0, 300)}`).toContain(response.status);
    if (response.status === 201) {
      expect(map && Object.entries(map)).toEqual(sent.map(([k, v]) => [k, v]));
      return;
    }
    const details = (response.json as { error: { details: { field: string }[] } }).error.details;
    expect(
      details.some((d) => sent.some(([key]) => d.field === `${field}.${key}`)),
      JSON.stringify(details).slice(0, 300),
    ).toBe(true);
  };

  const entries = fc.uniqueArray(fc.tuple(keyNames, fc.integer({ min: 0, max: 1 })), {
    minLength: 1,
    maxLength: 3,
    selector: ([key]) => key,
  });

  it('custom survey answers', async () => {
    await fc.assert(
      fc.asyncProperty(entries, async (sent) => {
        const body = `{"instrument":"custom","answers":${objectText(sent.map(([k, v]) => [k, String(v)]))}}`;
        const response = await api('/surveys/responses', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...bearer(callers.employee.accessToken) },
          body,
        });
        expectStoredOrNamed(
          response,
          (response.json as { answers?: Record<string, unknown> }).answers,
          sent,
          'body.answers',
        );
        if (response.status === 201) {
          const { id } = response.json as { id: string };
          const list = await api(
            `/surveys/responses/user/${callers.employee.id}?instrument=custom&limit=100`,
            {
              headers: bearer(callers.employee.accessToken),
            },
          );
          const stored = (
            list.json as { items: { id: string; answers: Record<string, unknown> }[] }
          ).items.find((item) => item.id === id);
          expect(stored && Object.entries(stored.answers)).toEqual(sent.map(([k, v]) => [k, v]));
        }
      }),
      { numRuns: Math.max(RUNS, AWKWARD_KEYS.length), seed: SEED },
    );
  });

  it('mentalState and voiceFeatures of an analysis, alone and in a batch (per-item results)', async () => {
    await fc.assert(
      fc.asyncProperty(entries, async (sent) => {
        const map = objectText(sent.map(([k, v]) => [k, String(v)]));
        const single = await api('/analyses/speech', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...bearer(callers.employee.accessToken) },
          body: analysis(map, map),
        });
        const stored = single.json as {
          mentalState?: Record<string, unknown>;
          voiceFeatures?: Record<string, unknown>;
        };
        expectStoredOrNamed(single, stored.mentalState, sent, 'body.mentalState');
        if (single.status === 201)
          expect(stored.voiceFeatures && Object.entries(stored.voiceFeatures)).toEqual(sent);

        // The same item among valid ones in a batch: the batch answers 200 with one result per item.
        const userItem = (mentalState: string) =>
          analysis(mentalState).replace('{', `{"userId":"${callers.employee.id}",`);
        const batch = await api('/analyses/speech/batch', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...bearer(callers.machine) },
          body: `{"items":[${userItem('{"stress":0.5}')},${userItem(map)}]}`,
        });
        expect(batch.status, batch.text.slice(0, 300)).toBe(200);
        const { results } = batch.json as {
          results: { index: number; status: number; error?: { details?: { field: string }[] } }[];
        };
        expect(results.map((r) => r.index)).toEqual([0, 1]);
        expect(results[0]?.status).toBe(201);
        expect(results[1]?.status).toBe(single.status);
        if (single.status === 400)
          expect(
            results[1]?.error?.details?.some((d) => d.field.startsWith('body.items.1.mentalState.')),
          ).toBe(true);
      }),
      { numRuns: Math.max(RUNS, AWKWARD_KEYS.length), seed: SEED },
    );
  });

  it('the names of the issue, one by one: constructor is stored, __proto__ is named', async () => {
    const post = (body: string) =>
      api('/surveys/responses', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...bearer(callers.employee.accessToken) },
        body,
      });
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const response = await post(`{"instrument":"custom","answers":{"${key}":1,"other":"x"}}`);
      expect(response.status, `${key}: ${response.text}`).toBe(201);
      expect((response.json as { answers: unknown }).answers).toEqual(JSON.parse(`{"${key}":1,"other":"x"}`));
    }
    const proto = await post('{"instrument":"custom","answers":{"__proto__":1,"other":"x"}}');
    expect(proto.status).toBe(400);
    expect((proto.json as { error: { details: unknown[] } }).error.details).toEqual([
      {
        field: 'body.answers.__proto__',
        code: 'invalid_key',
        message: 'is not an allowed key: is a reserved name',
      },
    ]);
    const chat = await api('/analyses/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...bearer(callers.employee.accessToken) },
      body: analysis('{"constructor":0.4}').replace(',"durationSec":2', ''),
    });
    expect(chat.status, chat.text).toBe(201);
    expect((chat.json as { mentalState: unknown }).mentalState).toEqual(JSON.parse('{"constructor":0.4}'));
  });
});
