import { beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { login, registerAccount, type Account } from './support/accounts.ts';
import { decodePayload } from './support/identity.ts';
import { json } from './support/scenario-kit.ts';

/**
 * Issue 13, attack 1: an admin making itself (or a manager) a clinician through PUT /users/{id}/roles,
 * signing in again, and reading every risk alert and the individual data of everyone who consented to
 * "all clinicians". Clinicians and auditors are provisioned by the platform operator only, and no one
 * holds clinician or auditor together with admin or manager.
 */
let admin: Account;
let otherAdmin: Account;
let person: Account;

const setRoles = (token: string, userId: string, roles: string[]) =>
  api(`/users/${userId}/roles`, {
    ...json('PUT', { roles }),
    headers: { 'Content-Type': 'application/json', ...bearer(token) },
  });

const accessLogOf = async (account: Account) =>
  (await api('/users/me/access-log?limit=100', { headers: bearer(account.accessToken) })).json.items as Array<
    Record<string, unknown>
  >;

beforeAll(async () => {
  [admin, otherAdmin, person] = await Promise.all([
    registerAccount(['admin'], 'sod-admin'),
    registerAccount(['admin'], 'sod-admin-2'),
    registerAccount([], 'sod-person'),
  ]);
  // The person consents to every clinician, and has a risk alert.
  const consent = await api('/users/me/consents', {
    ...json('PUT', { clinicianAccess: { granted: true, clinicianIds: [] } }),
    headers: { 'Content-Type': 'application/json', ...bearer(person.accessToken) },
  });
  expect(consent.status, consent.text).toBe(200);
  const answers = { q1: 1, q2: 1, q3: 1, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 1 };
  const submitted = await api('/surveys/responses', {
    ...json('POST', { instrument: 'phq9', answers }),
    headers: { 'Content-Type': 'application/json', ...bearer(person.accessToken) },
  });
  expect(submitted.status, submitted.text).toBe(201);
});

describe('separation of duties (attack 1)', () => {
  it('refuses an admin making itself a clinician: 403, nothing changes, the attempt is on record', async () => {
    const attempt = await setRoles(admin.accessToken, admin.id, ['admin', 'clinician']);
    const error = expectEnvelope(attempt, 403, 'FORBIDDEN');
    expect(error.message).toBe(
      'An organisation admin cannot grant clinician: clinicians and auditors are provisioned only by the platform operator.',
    );
    // Signing in again gives no clinician group, and the clinician routes stay shut.
    const token = (await login(admin.email, admin.password)).json.accessToken as string;
    expect(String(decodePayload(token)['cognito:groups'])).not.toContain('clinician');
    expectEnvelope(await api('/alerts', { headers: bearer(token) }), 403, 'FORBIDDEN');
    expectEnvelope(
      await api(`/surveys/responses/user/${person.id}`, { headers: bearer(token) }),
      403,
      'FORBIDDEN',
    );
    const record = (await accessLogOf(admin)).find((e) => e.requestId === error.requestId);
    expect(record).toMatchObject({
      action: 'users.setRoles',
      subjectId: admin.id,
      outcome: 'denied',
      status: 403,
      reason: 'operator_only_role',
    });
  });

  it('refuses an admin making a manager (or anyone) a clinician or an auditor', async () => {
    const manager = await registerAccount(['manager'], 'sod-manager');
    for (const roles of [['manager', 'clinician'], ['clinician'], ['auditor'], ['admin', 'auditor']])
      expectEnvelope(await setRoles(admin.accessToken, manager.id, roles), 403, 'FORBIDDEN');
    const profile = await api(`/users/${manager.id}`, { headers: bearer(admin.accessToken) });
    expect(profile.json.version).toBe(1);
    // What admins may do stays possible: manager and admin.
    const promoted = await setRoles(admin.accessToken, manager.id, ['manager', 'admin']);
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.json.roles).toEqual(['employee', 'manager', 'admin']);
  });

  it('never lets an admin change an operator-provisioned clinician or auditor, nor combine them', async () => {
    const [clinician, auditor] = await Promise.all([
      registerAccount(['clinician'], 'sod-clinician'),
      registerAccount(['auditor'], 'sod-auditor'),
    ]);
    const combined = await setRoles(admin.accessToken, clinician.id, ['clinician', 'manager']);
    expect(expectEnvelope(combined, 409, 'CONFLICT').message).toBe(
      'Separation of duties: manager and clinician cannot be held together.',
    );
    expect(
      expectEnvelope(await setRoles(admin.accessToken, clinician.id, []), 403, 'FORBIDDEN').message,
    ).toMatch(/cannot remove clinician/);
    expectEnvelope(await setRoles(otherAdmin.accessToken, auditor.id, ['admin']), 403, 'FORBIDDEN');
    expectEnvelope(await setRoles(admin.accessToken, auditor.id, ['auditor', 'admin']), 409, 'CONFLICT');
    // The complete set, unchanged, is fine.
    expect((await setRoles(admin.accessToken, clinician.id, ['clinician'])).status).toBe(200);
    // The refusals are in the clinician's access log (filed under the user they were about).
    const denied = (await accessLogOf(clinician)).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.reason).sort()).toEqual(['operator_only_role', 'separation_of_duties']);
  });

  it('gives a token holding admin and clinician together (legacy data) nothing of a clinician', async () => {
    // Groups added in Cognito past the API, as data from before the rule would be.
    const [legacy, clinician] = await Promise.all([
      registerAccount(['admin', 'clinician'], 'sod-legacy'),
      registerAccount(['clinician'], 'sod-real-clinician'),
    ]);
    for (const path of [
      '/alerts',
      `/surveys/responses/user/${person.id}`,
      `/analytics/user/${person.id}/summary`,
      `/analyses/chat/user/${person.id}`,
    ]) {
      expectEnvelope(await api(path, { headers: bearer(legacy.accessToken) }), 403, 'FORBIDDEN');
      // The same consent does let a real clinician in: the refusal is the rule, not a missing consent.
      expect((await api(path, { headers: bearer(clinician.accessToken) })).status, path).toBe(200);
    }
  });
});
