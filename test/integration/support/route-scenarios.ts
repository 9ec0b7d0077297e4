import { randomUUID } from 'node:crypto';
import type { Group } from '#contract/identity.ts';
import { ANALYTICS_SCENARIOS } from './route-scenarios-analytics.ts';
import { ORGANISATION_SCENARIOS } from './route-scenarios-organisation.ts';
import { SURVEY_SCENARIOS } from './route-scenarios-surveys.ts';
import { WELLBEING_SCENARIOS } from './route-scenarios-wellbeing.ts';
import { registerAccount, uniqueEmail, strongPassword } from './accounts.ts';
import { all, json, signedInUsers, type Actor, type Scenario, type ScenarioContext } from './scenario-kit.ts';

export { ACTORS, type Actor, type Scenario, type ScenarioContext } from './scenario-kit.ts';

/** The groups each signed-in actor holds, for a throwaway account playing the same caller. */
const ACTOR_GROUPS: Partial<Record<Actor, Group[]>> = {
  employeeSelf: [],
  employeeOther: [],
  managerOfDepartment: ['manager'],
  managerOfOther: ['manager'],
  clinicianWithConsent: ['clinician'],
  clinicianWithoutConsent: ['clinician'],
  admin: ['admin'],
  auditor: ['auditor'],
  adminManager: ['admin', 'manager'],
  adminClinician: ['admin', 'clinician'],
};

/** A throwaway account in the actor's role (anonymous and machine callers keep their own token). */
const throwawayAccountOf = async ({ actor }: ScenarioContext): Promise<{ token?: string }> => {
  const groups = ACTOR_GROUPS[actor];
  if (!groups) return {};
  return { token: (await registerAccount(groups, `matrix-erase-${actor.toLowerCase()}`)).accessToken };
};

/**
 * One entry per route id. The matrix fails for a route of the table without an entry here, so a new
 * route cannot ship without its access expectations.
 */
export const SCENARIOS: Record<string, Scenario> = {
  ...ORGANISATION_SCENARIOS,
  ...WELLBEING_SCENARIOS,
  ...SURVEY_SCENARIOS,
  ...ANALYTICS_SCENARIOS,
  'health.get': { request: () => ({ path: '/health' }), expected: all(200) },
  'health.database': { request: () => ({ path: '/health/database' }), expected: all(200) },
  'health.identity': { request: () => ({ path: '/health/identity' }), expected: all(200) },
  'docs.openapi': { request: () => ({ path: '/openapi.json' }), expected: all(200) },
  'docs.ui': { request: () => ({ path: '/docs' }), expected: all(200) },
  'docs.redoc': { request: () => ({ path: '/redoc' }), expected: all(200) },
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
  'auth.loginMfa': {
    // A session this API never issued: refused before anything else, whoever asks.
    request: () => ({
      path: '/auth/login/mfa',
      init: json('POST', { session: `forged-${randomUUID()}`, code: '123456' }),
    }),
    expected: all(400),
  },
  'auth.loginNewPassword': {
    request: () => ({
      path: '/auth/login/new-password',
      init: json('POST', { session: `forged-${randomUUID()}`, newPassword: strongPassword() }),
    }),
    expected: all(400),
  },
  'auth.forgotPassword': {
    // Public, and the same 202 for any address: here one without an account.
    request: () => ({ path: '/auth/password/forgot', init: json('POST', { email: uniqueEmail('matrix') }) }),
    expected: all(202),
  },
  'auth.resetPassword': {
    request: () => ({
      path: '/auth/password/reset',
      init: json('POST', { email: uniqueEmail('matrix'), code: '000000', newPassword: strongPassword() }),
    }),
    expected: all(400),
  },
  'auth.changePassword': {
    // Every signed-in user may change their own password; a wrong current one is the 400 that proves it.
    request: () => ({
      path: '/auth/password',
      init: json('POST', { currentPassword: 'Not-The-Password-1!', newPassword: strongPassword() }),
    }),
    expected: signedInUsers(400),
  },
  'auth.totpAssociate': {
    // A secret for the caller's own account, not in force until verified (sign-in stays as it was).
    request: () => ({ path: '/auth/mfa/totp', init: { method: 'POST' } }),
    expected: signedInUsers(200),
  },
  'auth.totpVerify': {
    request: () => ({ path: '/auth/mfa/totp/verify', init: json('POST', { code: '000000' }) }),
    expected: signedInUsers(400),
  },
  'clinicians.list': {
    // Every signed-in user may find a clinician to consent to; the matrix's clinicians were made by
    // group only, so the directory shows none of the matrix's accounts.
    request: () => ({ path: '/clinicians' }),
    expected: signedInUsers(200),
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
    // Logging out ends the caller's sign-in: the same kind of caller, on a throwaway account.
    prepare: throwawayAccountOf,
    expected: signedInUsers(204),
  },
  'auth.me': {
    request: () => ({ path: '/auth/me' }),
    expected: signedInUsers(200),
    reveals: { employeeSelf: 'all' }, // the subject's consents name the clinician they chose
  },
  // Privacy routes act on the caller's own data only, whoever the caller is: every signed-in user may.
  'consents.get': {
    request: () => ({ path: '/users/me/consents' }),
    expected: signedInUsers(200),
    reveals: { employeeSelf: 'all' }, // names the clinician the subject consented to
  },
  'consents.update': {
    // Re-states the default (aggregate analytics on): a valid call that leaves the shared accounts as
    // they were, and never touches clinician access (which other scenarios may depend on).
    request: () => ({
      path: '/users/me/consents',
      init: json('PUT', { aggregateAnalytics: { granted: true } }),
    }),
    expected: signedInUsers(200),
    reveals: { employeeSelf: 'all' },
  },
  'privacy.export': {
    request: () => ({ path: '/users/me/export' }),
    expected: signedInUsers(200),
    // The subject's export holds their consent to a named clinician and their access log.
    reveals: { employeeSelf: 'all' },
  },
  'privacy.erase': {
    request: () => ({ path: '/users/me', init: { method: 'DELETE' } }),
    prepare: throwawayAccountOf,
    expected: signedInUsers(202),
  },
};

/**
 * The contract's routes that the route table does not serve yet. The matrix lists them as
 * pending; when one is built, it joins the table and then needs a scenario above.
 */
export const PLANNED_ROUTES = [] as const;
