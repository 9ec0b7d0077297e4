import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import {
  COST_HEADER,
  costTargetMisses,
  parseCost,
  type DynamoDbCost,
} from '../../lib/local/dynamodb-meter.ts';
import { api, bearer, type ApiResponse } from './support/api.ts';
import {
  enrolTotp,
  login,
  post,
  registerAccount,
  setTemporaryPassword,
  strongPassword,
} from './support/accounts.ts';
import { awaitCode } from './support/outbox.ts';
import { totpCode } from './support/totp.ts';
import { createMatrixWorld, type MatrixWorld } from './support/matrix-world.ts';
import { ACTORS, SCENARIOS, type Actor } from './support/route-scenarios.ts';

/**
 * DynamoDB cost per route: every route of the table, played by every caller the
 * authorization matrix expects to succeed, through the local gateway; the runtime meters the handler's
 * DynamoDB calls and answers them in X-Local-DynamoDB-Cost. Targets: a read route takes at most 2 round
 * trips; a write puts everything it writes (entity, audit, counters, alerts) in one call — one
 * transaction — so a failure can never leave half of it. `npm run bench` prints the same table with the
 * consumed capacity (MHA_COST_REPORT names the file this suite writes it to).
 */
export interface CostRow {
  route: string;
  method: string;
  path: string;
  data: (typeof routeTable)[number]['data'];
  actor: Actor | 'prepared';
  status: number;
  cost: DynamoDbCost;
}

let world: MatrixWorld;
const rows: CostRow[] = [];

beforeAll(async () => {
  world = await createMatrixWorld();
});

afterAll(() => {
  const file = process.env.MHA_COST_REPORT;
  if (file) writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
});

type Measured = { path: string; init: RequestInit; token?: string | undefined };

/**
 * Successful calls of routes whose matrix scenarios fail on purpose (stale versions, unknown ids, ghost
 * logins — they must not change the shared accounts): each makes what it acts on first.
 */
const successfulRequests: Record<string, (w: MatrixWorld) => Promise<Measured>> = {
  'auth.login': async ({ accounts }) => ({
    path: '/auth/login',
    init: jsonInit('POST', {
      email: accounts.employeeOther.email,
      password: accounts.employeeOther.password,
    }),
  }),
  'auth.loginMfa': async () => {
    const account = await registerAccount([], 'cost-mfa');
    const secret = await enrolTotp(account);
    const step = await login(account.email, account.password);
    return {
      path: '/auth/login/mfa',
      init: jsonInit('POST', { session: step.json.session, code: totpCode(secret) }),
    };
  },
  'auth.loginNewPassword': async () => {
    const account = await registerAccount([], 'cost-new-password');
    const temporary = strongPassword();
    await setTemporaryPassword(account.email, temporary);
    const step = await login(account.email, temporary);
    return {
      path: '/auth/login/new-password',
      init: jsonInit('POST', { session: step.json.session, newPassword: strongPassword() }),
    };
  },
  'auth.changePassword': async () => {
    const account = await registerAccount([], 'cost-change-password');
    return {
      path: '/auth/password',
      init: jsonInit('POST', { currentPassword: account.password, newPassword: strongPassword() }),
      token: account.accessToken,
    };
  },
  'auth.resetPassword': async () => {
    const account = await registerAccount([], 'cost-reset-password');
    const asked = Date.now();
    await post('/auth/password/forgot', { email: account.email });
    const code = await awaitCode(account.email, 'password_reset', asked);
    return {
      path: '/auth/password/reset',
      init: jsonInit('POST', { email: account.email, code, newPassword: strongPassword() }),
    };
  },
  'auth.totpVerify': async () => {
    const account = await registerAccount([], 'cost-totp');
    const started = await post('/auth/mfa/totp', {}, bearer(account.accessToken));
    return {
      path: '/auth/mfa/totp/verify',
      init: jsonInit('POST', { code: totpCode(started.json.secretCode as string) }),
      token: account.accessToken,
    };
  },
  'auth.refresh': async ({ accounts }) => ({
    path: '/auth/refresh',
    init: jsonInit('POST', { refreshToken: accounts.employeeOther.refreshToken }),
  }),
  'users.update': async () => {
    const account = await registerAccount([], 'cost-update');
    return {
      path: `/users/${account.id}`,
      init: jsonInit('PUT', { version: 1, fullName: 'Renamed' }),
      token: account.accessToken,
    };
  },
  'users.deactivate': async ({ accounts }) => {
    const account = await registerAccount([], 'cost-deactivate');
    return { path: `/users/${account.id}`, init: { method: 'DELETE' }, token: accounts.admin.accessToken };
  },
  'departments.update': async ({ accounts }) => {
    const created = await api('/departments', {
      ...jsonInit('POST', { name: `Cost ${randomUUID()}` }),
      headers: { 'Content-Type': 'application/json', ...bearer(accounts.admin.accessToken) },
    });
    const { id } = created.json as { id: string };
    return {
      path: `/departments/${id}`,
      init: jsonInit('PUT', { version: 1, name: `Cost renamed ${randomUUID()}` }),
      token: accounts.admin.accessToken,
    };
  },
  'consents.update': async () => {
    const account = await registerAccount([], 'cost-consent');
    return {
      path: '/users/me/consents',
      init: jsonInit('PUT', { aggregateAnalytics: { granted: false } }),
      token: account.accessToken,
    };
  },
  'alerts.update': async ({ accounts }) => {
    const account = await registerAccount([], 'cost-alert');
    const answers = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, i === 8 ? 1 : 0]));
    const submitted = await api('/surveys/responses', {
      ...jsonInit('POST', { instrument: 'phq9', answers }),
      headers: { 'Content-Type': 'application/json', ...bearer(account.accessToken) },
    });
    expect(submitted.status, submitted.text).toBe(201);
    const clinician = accounts.clinicianWithoutConsent.accessToken;
    type AlertPage = {
      items: Array<{ id: string; userId: string; version: number }>;
      nextCursor: string | null;
    };
    let cursor: string | null = null;
    do {
      const page: ApiResponse<AlertPage> = await api<AlertPage>(
        `/alerts?status=open&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: bearer(clinician) },
      );
      const alert = page.json.items.find((a) => a.userId === account.id);
      if (alert)
        return {
          path: `/alerts/${alert.id}`,
          init: jsonInit('PUT', { status: 'acknowledged', version: alert.version }),
          token: clinician,
        };
      cursor = page.json.nextCursor;
    } while (cursor);
    throw new Error('the alert of the PHQ-9 item 9 answer was not found');
  },
};

/** No successful call is possible locally: cognito-local confirms every account at sign-up. */
const NOT_MEASURABLE: Record<string, string> = {
  'auth.confirm': 'accounts are confirmed at sign-up locally, so a code can only be refused',
};

function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}

const call = async (route: (typeof routeTable)[number], request: Measured) =>
  api(request.path, {
    ...request.init,
    method: request.init.method ?? route.method,
    headers: {
      ...(request.init.headers as Record<string, string> | undefined),
      ...(request.token ? bearer(request.token) : {}),
    },
  });

describe('DynamoDB cost per route', () => {
  for (const route of routeTable) {
    if (NOT_MEASURABLE[route.id]) continue;
    it(`${route.method} ${route.path}: every successful caller within the round-trip targets`, async () => {
      const scenario = SCENARIOS[route.id];
      expect(scenario, `${route.id} has no scenario`).toBeDefined();
      let measured = 0;
      const record = async (actor: Actor | 'prepared', response: Awaited<ReturnType<typeof api>>) => {
        if (response.status >= 300) return;
        const header = response.headers.get(COST_HEADER);
        expect(header, 'the local runtime meters every invocation').toBeTruthy();
        const cost = parseCost(header!);
        rows.push({
          route: route.id,
          method: route.method,
          path: route.path,
          data: route.data,
          actor,
          status: response.status,
          cost,
        });
        expect(costTargetMisses(route.id, route.data, cost), cost.commands.join('+')).toEqual([]);
        measured += 1;
      };
      // Every caller of the matrix, in its order (some scenarios prepare state in their first call).
      for (const actor of ACTORS) {
        const context = { subject: world.accounts.employeeSelf, actor, departmentId: world.departmentId };
        const { path, init = {} } = scenario!.request(context);
        const prepared = await scenario!.prepare?.(context);
        await record(
          actor,
          await call(route, { path, init, token: prepared?.token ?? world.tokenOf(actor) }),
        );
      }
      const special = successfulRequests[route.id];
      if (special) {
        const response = await call(route, await special(world));
        expect(response.status, response.text.slice(0, 300)).toBeLessThan(300);
        await record('prepared', response);
      }
      expect(measured, `${route.id} has no successful call to measure`).toBeGreaterThan(0);
    });
  }
});
