import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RiskAlert } from '#contract/risk-alert.ts';
import type { SurveyResponse } from '#contract/survey.ts';
import { INSTRUMENTS, scoreResponse } from '#domain/instruments/index.ts';
import { CBI_SERIES_KEPT } from '#domain/survey-state.ts';
import * as keys from '#data/dynamodb/keys.ts';
import type * as AuditRepository from '#data/audit-repository.ts';
import type * as SurveyRepository from '#data/survey-repository.ts';
import type * as OverdueJob from '../../functions/jobs/count-overdue-alerts.ts';
import { loadStageConfig } from '../../lib/config/index.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { api, bearer, expectEnvelope, type ApiResponse } from './support/api.ts';
import { registerAccount, type Account } from './support/accounts.ts';
import { outboxItemOf, publishedRiskEvent } from './support/risk-events.ts';

/**
 * Surveys end to end through the local gateway on the real emulators: every instrument scored by the
 * server, 400s naming items, Idempotency-Key, the safety pipeline (alert, crisis resources, clinician
 * workflow, event, overdue count), consent for reads, and the burnout trend. A few things run
 * in-process with the runtime's environment: seeding backdated responses (the API stamps the current
 * time) and the scheduled overdue-alert count.
 */
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let restoreEnv: () => void = () => undefined;
const crisisResources = loadStageConfig('local').safety.crisisResources;

let documents: DynamoDBDocumentClient;
let repository: typeof SurveyRepository;
let auditRepository: typeof AuditRepository;
let overdueJob: typeof OverdueJob;
let clinician: Account;
let otherClinician: Account;
let manager: Account;
let admin: Account;

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  repository = await import('#data/survey-repository.ts');
  auditRepository = await import('#data/audit-repository.ts');
  overdueJob = await import('../../functions/jobs/count-overdue-alerts.ts');
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region, credentials }),
  );
  [clinician, otherClinician, manager, admin] = await Promise.all([
    registerAccount(['clinician'], 'surveys-clinician'),
    registerAccount(['clinician'], 'surveys-clinician-other'),
    registerAccount(['manager'], 'surveys-manager'),
    registerAccount(['admin'], 'surveys-admin'),
  ]);
});
afterAll(() => {
  restoreEnv();
  documents.destroy();
});

const jsonInit = (method: string, token: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { ...bearer(token), 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const submit = (account: Account, body: unknown, headers: Record<string, string> = {}) =>
  api<SurveyResponse & { crisisResources?: unknown }>(
    '/surveys/responses',
    jsonInit('POST', account.accessToken, body, headers),
  );
const get = <T = unknown>(account: Account, path: string) =>
  api<T>(path, { headers: bearer(account.accessToken) });
const putAlert = (account: Account, id: string, body: unknown) =>
  api<RiskAlert>(`/alerts/${id}`, jsonInit('PUT', account.accessToken, body));
const setConsent = (account: Account, clinicianAccess: unknown) =>
  api('/users/me/consents', jsonInit('PUT', account.accessToken, { clinicianAccess }));

const all = (ids: readonly string[], value: number, overrides: Record<string, number> = {}) => ({
  ...Object.fromEntries(ids.map((id) => [id, value])),
  ...overrides,
});
const q = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`);
const CBI_PERSONAL = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const CBI_WORK = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
const CBI_CLIENT = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

/** Every alert of a status, paging through the clinicians' list. */
const alertsOf = async (account: Account, status = 'unresolved'): Promise<RiskAlert[]> => {
  const found: RiskAlert[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse<{ items: RiskAlert[]; nextCursor: string | null }> = await get(
      account,
      `/alerts?status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.status, page.text).toBe(200);
    found.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return found;
};

const accessLog = async (account: Account) =>
  (
    await get<{ items: { action: string; actor: { id: string }; outcome: string }[] }>(
      account,
      '/users/me/access-log?limit=100',
    )
  ).json.items;

describe('GET /surveys/instruments', () => {
  it('lists the catalogue in order, with items, scales, bands and the PSS-10 licence flag', async () => {
    const employee = await registerAccount([], 'surveys-catalogue');
    const response = await get<{
      instruments: { id: string; items: { id: string }[]; licence: { commercialUseAllowed: boolean } }[];
    }>(employee, '/surveys/instruments');
    expect(response.status).toBe(200);
    expect(response.json.instruments.map((i) => i.id)).toEqual([
      'phq9',
      'gad7',
      'who5',
      'pss10',
      'cbi',
      'custom',
    ]);
    const byId = Object.fromEntries(response.json.instruments.map((i) => [i.id, i]));
    expect(byId.cbi?.items.map((i) => i.id)).toEqual([...CBI_PERSONAL, ...CBI_WORK, 'w7', ...CBI_CLIENT]);
    expect(byId.pss10?.licence.commercialUseAllowed).toBe(false);
    expect(byId.phq9?.licence.commercialUseAllowed).toBe(true);
  });
});

describe('POST /surveys/responses scores every instrument on the server', () => {
  let employee: Account;
  beforeAll(async () => {
    employee = await registerAccount([], 'surveys-scoring');
  });

  // Hand-checked: both ends of every scale and one point inside. The cases run in order for one user,
  // so a case can also be a severity jump vs the previous response of its instrument (last column).
  it.each([
    ['phq9 all 0', { instrument: 'phq9', answers: all(q(9), 0) }, { total: 0 }, 'minimal', []],
    [
      'phq9 all 1 with item 10',
      { instrument: 'phq9', answers: all(q(9), 1, { q9: 0, q10: 2 }) },
      { total: 8 },
      'mild',
      [],
    ],
    ['gad7 all 0', { instrument: 'gad7', answers: all(q(7), 0) }, { total: 0 }, 'minimal', []],
    [
      'gad7 all 3 (0 → 21: a jump)',
      { instrument: 'gad7', answers: all(q(7), 3) },
      { total: 21 },
      'severe',
      ['screen_positive'],
      true,
    ],
    [
      'gad7 sum 10',
      { instrument: 'gad7', answers: all(q(7), 1, { q1: 3, q2: 2 }) },
      { total: 10 },
      'moderate',
      ['screen_positive'],
    ],
    [
      'who5 all 0',
      { instrument: 'who5', answers: all(q(5), 0) },
      { total: 0, raw: 0 },
      'poor',
      ['likely_depression', 'low_item'],
    ],
    ['who5 all 5', { instrument: 'who5', answers: all(q(5), 5) }, { total: 100, raw: 25 }, 'good', []],
    [
      'who5 3,3,3,2,2',
      { instrument: 'who5', answers: { q1: 3, q2: 3, q3: 3, q4: 2, q5: 2 } },
      { total: 52, raw: 13 },
      'good',
      [],
    ],
    // PSS-10: the lowest total has forward items at 0 and reverse items (4, 5, 7, 8) at 4; the highest the opposite.
    [
      'pss10 lowest',
      { instrument: 'pss10', answers: all(q(10), 0, { q4: 4, q5: 4, q7: 4, q8: 4 }) },
      { total: 0 },
      'low',
      [],
    ],
    [
      'pss10 highest',
      { instrument: 'pss10', answers: all(q(10), 4, { q4: 0, q5: 0, q7: 0, q8: 0 }) },
      { total: 40 },
      'high',
      [],
    ],
    ['pss10 all 2', { instrument: 'pss10', answers: all(q(10), 2) }, { total: 20 }, 'moderate', []],
    // CBI: the reverse-keyed w7 at 4 scores 0, at 0 scores 100.
    [
      'cbi lowest',
      {
        instrument: 'cbi',
        answers: { ...all(CBI_PERSONAL, 0), ...all(CBI_WORK, 0), w7: 4, ...all(CBI_CLIENT, 0) },
      },
      { total: 0, subscales: { personal: 0, work: 0, client: 0 } },
      'low',
      [],
    ],
    [
      'cbi highest (work 0 → 100: a jump)',
      {
        instrument: 'cbi',
        answers: { ...all(CBI_PERSONAL, 4), ...all(CBI_WORK, 4), w7: 0, ...all(CBI_CLIENT, 4) },
      },
      { total: 100, subscales: { personal: 100, work: 100, client: 100 } },
      'severe',
      [],
      true,
    ],
    [
      // personal 50; work (75·6 + 100) / 7 = 550/7 = 78.57 (w7 = 0 scores 100); no client block
      'cbi without clients',
      { instrument: 'cbi', version: '1', answers: { ...all(CBI_PERSONAL, 2), ...all(CBI_WORK, 3), w7: 0 } },
      { total: 78.57, subscales: { personal: 50, work: 78.57 } },
      'high',
      [],
    ],
  ] as const)('%s', async (_name, body, scores, band, flags, jump?: boolean) => {
    const response = await submit(employee, body);
    expect(response.status, response.text).toBe(201);
    expect(response.json).toMatchObject({
      userId: employee.id,
      instrument: body.instrument,
      version: '1',
      answers: body.answers,
      scores,
      band,
      flags,
    });
    expect(response.json.scores).toEqual(scores);
    // Crisis resources come with a risk alert: here only the severity jumps.
    expect(response.json.crisisResources).toEqual(jump === true ? crisisResources : undefined);
    expect(response.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK)"/);
  });

  it('stores custom responses unscored', async () => {
    const response = await submit(employee, { instrument: 'custom', answers: { mood: 'tired', energy: 3 } });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ scores: { total: null }, band: null, flags: [] });
  });

  it('lists my responses newest first, filtered by instrument and time, and re-scoring them gives the stored result', async () => {
    const listed = await get<{ items: SurveyResponse[] }>(
      employee,
      `/surveys/responses/user/${employee.id}?limit=100`,
    );
    expect(listed.status).toBe(200);
    const times = listed.json.items.map((r) => r.submittedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(listed.json.items.length).toBeGreaterThanOrEqual(15);
    for (const stored of listed.json.items) {
      const again = scoreResponse(INSTRUMENTS[stored.instrument], stored.answers);
      expect(again.ok).toBe(true);
      if (again.ok) {
        expect(again.result.scores).toEqual(stored.scores);
        expect(again.result.band).toBe(stored.band);
        expect([...again.result.flags]).toEqual(stored.flags);
      }
    }
    const gad = await get<{ items: SurveyResponse[] }>(
      employee,
      `/surveys/responses/user/${employee.id}?instrument=gad7`,
    );
    expect(gad.json.items.map((r) => r.scores.total)).toEqual([10, 21, 0]);
    const latest = listed.json.items[0];
    const window = await get<{ items: SurveyResponse[] }>(
      employee,
      `/surveys/responses/user/${employee.id}?from=${encodeURIComponent(latest?.submittedAt ?? '')}`,
    );
    expect(window.json.items.map((r) => r.id)).toEqual([latest?.id]);
  });

  it('pages with a sealed cursor', async () => {
    const first = await get<{ items: SurveyResponse[]; nextCursor: string }>(
      employee,
      `/surveys/responses/user/${employee.id}?instrument=pss10&limit=2`,
    );
    expect(first.json.items).toHaveLength(2);
    const second = await get<{ items: SurveyResponse[]; nextCursor: string | null }>(
      employee,
      `/surveys/responses/user/${employee.id}?instrument=pss10&limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(second.json.items).toHaveLength(1);
    expect(second.json.items.map((r) => r.scores.total)).toEqual([0]);
    const tampered = await get(
      employee,
      `/surveys/responses/user/${employee.id}?instrument=gad7&cursor=${first.json.nextCursor}`,
    );
    expectEnvelope(tampered, 400, 'VALIDATION_FAILED');
  });
});

describe('invalid answers are a 400 naming each item', () => {
  it('names missing, non-integer, out-of-range and unknown items', async () => {
    const employee = await registerAccount([], 'surveys-invalid');
    const { q9: _missing, ...answers } = all(q(9), 1, { q1: 4, q2: 1.5, q3: -1 });
    const response = await submit(employee, { instrument: 'phq9', answers: { ...answers, q11: 2 } });
    const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as unknown as {
      details: { field: string; code: string }[];
    };
    expect(error.details.map((d) => [d.field, d.code])).toEqual([
      ['body.answers.q11', 'unknown_item'],
      ['body.answers.q1', 'out_of_range'],
      ['body.answers.q2', 'not_integer'],
      ['body.answers.q3', 'out_of_range'],
      ['body.answers.q9', 'missing'],
    ]);
    const wrongVersion = await submit(employee, { instrument: 'gad7', version: '2', answers: all(q(7), 0) });
    const versionError = expectEnvelope(wrongVersion, 400, 'VALIDATION_FAILED') as unknown as {
      details: { field: string }[];
    };
    expect(versionError.details.map((d) => d.field)).toEqual(['body.version']);
    const stringAnswer = await submit(employee, {
      instrument: 'who5',
      answers: { ...all(q(5), 1), q3: 'often' },
    });
    expect(
      (expectEnvelope(stringAnswer, 400, 'VALIDATION_FAILED') as unknown as { details: { field: string }[] })
        .details,
    ).toEqual([expect.objectContaining({ field: 'body.answers.q3', code: 'not_integer' })]);
    // Nothing was stored.
    const listed = await get<{ items: unknown[] }>(employee, `/surveys/responses/user/${employee.id}`);
    expect(listed.json.items).toEqual([]);
  });
});

describe('Idempotency-Key', () => {
  const gad7 = (value: number) => ({ instrument: 'gad7', answers: all(q(7), value) });

  it('replays the same key and body, refuses another body (422), and never shares keys across users', async () => {
    const [employee, other] = await Promise.all([
      registerAccount([], 'surveys-idem'),
      registerAccount([], 'surveys-idem-other'),
    ]);
    const key = `retry-${randomUUID()}`;
    const first = await submit(employee, gad7(1), { 'Idempotency-Key': key });
    const again = await submit(employee, gad7(1), { 'Idempotency-Key': key });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json).toEqual(first.json);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const reused = await submit(employee, gad7(2), { 'Idempotency-Key': key });
    expectEnvelope(reused, 422, 'IDEMPOTENCY_KEY_REUSED');

    const othersOwn = await submit(other, gad7(1), { 'Idempotency-Key': key });
    expect(othersOwn.status).toBe(201);
    expect(othersOwn.json.id).not.toBe(first.json.id);
    expect(othersOwn.json.userId).toBe(other.id);

    const stored = await get<{ items: SurveyResponse[] }>(employee, `/surveys/responses/user/${employee.id}`);
    expect(stored.json.items.map((r) => r.id)).toEqual([first.json.id]);

    const tooLong = await submit(employee, gad7(1), { 'Idempotency-Key': 'k'.repeat(256) });
    expect(
      (expectEnvelope(tooLong, 400, 'VALIDATION_FAILED') as unknown as { details: { field: string }[] })
        .details,
    ).toEqual([expect.objectContaining({ field: 'headers.Idempotency-Key' })]);
  });

  it('a failed request leaves no record: the same key works once the body is valid', async () => {
    const employee = await registerAccount([], 'surveys-idem-fail');
    const key = `fix-${randomUUID()}`;
    const bad = await submit(
      employee,
      { instrument: 'gad7', answers: all(q(7), 9) },
      { 'Idempotency-Key': key },
    );
    expect(bad.status).toBe(400);
    // A 400 is decided before the key is claimed; a different (valid) body with the same key is a first request.
    const good = await submit(employee, gad7(0), { 'Idempotency-Key': key });
    expect(good.status).toBe(201);
  });

  it('answers 409 while the first request with the key is in progress', async () => {
    const employee = await registerAccount([], 'surveys-idem-inflight');
    const key = `inflight-${randomUUID()}`;
    const body = gad7(1);
    const first = await submit(employee, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    // The same key claimed again by a request still in flight (lease valid), with this body's fingerprint.
    const { idempotencyRecordKey } = await import('#data/idempotency-store.ts');
    const recordKey = idempotencyRecordKey(`user:${employee.id}`, key);
    const { Item: completed } = await documents.send(
      new GetCommand({ TableName: inject('tableName'), Key: recordKey, ConsistentRead: true }),
    );
    expect(completed).toMatchObject({ status: 'COMPLETED' });
    const { response: _response, ...claim } = completed ?? {};
    await documents.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: { ...claim, status: 'IN_PROGRESS', leaseUntil: Date.now() + 60_000 },
      }),
    );
    const duplicate = await submit(employee, body, { 'Idempotency-Key': key });
    expectEnvelope(duplicate, 409, 'CONFLICT');
    expect(duplicate.headers.get('retry-after')).toBe('1');
  });

  it('concurrent duplicates store exactly one response (the others replay it or get 409)', async () => {
    const employee = await registerAccount([], 'surveys-idem-race');
    const key = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => submit(employee, gad7(2), { 'Idempotency-Key': key })),
    );
    const statuses = results.map((r) => r.status);
    for (const status of statuses) expect([201, 409]).toContain(status);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.json.id));
    expect(ids.size).toBe(1);
    const stored = await get<{ items: SurveyResponse[] }>(employee, `/surveys/responses/user/${employee.id}`);
    expect(stored.json.items.map((r) => r.id)).toEqual([...ids]);
  });
});

describe('safety pipeline', () => {
  it('PHQ-9 item 9 = 1: crisis resources for the employee, an alert only clinicians see and handle, audited', async () => {
    const employee = await registerAccount([], 'surveys-crisis');
    const response = await submit(employee, { instrument: 'phq9', answers: all(q(9), 0, { q9: 1 }) });
    expect(response.status, response.text).toBe(201);
    expect(response.json).toMatchObject({
      scores: { total: 1 },
      band: 'minimal',
      flags: ['suicidal_ideation'],
    });
    expect(response.json.crisisResources).toEqual(crisisResources);

    const open = (await alertsOf(clinician)).filter((a) => a.source.id === response.json.id);
    expect(open).toHaveLength(1);
    const alert = open[0] as RiskAlert;
    expect(alert).toMatchObject({
      userId: employee.id,
      source: { type: 'survey_response', id: response.json.id },
      reasons: ['suicidal_ideation'],
      status: 'open',
      version: 1,
    });
    // Ids and reasons only: no answers or scores in the alert.
    expect(JSON.stringify(alert)).not.toMatch(/answers|scores/);

    // The alert's outbox item was written with it; the stream publishes the event from it (locally:
    // stored like the bus archive would keep it).
    expect(await outboxItemOf(alert.id)).toMatchObject({ entityType: 'OUTBOX', alertId: alert.id });
    const event = await publishedRiskEvent(alert);
    expect(event).toMatchObject({ source: 'mha.safety', detailType: 'RiskAlertRaised' });
    expect(event.detail).toEqual({
      alertId: alert.id,
      userId: employee.id,
      reasons: ['suicidal_ideation'],
      source: alert.source,
      createdAt: alert.createdAt,
    });

    // Managers and admins are refused on both alert routes.
    for (const account of [manager, admin, employee]) {
      expectEnvelope(await get(account, '/alerts'), 403, 'FORBIDDEN');
      expectEnvelope(
        await putAlert(account, alert.id, { status: 'acknowledged', version: 1 }),
        403,
        'FORBIDDEN',
      );
    }

    // The overdue count sees it while it is open, once the stage's limit has passed.
    const limit = 60;
    const createdMs = Date.parse(alert.createdAt);
    const overdue = async () =>
      (
        await overdueJob.handler({
          time: new Date(createdMs + limit * 60_000 + 1).toISOString(),
          ackLimitMinutes: limit,
        })
      ).overdue -
      (
        await overdueJob.handler({
          time: new Date(createdMs + limit * 60_000).toISOString(),
          ackLimitMinutes: limit,
        })
      ).overdue;
    expect(await overdue()).toBe(1);

    // Clinician: acknowledge (who and when), a repeat is 409, resolving with a stale version is 409.
    const acknowledged = await putAlert(clinician, alert.id, { status: 'acknowledged', version: 1 });
    expect(acknowledged.status, acknowledged.text).toBe(200);
    expect(acknowledged.json).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: clinician.id,
      version: 2,
    });
    expect(Date.parse(acknowledged.json.acknowledgedAt ?? '')).toBeGreaterThanOrEqual(createdMs);
    expect(await overdue()).toBe(0);
    expectEnvelope(
      await putAlert(clinician, alert.id, { status: 'acknowledged', version: 2 }),
      409,
      'CONFLICT',
    );
    expectEnvelope(
      await putAlert(otherClinician, alert.id, { status: 'resolved', version: 1 }),
      409,
      'CONFLICT',
    );

    const resolved = await putAlert(otherClinician, alert.id, {
      status: 'resolved',
      version: 2,
      note: 'Spoke with them',
    });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json).toMatchObject({
      status: 'resolved',
      acknowledgedBy: clinician.id,
      resolvedBy: otherClinician.id,
      note: 'Spoke with them',
      version: 3,
    });
    expectEnvelope(await putAlert(clinician, alert.id, { status: 'resolved', version: 3 }), 409, 'CONFLICT');
    expect((await alertsOf(clinician)).some((a) => a.id === alert.id)).toBe(false);
    const resolvedList = await get<{ items: RiskAlert[] }>(clinician, '/alerts?status=resolved&limit=100');
    expect(resolvedList.json.items.map((a) => a.id)).toContain(alert.id);
    expectEnvelope(
      await putAlert(clinician, randomUUID(), { status: 'acknowledged', version: 1 }),
      404,
      'NOT_FOUND',
    );

    // Every state change and every read by a clinician is in the employee's access log.
    const log = await accessLog(employee);
    const actions = log.map((entry) => entry.action);
    for (const action of [
      'alerts.raise',
      'alerts.list',
      'alerts.acknowledge',
      'alerts.resolve',
      'surveys.submit',
    ])
      expect(actions).toContain(action);
    expect(log.find((e) => e.action === 'alerts.resolve')?.actor.id).toBe(otherClinician.id);
  });

  it('a PHQ-9 severity jump vs the previous response raises an alert; a small rise does not', async () => {
    const employee = await registerAccount([], 'surveys-jump');
    const first = await submit(employee, { instrument: 'phq9', answers: all(q(9), 0) });
    const small = await submit(employee, { instrument: 'phq9', answers: all(q(9), 0, { q1: 3, q2: 1 }) }); // 4
    const jump = await submit(employee, {
      instrument: 'phq9',
      answers: all(q(9), 0, { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3 }),
    }); // 15
    expect([first.status, small.status, jump.status]).toEqual([201, 201, 201]);
    expect(small.json.crisisResources).toBeUndefined();
    expect(jump.json.crisisResources).toEqual(crisisResources);
    const alerts = (await alertsOf(clinician)).filter((a) => a.userId === employee.id);
    expect(alerts.map((a) => [a.source.id, a.reasons])).toEqual([[jump.json.id, ['severity_jump']]]);
  });
});

describe('reading another user’s responses needs the clinician role and the user’s consent', () => {
  it('allows the consented clinician until revocation (next request), refuses everyone else, audits both', async () => {
    const employee = await registerAccount([], 'surveys-consent');
    await submit(employee, { instrument: 'gad7', answers: all(q(7), 1) });
    const paths = [
      `/surveys/responses/user/${employee.id}`,
      `/surveys/responses/user/${employee.id}/burnout-trend`,
    ];

    for (const path of paths) expectEnvelope(await get(clinician, path), 403, 'FORBIDDEN');
    expect((await setConsent(employee, { granted: true, clinicianIds: [clinician.id] })).status).toBe(200);
    for (const path of paths) {
      expect((await get(clinician, path)).status).toBe(200);
      expectEnvelope(await get(otherClinician, path), 403, 'FORBIDDEN');
      expectEnvelope(await get(manager, path), 403, 'FORBIDDEN');
      expectEnvelope(await get(admin, path), 403, 'FORBIDDEN');
    }
    const read = await get<{ items: SurveyResponse[] }>(clinician, paths[0] as string);
    expect(read.json.items.map((r) => r.scores.total)).toEqual([7]);

    expect((await setConsent(employee, { granted: false })).status).toBe(200);
    for (const path of paths) expectEnvelope(await get(clinician, path), 403, 'FORBIDDEN');

    const log = await accessLog(employee);
    const reads = log.filter((e) => e.action === 'surveys.listByUser');
    expect(reads.some((e) => e.actor.id === clinician.id && e.outcome === 'allowed')).toBe(true);
    expect(reads.some((e) => e.actor.id === clinician.id && e.outcome === 'denied')).toBe(true);
    expect(reads.some((e) => e.actor.id === manager.id && e.outcome === 'denied')).toBe(true);
    expect(log.some((e) => e.action === 'surveys.burnoutTrend' && e.actor.id === clinician.id)).toBe(true);
  });
});

describe('GET /surveys/responses/user/{user_id}/burnout-trend', () => {
  const DAY_MS = 86_400_000;

  /** A CBI response scored by the domain, stored as the API stores it but `daysAgo` in the past. */
  const seedCbi = async (sub: string, daysAgo: number, personal: number, work: number) => {
    const answers = { ...all(CBI_PERSONAL, personal), ...all(CBI_WORK, work), w7: 4 - work };
    const scored = scoreResponse(INSTRUMENTS.cbi, answers);
    if (!scored.ok) throw new Error('invalid seed');
    const response: SurveyResponse = {
      id: randomUUID(),
      userId: sub,
      instrument: 'cbi',
      version: '1',
      answers,
      scores: scored.result.scores,
      band: scored.result.band,
      flags: [],
      submittedAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    };
    // Stored as the API stores it (response, audit record and the user's survey state together).
    const context = {
      principal: { kind: 'machine' as const, clientId: 'surveys-test', scopes: [] },
      requestId: randomUUID(),
      sourceIp: 'test',
      userAgent: 'vitest',
    };
    const clock = { now: () => new Date() };
    const audit = auditRepository.auditRecord(
      {
        action: 'surveys.submit',
        resourceType: 'survey_response',
        resourceId: response.id,
        subjectId: sub,
        outcome: 'allowed',
        status: 201,
      },
      context,
      clock,
    );
    await repository.appendSurveyResponse(response, audit, context, clock);
    return response;
  };

  it('six CBI responses → the least-squares slope, latest band, change flag and risk', async () => {
    const employee = await registerAccount([], 'surveys-trend');
    // Work-related 25, 25, 50, 50, 75, 75 at 150, 120, … 0 days ago; personal 50 throughout.
    const levels = [1, 1, 2, 2, 3, 3];
    for (const [i, level] of levels.entries()) await seedCbi(employee.id, 150 - 30 * i, 2, level);
    const trend = await get<{
      series: { work: number; personal: number }[];
      slopePer30Days: { work: number; personal: number };
      latest: { work: number; band: string };
      change: { work: number; flagged: boolean };
      risk: { level: string; score: number; factors: { name: string }[]; missing: string[] };
    }>(employee, `/surveys/responses/user/${employee.id}/burnout-trend`);
    expect(trend.status, trend.text).toBe(200);
    expect(trend.json.series.map((p) => p.work)).toEqual([25, 25, 50, 50, 75, 75]);
    // By hand: x = 0, 30, …, 150 (x̄ = 75), y = 25, 25, 50, 50, 75, 75 (ȳ = 50):
    // Σ(x−x̄)(y−ȳ) = 1875 + 1125 + 0 + 0 + 1125 + 1875 = 6000; Σ(x−x̄)² = 15750;
    // 6000 / 15750 = 0.38095 points/day = 11.43 points per 30 days.
    expect(trend.json.slopePer30Days).toEqual({ work: 11.43, personal: 0 });
    expect(trend.json).toMatchObject({ slopeBasis: { status: 'ok', responses: 6, reason: null } });
    expect(trend.json.latest).toMatchObject({ work: 75, band: 'high' });
    expect(trend.json.change).toEqual({ work: 0, flagged: false });
    // Risk: (0.35·0.75 + 0.15·0.5 + 0.1·(11.43/20)) / 0.6 = (0.2625 + 0.075 + 0.05715) / 0.6 = 0.6578 → 65.8
    expect(trend.json.risk).toMatchObject({ level: 'moderate', score: 65.8 });
    expect(trend.json.risk.factors.map((f) => f.name)).toEqual([
      'cbi_work',
      'cbi_personal',
      'cbi_work_trend',
    ]);
    expect(trend.json.risk.missing).toEqual(['pss10', 'who5', 'chat_negative_share', 'voice_video_distress']);

    // A jump of 25 points in the latest response is flagged; chat analyses (3 of 5 negative) become a factor.
    await seedCbi(employee.id, 0, 2, 4);
    for (const label of ['negative', 'negative', 'negative', 'neutral', 'positive'])
      await documents.send(
        new PutCommand({
          TableName: inject('tableName'),
          Item: {
            ...keys.analysis(employee.id, 'chat', new Date(Date.now() - DAY_MS).toISOString(), randomUUID()),
            entityType: 'CHAT_ANALYSIS',
            id: randomUUID(),
            userId: employee.id,
            type: 'chat',
            sentiment: { label, score: 0.9 },
            emotions: { neutral: 1 },
            analyzedAt: new Date(Date.now() - DAY_MS).toISOString(),
          },
        }),
      );
    // The analysis signals come from the day rollups, which the stream aggregator keeps: poll.
    let after = await get<typeof trend.json>(
      employee,
      `/surveys/responses/user/${employee.id}/burnout-trend`,
    );
    for (
      const deadline = Date.now() + 150_000;
      !after.json.risk.factors.some((f) => f.name === 'chat_negative_share') && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await get<typeof trend.json>(employee, `/surveys/responses/user/${employee.id}/burnout-trend`);
    }
    expect(after.json.latest).toMatchObject({ work: 100, band: 'severe' });
    expect(after.json.change).toEqual({ work: 25, flagged: true });
    expect(after.json.risk.factors.find((f) => f.name === 'chat_negative_share')).toMatchObject({
      value: 0.6,
    });
  });

  it('reads a window older than the survey state keeps from the responses themselves', async () => {
    const employee = await registerAccount([], 'surveys-trend-long');
    // Weekly CBI answers for two years and a bit: more than the state's series keeps.
    const weeks = CBI_SERIES_KEPT + 6;
    for (let week = weeks - 1; week >= 0; week--) await seedCbi(employee.id, week * 7, 2, 1 + (week % 3));
    const trendOf = (query: string) =>
      get<{ series: { responseId: string; at: string }[] }>(
        employee,
        `/surveys/responses/user/${employee.id}/burnout-trend${query}`,
      );
    // The default year is within the kept series: one BatchGetItem, no Query of the responses.
    const year = await trendOf('');
    expect(year.status, year.text).toBe(200);
    expect(year.json.series).toHaveLength(53); // day 0, 7, …, 364
    expect(year.headers.get('x-local-dynamodb-cost')).toMatch(/commands=BatchGetItem$/);
    // Three years reach past the oldest kept observation: every response, read by a Query.
    const from = new Date(Date.now() - 3 * 365 * DAY_MS).toISOString();
    const all3 = await trendOf(`?from=${from}`);
    expect(all3.status, all3.text).toBe(200);
    expect(all3.json.series).toHaveLength(weeks);
    expect(all3.headers.get('x-local-dynamodb-cost')).toMatch(/commands=BatchGetItem\+Query$/);
    const ats = all3.json.series.map((p) => p.at);
    expect(ats).toEqual([...ats].sort());
  });

  it('three CBI responses seconds apart: no slope (insufficient data, with the reason), no trend factor in the risk', async () => {
    const employee = await registerAccount([], 'surveys-trend-burst');
    // Work-related 25, 75, 50 (the issue's burst reported about 148 million points per 30 days).
    for (const work of [1, 3, 2]) {
      const response = await submit(employee, {
        instrument: 'cbi',
        answers: { ...all(CBI_PERSONAL, 2), ...all(CBI_WORK, work), w7: 4 - work },
      });
      expect(response.status, response.text).toBe(201);
    }
    const trend = await get<{
      series: unknown[];
      slopePer30Days: { work: number | null; personal: number | null };
      slopeBasis: { status: string; responses: number; spanDays: number; reason: string | null };
      risk: { factors: { name: string; value: number }[]; missing: string[] };
    }>(employee, `/surveys/responses/user/${employee.id}/burnout-trend`);
    expect(trend.status, trend.text).toBe(200);
    expect(trend.json.series).toHaveLength(3);
    expect(trend.json.slopePer30Days).toEqual({ work: null, personal: null });
    expect(trend.json.slopeBasis).toMatchObject({ status: 'insufficient_data', responses: 3, spanDays: 0 });
    expect(trend.json.slopeBasis.reason).toMatch(/at least 3 responses spanning at least 14 days/);
    expect(trend.json.risk.missing).toContain('cbi_work_trend');
    expect(trend.json.risk.factors.every((f) => Math.abs(f.value) <= 100)).toBe(true);
  });

  it('is insufficient_data without a CBI response', async () => {
    const employee = await registerAccount([], 'surveys-trend-empty');
    const trend = await get<{ series: unknown[]; latest: unknown; risk: { level: string; score: unknown } }>(
      employee,
      `/surveys/responses/user/${employee.id}/burnout-trend`,
    );
    expect(trend.status).toBe(200);
    expect(trend.json).toMatchObject({
      series: [],
      latest: null,
      risk: { level: 'insufficient_data', score: null },
    });
  });
});
