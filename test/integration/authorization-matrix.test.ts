import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { api, bearer } from './support/api.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';
import { ACTORS, PLANNED_ROUTES, SCENARIOS, type Actor } from './support/route-scenarios.ts';
import { missingExpectations } from './support/route-scenarios-organisation.ts';

/**
 * Every route of the route table × every kind of caller → the expected status, through the local
 * gateway with real tokens; and no response carries another test user's id or e-mail.
 */
const accounts = {} as Record<Exclude<Actor, 'anonymous' | 'machine'>, Account>;
let pipelineToken = '';
let departmentId = '';

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

  // The organisation around the subject: their department (managed by managerOfDepartment), another
  // department (managed by managerOfOther), and the subject's consent to one named clinician.
  const asAdmin = (method: string, path: string, body: unknown) =>
    api(path, {
      method,
      headers: { ...bearer(admin.accessToken), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const department = await asAdmin('POST', '/departments', {
    name: `Matrix ${randomUUID()}`,
    managerIds: [manager.id],
  });
  const otherDepartment = await asAdmin('POST', '/departments', {
    name: `Matrix other ${randomUUID()}`,
    managerIds: [otherManager.id],
  });
  expect([department.status, otherDepartment.status]).toEqual([201, 201]);
  departmentId = (department.json as { id: string }).id;
  const moved = await asAdmin('PUT', `/users/${self.id}`, { version: 1, departmentId });
  expect(moved.status, moved.text).toBe(200);
  const consent = await api('/users/me/consents', {
    method: 'PUT',
    headers: { ...bearer(self.accessToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ clinicianAccess: { granted: true, clinicianIds: [clinician.id] } }),
  });
  expect(consent.status, consent.text).toBe(200);
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

  it('gives every actor an expectation in every scenario', () => {
    expect(missingExpectations()).toEqual([]);
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
          const context = { subject, actor, departmentId };
          const { path, init = {} } = scenario.request(context);
          const prepared = await scenario.prepare?.(context);
          const token = prepared?.token ?? tokenOf(actor);
          const response = await api(path, {
            ...init,
            method: init.method ?? route.method,
            headers: {
              ...(init.headers as Record<string, string> | undefined),
              ...(token ? bearer(token) : {}),
            },
          });
          expect(response.status, response.text.slice(0, 300)).toBe(scenario.expected[actor]);

          // No answer carries another test user's id or e-mail, except what the scenario says this
          // caller may legitimately see (and then only on success).
          const own = actor === 'anonymous' || actor === 'machine' ? undefined : accounts[actor];
          const reveals = response.status < 300 ? scenario.reveals?.[actor] : undefined;
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
