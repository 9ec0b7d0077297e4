import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
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
  // An object with a field no schema has (strict objects refuse unknown fields), plus random others.
  fc
    .tuple(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), {
        maxKeys: 4,
      }),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([fields, extra]) => JSON.stringify({ ...fields, zz_fuzz_unknown_field: extra })),
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
