import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { api, bearer } from './support/api.ts';
import { createMatrixWorld, type MatrixWorld } from './support/matrix-world.ts';
import { ACTORS, PLANNED_ROUTES, SCENARIOS } from './support/route-scenarios.ts';
import { expectedStatus, missingExpectations, revealsOf } from './support/scenario-kit.ts';

/**
 * Every route of the route table × every kind of caller → the expected status, through the local
 * gateway with real tokens; and no response carries another test user's id or e-mail.
 */
let world: MatrixWorld;

beforeAll(async () => {
  world = await createMatrixWorld();
});

describe('authorization matrix', () => {
  it('has a scenario for every route of the route table', () => {
    const missing = routeTable
      .filter((route) => !SCENARIOS[route.id])
      .map((r) => `${r.id} (${r.method} ${r.path})`);
    expect(missing, 'routes without authorization expectations').toEqual([]);
  });

  it('gives every actor an expectation in every scenario', () => {
    expect(missingExpectations(SCENARIOS)).toEqual([]);
  });

  it('lists the contract routes not built yet as pending', () => {
    const built = new Set(routeTable.map((r) => `${r.method} ${r.path}`));
    const pending = PLANNED_ROUTES.filter((r) => !built.has(r));
    console.info(
      `[authorization matrix] pending (not in the route table yet): ${pending.length}\n  ${pending.join('\n  ')}`,
    );
    // Planned routes are the contract's own paths: each is either built or pending, never misspelled.
    for (const route of PLANNED_ROUTES)
      expect(route).toMatch(/^(GET|POST|PUT|DELETE) \/[a-z-]+(\/[a-z{}_-]+)*$/);
  });

  for (const route of routeTable) {
    const scenario = SCENARIOS[route.id];
    if (!scenario) continue; // reported by the first test
    describe(`${route.method} ${route.path}`, () => {
      for (const actor of ACTORS) {
        const expected = expectedStatus(scenario, actor);
        it(`${actor} → ${expected}`, async () => {
          const { accounts, departmentId } = world;
          const subject = accounts.employeeSelf;
          const context = { subject, actor, departmentId };
          const { path, init = {} } = scenario.request(context);
          const prepared = await scenario.prepare?.(context);
          const token = prepared?.token ?? world.tokenOf(actor);
          const response = await api(path, {
            ...init,
            method: init.method ?? route.method,
            headers: {
              ...(init.headers as Record<string, string> | undefined),
              ...(token ? bearer(token) : {}),
            },
          });
          expect(response.status, response.text.slice(0, 300)).toBe(expected);

          // No answer carries another test user's id or e-mail, except what the scenario says this
          // caller may legitimately see (and then only on success).
          const own = actor === 'anonymous' || actor === 'machine' ? undefined : accounts[actor];
          const reveals = response.status < 300 ? revealsOf(scenario, actor) : undefined;
          if (reveals === 'all') return;
          for (const account of Object.values(accounts)) {
            if (account === own || (reveals === 'subject' && account === subject)) continue;
            expect(response.text, `${actor} received ${account.email}'s data`).not.toContain(account.id);
            expect(response.text).not.toContain(account.email);
          }
        });
      }
    });
  }
});
