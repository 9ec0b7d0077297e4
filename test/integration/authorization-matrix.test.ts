import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { api, bearer } from './support/api.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';
import { ACTORS, PLANNED_ROUTES, SCENARIOS, type Actor } from './support/route-scenarios.ts';

/**
 * Every route of the route table × every kind of caller → the expected status, through the local
 * gateway with real tokens; and no response carries another test user's id or e-mail.
 */
const accounts = {} as Record<Exclude<Actor, 'anonymous' | 'machine'>, Account>;
let pipelineToken = '';

beforeAll(async () => {
  const [self, other, manager, otherManager, clinician, unconsentedClinician, admin, token] =
    await Promise.all([
      registerAccount([], 'self'),
      registerAccount([], 'other'),
      registerAccount(['manager'], 'manager'),
      registerAccount(['manager'], 'manager-other'),
      registerAccount(['clinician'], 'clinician'),
      registerAccount(['clinician'], 'clinician-noconsent'),
      registerAccount(['admin'], 'admin'),
      machineToken(),
    ]);
  Object.assign(accounts, {
    employeeSelf: self,
    employeeOther: other,
    managerOfDepartment: manager,
    managerOfOther: otherManager,
    clinicianWithConsent: clinician,
    clinicianWithoutConsent: unconsentedClinician,
    admin,
  });
  pipelineToken = token;
});

const tokenOf = (actor: Actor): string | undefined =>
  actor === 'anonymous' ? undefined : actor === 'machine' ? pipelineToken : accounts[actor].accessToken;

describe('authorization matrix', () => {
  it('has a scenario for every route of the route table', () => {
    const missing = routeTable
      .filter((route) => !SCENARIOS[route.id])
      .map((r) => `${r.id} (${r.method} ${r.path})`);
    expect(missing, 'routes without authorization expectations').toEqual([]);
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
        it(`${actor} → ${scenario.expected[actor]}`, async () => {
          const subject = accounts.employeeSelf;
          const { path, init = {} } = scenario.request({ subject, actor });
          const token = tokenOf(actor);
          const response = await api(path, {
            ...init,
            method: init.method ?? route.method,
            headers: {
              ...(init.headers as Record<string, string> | undefined),
              ...(token ? bearer(token) : {}),
            },
          });
          expect(response.status, response.text.slice(0, 300)).toBe(scenario.expected[actor]);

          const own = actor === 'anonymous' || actor === 'machine' ? undefined : accounts[actor];
          for (const account of Object.values(accounts)) {
            if (account === own) continue;
            expect(response.text, `${actor} received ${account.email}'s data`).not.toContain(account.id);
            expect(response.text).not.toContain(account.email);
          }
        });
      }
    });
  }
});
