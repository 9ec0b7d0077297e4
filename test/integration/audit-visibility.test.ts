import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { RISK_REASONS } from '#contract/risk-alert.ts';
import { ADMINISTRATIVE_ACTIONS } from '#domain/audit-visibility.ts';
import { api, bearer, expectEnvelope, type ApiResponse } from './support/api.ts';
import { registerAccount, type Account } from './support/accounts.ts';
import { auditItems } from './support/admin-cli.ts';

/**
 * Issue 13, attack 2: an admin searching the audit trail for who had a risk alert, which instrument
 * each person submitted and who consented to clinicians. A full flow of a person's health activity is
 * played through the API; then the admin, the auditor and the person themselves look at the trail.
 */
interface Entry {
  id: string;
  at: string;
  action: string;
  actor: { type: string; id: string | null; roles: string[] };
  subjectId: string | null;
  outcome: string;
  status: number;
  reason: string | null;
}
type Page = { items: Entry[]; nextCursor: string | null };

const send = (token: string, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Every page of a search (the cursor followed to the end). */
const allPages = async (token: string, path: string): Promise<Entry[]> => {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: ApiResponse<Page> = await api<Page>(
      `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: bearer(token) },
    );
    expect(page.status, page.text).toBe(200);
    entries.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return entries;
};

const SENSITIVE_PREFIXES = ['alerts.', 'surveys.', 'analyses.', 'emo-buddy.', 'consents.', 'analytics.user'];
const isHealthRevealing = (action: string) => SENSITIVE_PREFIXES.some((prefix) => action.startsWith(prefix));

/** The words of health (API contract): instruments, flags, bands, emotion and sentiment labels. */
const HEALTH_VOCABULARY = new Set([
  ...['phq9', 'gad7', 'who5', 'pss10', 'cbi', 'custom'],
  ...RISK_REASONS,
  'likely_depression',
  ...['minimal', 'mild', 'moderate', 'moderately_severe', 'severe', 'poor', 'good', 'low', 'high'],
  ...['anger', 'disgust', 'fear', 'joy', 'sadness', 'surprise', 'positive', 'negative'],
]);
const healthWordsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .toLowerCase()
        .split(/[^a-z0-9_]+/)
        .filter((token) => HEALTH_VOCABULARY.has(token))
    : Array.isArray(value)
      ? value.flatMap(healthWordsIn)
      : value && typeof value === 'object'
        ? Object.values(value).flatMap(healthWordsIn)
        : [];

let admin: Account;
let auditor: Account;
let clinician: Account;
let person: Account;
let flowStartedAt: string;
let alertId: string;

beforeAll(async () => {
  flowStartedAt = new Date(Date.now() - 1000).toISOString();
  [admin, auditor, clinician, person] = await Promise.all([
    registerAccount(['admin'], 'vis-admin'),
    registerAccount(['auditor'], 'vis-auditor'),
    registerAccount(['clinician'], 'vis-clinician'),
    registerAccount([], 'vis-person'),
  ]);
  const department = await send(admin.accessToken, 'POST', '/departments', { name: `Vis ${randomUUID()}` });
  expect(department.status, department.text).toBe(201);
  const steps: Array<[Account, string, string, unknown?]> = [
    [admin, 'PUT', `/users/${person.id}`, { version: 1, departmentId: department.json.id }],
    [person, 'PUT', '/users/me/consents', { clinicianAccess: { granted: true, clinicianIds: [] } }],
    [
      person,
      'POST',
      '/surveys/responses',
      { instrument: 'phq9', answers: { q1: 2, q2: 2, q3: 1, q4: 1, q5: 0, q6: 0, q7: 0, q8: 0, q9: 1 } },
    ],
    [person, 'POST', '/emo-buddy/sessions'],
    [
      person,
      'POST',
      '/analyses/chat',
      {
        userId: person.id,
        sentiment: { label: 'negative', score: 0.9 },
        emotions: { sadness: 0.8, fear: 0.2 },
        model: { name: 'vis-model', version: '1' },
        analyzedAt: new Date().toISOString(),
        riskFlags: ['self_harm'],
      },
    ],
  ];
  for (const [who, method, path, body] of steps) {
    const response = await send(who.accessToken, method, path, body);
    expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
    if (path === '/emo-buddy/sessions') {
      const message = await send(
        person.accessToken,
        'POST',
        `/emo-buddy/sessions/${response.json.id}/messages`,
        {
          role: 'user',
          content: 'I cannot go on',
          riskFlags: ['crisis'],
        },
      );
      expect(message.status, message.text).toBe(201);
    }
  }
  // A clinician handles the person's alerts and reads their surveys (consent: all clinicians).
  const alerts = await allPages(clinician.accessToken, '/alerts?limit=100');
  const own = alerts as unknown as Array<{ id: string; userId: string }>;
  alertId = own.find((a) => a.userId === person.id)!.id;
  expect(alertId).toBeDefined();
  const read = await send(clinician.accessToken, 'GET', `/surveys/responses/user/${person.id}`);
  expect(read.status, read.text).toBe(200);
  // The admin is curious: tries the person's surveys (refused, audited) and lists users.
  expectEnvelope(
    await send(admin.accessToken, 'GET', `/surveys/responses/user/${person.id}`),
    403,
    'FORBIDDEN',
  );
  expect((await send(admin.accessToken, 'GET', '/users?limit=5')).status).toBe(200);
});

describe('audit visibility (attack 2)', () => {
  it('shows an admin searching by subject only the administrative records: no alert, instrument, consent or EmoBuddy', async () => {
    const entries = await allPages(admin.accessToken, `/audit?subjectId=${person.id}&limit=100`);
    const actions = new Set(entries.map((e) => e.action));
    expect([...actions].sort()).toEqual(expect.arrayContaining(['auth.register', 'users.update']));
    for (const action of actions)
      expect(['auth.register', 'auth.login', 'users.update', 'audit.search']).toContain(action);
    for (const entry of entries) {
      expect(ADMINISTRATIVE_ACTIONS.has(entry.action), entry.action).toBe(true);
      expect(isHealthRevealing(entry.action)).toBe(false);
    }
    const text = JSON.stringify(entries);
    expect(text).not.toContain(alertId);
    expect(healthWordsIn(entries)).toEqual([]);
  });

  it('shows an admin searching across subjects nothing health-revealing about anyone else', async () => {
    const entries = await allPages(admin.accessToken, `/audit?from=${flowStartedAt}&limit=100`);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      const theirOwn = entry.actor.id === admin.id || entry.subjectId === admin.id;
      if (!theirOwn) {
        expect(ADMINISTRATIVE_ACTIONS.has(entry.action), entry.action).toBe(true);
        expect(entry.actor.roles).not.toContain('clinician');
      }
    }
    expect(entries.some((e) => e.subjectId === person.id && isHealthRevealing(e.action))).toBe(false);
    expect(JSON.stringify(entries)).not.toContain(alertId);
  });

  it('shows an admin what they did themselves, and everything about themselves, nothing more', async () => {
    const mine = await allPages(
      admin.accessToken,
      `/audit?subjectId=${person.id}&actorId=${admin.id}&limit=100`,
    );
    // Their refused try at the person's surveys is theirs to see; it tells them nothing new.
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'surveys.listByUser', outcome: 'denied', status: 403 }),
      ]),
    );
    expect(mine.every((e) => e.actor.id === admin.id)).toBe(true);
    const byThem = await allPages(
      admin.accessToken,
      `/audit?actorId=${admin.id}&from=${flowStartedAt}&limit=100`,
    );
    expect(byThem.every((e) => e.actor.id === admin.id)).toBe(true);
    expect(byThem.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'departments.create',
        'users.update',
        'surveys.listByUser',
        'users.list',
        'audit.search',
      ]),
    );
  });

  it('gives the auditor the full trail, and the person their whole access log', async () => {
    const expected = [
      'alerts.raise',
      'alerts.list',
      'surveys.submit',
      'surveys.listByUser',
      'privacy.updateConsents',
      'emo-buddy.startSession',
      'emo-buddy.postMessage',
      'analyses.storeChat',
      'users.update',
    ];
    const full = await allPages(auditor.accessToken, `/audit?subjectId=${person.id}&limit=100`);
    const log = await allPages(person.accessToken, '/users/me/access-log?limit=100');
    for (const action of expected) {
      expect(full.map((e) => e.action)).toContain(action);
      expect(log.map((e) => e.action)).toContain(action);
    }
    // The admin's own searches about the person show in the person's log.
    expect(log.some((e) => e.action === 'audit.search' && e.actor.id === admin.id)).toBe(true);
  });

  it('audits every GET /audit and GET /users: the auditor finds the admin’s lookups', async () => {
    const lookups = await allPages(
      auditor.accessToken,
      `/audit?actorId=${admin.id}&from=${flowStartedAt}&limit=100`,
    );
    const searches = lookups.filter((e) => e.action === 'audit.search');
    expect(searches.length).toBeGreaterThan(0);
    expect(searches.some((e) => e.subjectId === person.id)).toBe(true);
    expect(lookups.some((e) => e.action === 'users.list' && e.outcome === 'allowed')).toBe(true);
    // The auditor's own searches are on record too, though no admin can see them.
    const auditorsOwn = await allPages(
      auditor.accessToken,
      `/audit?actorId=${auditor.id}&from=${flowStartedAt}&limit=100`,
    );
    expect(auditorsOwn.some((e) => e.action === 'audit.search')).toBe(true);
    const seenByAdmin = await allPages(
      admin.accessToken,
      `/audit?actorId=${auditor.id}&from=${flowStartedAt}&limit=100`,
    );
    // The admin sees the auditor's account being made (administrative), never what the auditor looks at.
    expect(seenByAdmin.map((e) => e.action)).not.toContain('audit.search');
    expect(seenByAdmin.every((e) => ADMINISTRATIVE_ACTIONS.has(e.action))).toBe(true);
  });

  it('pages an admin’s search honestly: every administrative record once, in order', async () => {
    const before = new Date().toISOString();
    const paged = await allPages(admin.accessToken, `/audit?subjectId=${person.id}&limit=2`);
    const ids = paged.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...paged.map((e) => e.at)]).toEqual([...paged.map((e) => e.at)].sort().reverse());
    const full = await allPages(auditor.accessToken, `/audit?subjectId=${person.id}&limit=100`);
    const expected = full
      .filter(
        (e) =>
          e.at < before &&
          ADMINISTRATIVE_ACTIONS.has(e.action) &&
          !e.actor.roles.some((role) => role === 'auditor' || role === 'clinician'),
      )
      .map((e) => e.id);
    expect(ids.filter((id) => expected.includes(id)).sort()).toEqual([...expected].sort());
  });

  it('stores no health fact in any audit record of the flow (instrument, flag, band, emotion)', async () => {
    const stored = (
      await Promise.all([person, clinician, admin, auditor].map((account) => auditItems(account.id)))
    ).flat();
    expect(stored.length).toBeGreaterThan(15);
    const offending = stored
      .map((item) => ({ action: item.action, words: healthWordsIn(item) }))
      .filter((found) => found.words.length > 0);
    expect(offending).toEqual([]);
    // What the records do keep: which alert, without why.
    const raise = stored.find((item) => item.action === 'alerts.raise');
    expect(raise).toMatchObject({ resource: { type: 'risk_alert' }, reason: null, visibility: 'sensitive' });
  });

  it('refuses GET /audit to everyone but admins and the auditor', async () => {
    for (const account of [person, clinician])
      expectEnvelope(
        await send(account.accessToken, 'GET', `/audit?subjectId=${person.id}`),
        403,
        'FORBIDDEN',
      );
  });
});
