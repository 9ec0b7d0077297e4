import { randomUUID } from 'node:crypto';
import type { Account } from './accounts.ts';
import { uniqueEmail, strongPassword } from './accounts.ts';

/** The callers of PRIVACY.md's roles, as the authorization matrix plays them against every route. */
export const ACTORS = [
  'anonymous',
  'employeeSelf',
  'employeeOther',
  'managerOfDepartment',
  'managerOfOther',
  'clinicianWithConsent',
  'clinicianWithoutConsent',
  'admin',
  'machine',
] as const;
export type Actor = (typeof ACTORS)[number];

export interface ScenarioContext {
  /** The employee whose data the request is about ("self" for employeeSelf). */
  subject: Account;
  actor: Actor;
}

export interface Scenario {
  /** The request the actor makes; valid input, so the status shows the access decision. */
  request(context: ScenarioContext): { path: string; init?: RequestInit };
  expected: Record<Actor, number>;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const all = (status: number): Record<Actor, number> =>
  Object.fromEntries(ACTORS.map((actor) => [actor, status])) as Record<Actor, number>;

/**
 * Every signed-in user may call; no token is a 401; a machine token lacks the user scope the method
 * demands, so the authorizer refuses it with 401 too.
 */
const signedInUsers = (status: number): Record<Actor, number> => ({
  ...all(status),
  anonymous: 401,
  machine: 401,
});

/**
 * One entry per route id. The matrix fails for a route of the table without an entry here, so a new
 * route cannot ship without its access expectations.
 */
export const SCENARIOS: Record<string, Scenario> = {
  'health.get': { request: () => ({ path: '/health' }), expected: all(200) },
  'health.database': { request: () => ({ path: '/health/database' }), expected: all(200) },
  'health.identity': { request: () => ({ path: '/health/identity' }), expected: all(200) },
  'docs.openapi': { request: () => ({ path: '/openapi.json' }), expected: all(200) },
  'docs.ui': { request: () => ({ path: '/docs' }), expected: all(200) },
  'auth.register': {
    // Public: a token changes nothing, everyone can create their own new account.
    request: () => ({
      path: '/auth/register',
      init: json('POST', { email: uniqueEmail('matrix'), password: strongPassword(), fullName: 'Matrix' }),
    }),
    expected: all(201),
  },
  'auth.confirm': {
    request: ({ subject }) => ({
      path: '/auth/confirm',
      init: json('POST', { email: subject.email, code: '000000' }),
    }),
    expected: all(400),
  },
  'auth.login': {
    request: () => ({
      path: '/auth/login',
      init: json('POST', { email: uniqueEmail('matrix-ghost'), password: 'Wrong-Password-1!' }),
    }),
    expected: all(401),
  },
  'auth.refresh': {
    request: () => ({
      path: '/auth/refresh',
      init: json('POST', { refreshToken: `not-a-token-${randomUUID()}` }),
    }),
    expected: all(401),
  },
  'auth.logout': {
    request: () => ({
      path: '/auth/logout',
      init: json('POST', { refreshToken: `not-a-token-${randomUUID()}` }),
    }),
    expected: signedInUsers(204),
  },
  'auth.me': { request: () => ({ path: '/auth/me' }), expected: signedInUsers(200) },
};

/**
 * The contract's routes (API.md) that the route table does not serve yet. The matrix lists them as
 * pending; when one is built, it joins the table and then needs a scenario above.
 */
export const PLANNED_ROUTES = [
  'GET /users',
  'GET /users/{user_id}',
  'PUT /users/{user_id}',
  'PUT /users/{user_id}/roles',
  'DELETE /users/{user_id}',
  'GET /users/me/export',
  'DELETE /users/me',
  'GET /users/me/access-log',
  'GET /users/me/consents',
  'PUT /users/me/consents',
  'GET /departments',
  'POST /departments',
  'PUT /departments/{department_id}',
  'POST /analyses/chat',
  'POST /analyses/speech',
  'POST /analyses/video',
  'POST /analyses/{type}/batch',
  'GET /analyses/chat/user/{user_id}',
  'GET /analyses/speech/user/{user_id}',
  'GET /analyses/video/user/{user_id}',
  'POST /emo-buddy/sessions',
  'GET /emo-buddy/sessions',
  'GET /emo-buddy/sessions/{session_uuid}/messages',
  'POST /emo-buddy/sessions/{session_uuid}/messages',
  'PUT /emo-buddy/sessions/{session_uuid}/end',
  'GET /surveys/instruments',
  'POST /surveys/responses',
  'GET /surveys/responses/user/{user_id}',
  'GET /surveys/responses/user/{user_id}/burnout-trend',
  'GET /analytics/user/{user_id}/summary',
  'GET /analytics/dashboard/overview',
  'GET /alerts',
  'PUT /alerts/{alert_id}',
  'GET /audit',
] as const;
