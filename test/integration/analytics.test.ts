import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SurveyResponse } from '#contract/survey.ts';
import type { Counters } from '#domain/rollups.ts';
import { INSTRUMENTS, scoreResponse } from '#domain/instruments/index.ts';
import type * as AuditRepository from '#data/audit-repository.ts';
import type * as ConsentRepository from '#data/consent-repository.ts';
import type * as RollupRebuild from '#data/rollup-rebuild.ts';
import type * as RollupRepository from '#data/rollup-repository.ts';
import type * as SurveyRepository from '#data/survey-repository.ts';
import type * as UserRepository from '#data/user-repository.ts';
import type * as Aggregator from '../../functions/streams/aggregate-rollups.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { api, bearer } from './support/api.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';

/**
 * Analytics end to end on the emulators: writes through the API (and, where a write needs a user who
 * never signs in, through the repositories in-process), the local runtime's stream poller running the
 * aggregator, and the overview and summary read through the local gateway. Every test works in its own
 * departments, users and periods (2024, which no other test writes), so parallel tests cannot change its
 * numbers; waits poll the API (or the rollups) until the expected numbers appear, bounded.
 */
let restoreEnv: () => void = () => undefined;

let repositories: {
  users: typeof UserRepository;
  surveys: typeof SurveyRepository;
  consents: typeof ConsentRepository;
  audit: typeof AuditRepository;
  rollups: typeof RollupRepository;
  rebuild: typeof RollupRebuild;
};
let aggregator: typeof Aggregator;
let admin: Account;
let pipeline: string;
const clock = { now: () => new Date() };
const context = () => ({
  principal: { kind: 'machine' as const, clientId: 'analytics-test', scopes: [] },
  requestId: randomUUID(),
  sourceIp: 'test',
  userAgent: 'vitest',
});

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  repositories = {
    users: await import('#data/user-repository.ts'),
    surveys: await import('#data/survey-repository.ts'),
    consents: await import('#data/consent-repository.ts'),
    audit: await import('#data/audit-repository.ts'),
    rollups: await import('#data/rollup-repository.ts'),
    rebuild: await import('#data/rollup-rebuild.ts'),
  };
  aggregator = await import('../../functions/streams/aggregate-rollups.ts');
  [admin, pipeline] = await Promise.all([registerAccount(['admin'], 'analytics-admin'), machineToken()]);
});
afterAll(() => {
  restoreEnv();
});

vi.setConfig({ testTimeout: 200_000 });

/** Polls until `check` returns a value (not undefined), at most `timeoutMs`. */
const waitFor = async <T>(
  what: string,
  check: () => Promise<T | undefined>,
  // The global runtime's stream poller shares two cores with every other suite (and, in CI, the infra
  // synths): its backlog can take a while to drain, so the wait is generous but still bounded.
  timeoutMs = 150_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const createDepartment = async (label: string, managerIds: string[] = []): Promise<string> => {
  const response = await api('/departments', {
    method: 'POST',
    headers: { ...bearer(admin.accessToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `Analytics ${label} ${randomUUID()}`, managerIds }),
  });
  expect(response.status, response.text).toBe(201);
  return (response.json as { id: string }).id;
};

/** A person who never signs in: a profile written the way the API writes it. */
const createPerson = async (departmentId: string | undefined): Promise<string> => {
  const id = randomUUID();
  const at = new Date().toISOString();
  await repositories.users.createProfile(
    repositories.users.newProfile({
      id,
      email: `analytics-${id}@example.com`,
      fullName: `Analytics ${id.slice(0, 8)}`,
      ...(departmentId ? { departmentId } : {}),
      roles: ['employee'],
      at,
    }),
    repositories.audit.newAuditRecord(
      {
        action: 'users.create',
        resourceType: 'user',
        resourceId: id,
        subjectId: id,
        outcome: 'allowed',
        status: 201,
      },
      context(),
      clock,
    ),
  );
  return id;
};

const postChat = async (userId: string, at: string, label: string, emotions: Record<string, number>) => {
  const response = await api('/analyses/chat', {
    method: 'POST',
    headers: { ...bearer(pipeline), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      userId,
      sentiment: { label, score: 0.9 },
      emotions,
      model: { name: 'analytics-test', version: '1' },
      analyzedAt: at,
    }),
  });
  expect(response.status, response.text).toBe(201);
};

/** Stores a scored response at a chosen time (the API stamps the current time). */
const storeSurvey = async (
  userId: string,
  instrument: 'phq9' | 'gad7',
  answers: Record<string, number>,
  at: string,
) => {
  const scored = scoreResponse(INSTRUMENTS[instrument], answers);
  if (!scored.ok) throw new Error('test answers do not score');
  const response: SurveyResponse = {
    id: randomUUID(),
    userId,
    instrument,
    version: INSTRUMENTS[instrument].version,
    answers,
    scores: scored.result.scores,
    band: scored.result.band,
    flags: [...scored.result.flags],
    submittedAt: at,
  };
  await repositories.surveys.appendSurveyResponse(
    response,
    repositories.audit.newAuditRecord(
      {
        action: 'surveys.submit',
        resourceType: 'survey_response',
        resourceId: response.id,
        subjectId: userId,
        outcome: 'allowed',
        status: 201,
      },
      context(),
      clock,
    ),
    context(),
    clock,
  );
  return response;
};

interface DepartmentCell {
  departmentId: string;
  name: string;
  suppressed: boolean;
  contributors?: number;
  activity?: { items: number; analyses: { chat: number } };
  sentiment?: { suppressed: boolean; counts?: Record<string, number>; contributors?: number };
  emotions?: {
    suppressed: boolean;
    labels?: Record<string, { analyses: number; meanProbability: number | null }>;
  };
  instruments?: Record<
    string,
    { suppressed: boolean; responses?: number; meanScore?: number | null; bands?: Record<string, number> }
  >;
  trend?: {
    previousPeriod: string;
    items: number;
    contributors: number;
    negativeSentimentShare: number | null;
  } | null;
}
interface Overview {
  period: string;
  organisation: { suppressed: boolean; activity?: { items: number } } | null;
  departments: DepartmentCell[];
}

const overview = async (account: Account, period: string) => {
  const response = await api<Overview>(`/analytics/dashboard/overview?period=${period}`, {
    headers: bearer(account.accessToken),
  });
  expect(response.status, response.text).toBe(200);
  return response.json;
};
const cellOf = (body: Overview, id: string) => body.departments.find((d) => d.departmentId === id);

const phq9 = (total: number) => {
  // Items 1–8 only (item 9 stays 0: no risk signal), summing to `total`.
  const answers: Record<string, number> = { q9: 0 };
  let left = total;
  for (let i = 1; i <= 8; i++) {
    const value = Math.min(3, left);
    answers[`q${i}`] = value;
    left -= value;
  }
  return answers;
};
const gad7 = (total: number) => {
  const answers: Record<string, number> = {};
  let left = total;
  for (let i = 1; i <= 7; i++) {
    const value = Math.min(3, left);
    answers[`q${i}`] = value;
    left -= value;
  }
  return answers;
};

describe('dashboard overview from stream-maintained rollups', () => {
  const PERIOD = '2024-03';
  const ts = (day: number, n = 0) => new Date(Date.UTC(2024, 2, day, 9, 0, n)).toISOString();
  const PREVIOUS = (n: number) => new Date(Date.UTC(2024, 1, 10, 9, 0, n)).toISOString();
  const people: Record<'big' | 'mid' | 'small', string[]> = { big: [], mid: [], small: [] };
  const departments = {} as Record<'big' | 'mid' | 'small', string>;
  let manager: Account;

  beforeAll(async () => {
    manager = await registerAccount(['manager'], 'analytics-manager');
    // big: 12 people, mid: 10 (visible by k but the smallest visible), small: 4 (below k = 5).
    [departments.big, departments.mid, departments.small] = await Promise.all([
      createDepartment('big', [manager.id]),
      createDepartment('mid'),
      createDepartment('small', [manager.id]),
    ]);
    const sizes = { big: 12, mid: 10, small: 4 } as const;
    for (const key of ['big', 'mid', 'small'] as const)
      people[key] = await Promise.all(
        Array.from({ length: sizes[key] }, () => createPerson(departments[key])),
      );

    const writes: Promise<unknown>[] = [];
    people.big.forEach((id, i) => {
      // 4 negative, 8 positive; joy 0.5 and sadness 0.25 each.
      writes.push(
        postChat(id, ts(5 + (i % 3), i), i < 4 ? 'negative' : 'positive', { joy: 0.5, sadness: 0.25 }),
      );
      // Last month: one positive chat each (the trend's baseline).
      writes.push(postChat(id, PREVIOUS(i), 'positive', { joy: 1 }));
      // PHQ-9 from exactly 10 people (= kClinical), GAD-7 from 9 (= kClinical − 1).
      if (i < 10) writes.push(storeSurvey(id, 'phq9', phq9(i), ts(12, i)));
      if (i < 9) writes.push(storeSurvey(id, 'gad7', gad7(3), ts(13, i)));
    });
    people.mid.forEach((id, i) => writes.push(postChat(id, ts(7, i), 'neutral', { joy: 0.5 })));
    people.small.forEach((id, i) => writes.push(postChat(id, ts(8, i), 'negative', { fear: 0.75 })));
    await Promise.all(writes);
  });

  it('shows exact numbers for a department at or above k, with the trend and per-cell clinical thresholds', async () => {
    const body = await waitFor('the big department’s rollups', async () => {
      const current = await overview(admin, PERIOD);
      const cell = cellOf(current, departments.big);
      // Both months complete: March's 31 items and February's 12 (the trend's baseline).
      return cell?.activity?.items === 12 + 10 + 9 && cell.trend?.items === 31 - 12 ? current : undefined;
    });
    const big = cellOf(body, departments.big)!;
    expect(big).toMatchObject({
      name: expect.stringMatching(/^Analytics big /),
      suppressed: false,
      contributors: 12,
      activity: { items: 31, analyses: { chat: 12, speech: 0, video: 0 }, surveyResponses: 19 },
      sentiment: { suppressed: false, contributors: 12, counts: { negative: 4, positive: 8, neutral: 0 } },
    });
    expect(big.emotions?.labels?.joy).toEqual({ analyses: 12, meanProbability: 0.5 });
    expect(big.emotions?.labels?.sadness).toEqual({ analyses: 12, meanProbability: 0.25 });
    // PHQ-9 at exactly k = 10 contributors: shown. Totals 0..9: mean 4.5; bands minimal (0–4) ×5, mild ×5.
    expect(big.instruments?.phq9).toEqual({
      suppressed: false,
      contributors: 10,
      responses: 10,
      meanScore: 4.5,
      bands: { mild: 5, minimal: 5 },
    });
    // GAD-7 at k − 1 = 9: no numbers at all.
    expect(big.instruments?.gad7).toEqual({ suppressed: true });
    expect(big.instruments?.cbi).toEqual({ suppressed: true });
    // Versus February (12 positive chats from the same 12 people).
    expect(big.trend).toEqual({
      previousPeriod: '2024-02',
      contributors: 0,
      items: 31 - 12,
      negativeSentimentShare: 0.3333,
      meanScores: { phq9: null, gad7: null, who5: null, pss10: null, cbi: null },
    });
  });

  it('hides a department below k with no numbers, and the next-smallest one with it (complementary)', async () => {
    const body = await waitFor('every department’s rollups', async () => {
      const current = await overview(admin, PERIOD);
      const cell = cellOf(current, departments.big);
      return cell?.activity?.items === 31 && current.organisation?.activity?.items === 31 + 10 + 4
        ? current
        : undefined;
    });
    // The small department: only its id, name and the flag — not even its count.
    const small = cellOf(body, departments.small)!;
    expect(Object.keys(small).sort()).toEqual(['departmentId', 'name', 'suppressed']);
    expect(small.suppressed).toBe(true);
    // The organisation total is shown, so "total − big − mid" would give the small one away: the
    // smallest visible sibling (mid, 10 people) is hidden too.
    expect(body.organisation?.suppressed).toBe(false);
    expect(Object.keys(cellOf(body, departments.mid)!).sort()).toEqual([
      'departmentId',
      'name',
      'suppressed',
    ]);
    expect(cellOf(body, departments.big)?.suppressed).toBe(false);
    // Nothing of the crisis machinery ever shows in an aggregate.
    expect(JSON.stringify(body)).not.toMatch(/alert|risk|crisis|suicid/i);
  });

  it('gives a manager only the departments they manage, and no organisation cell', async () => {
    await waitFor('the big department', async () => {
      const cell = cellOf(await overview(admin, PERIOD), departments.big);
      return cell?.activity?.items === 31 ? true : undefined;
    });
    const body = await overview(manager, PERIOD);
    expect(body.organisation).toBeNull();
    expect(body.departments.map((d) => d.departmentId).sort()).toEqual(
      [departments.big, departments.small].sort(),
    );
    expect(cellOf(body, departments.big)?.contributors).toBe(12);
    expect(cellOf(body, departments.small)?.suppressed).toBe(true);
  });

  it('refuses a week that does not exist in its year', async () => {
    const response = await api('/analytics/dashboard/overview?period=2025-W53', {
      headers: bearer(admin.accessToken),
    });
    expect(response.status).toBe(400);
  });

  it('rebuilds exactly the rollups the aggregator built incrementally', async () => {
    await waitFor('all writes applied', async () => {
      const current = await overview(admin, PERIOD);
      return current.organisation?.activity?.items === 45 && cellOf(current, departments.big)?.trend !== null
        ? true
        : undefined;
    });
    const everyone = [...people.big, ...people.mid, ...people.small];
    const ids = [departments.big, departments.mid, departments.small];
    const periods = [
      { granularity: 'MONTH', key: '2024-03' },
      { granularity: 'MONTH', key: '2024-02' },
      { granularity: 'WEEK', key: '2024-W10' },
      { granularity: 'WEEK', key: '2024-W11' },
      { granularity: 'DAY', key: '2024-03-05' },
      { granularity: 'DAY', key: '2024-03-12' },
    ] as const;
    const snapshot = async () => {
      const read = await repositories.rollups.readRollups([
        ...ids.flatMap((id) =>
          periods.map((period) => ({ scope: { kind: 'department' as const, id }, period })),
        ),
        ...everyone.flatMap((id) =>
          periods.map((period) => ({ scope: { kind: 'user' as const, id }, period })),
        ),
      ]);
      const values: Record<string, Counters | undefined> = {};
      for (const id of ids)
        for (const p of periods) values[`DEPT#${id}|${p.key}`] = read({ kind: 'department', id }, p);
      for (const id of everyone)
        for (const p of periods) values[`USER#${id}|${p.key}`] = read({ kind: 'user', id }, p);
      return values;
    };
    const incremental = await snapshot();
    expect(incremental[`DEPT#${departments.big}|2024-03`]?.['contributors.all']).toBe(12);
    // One survey state lost (as for responses stored before survey states existed): rebuilt from the
    // responses; every other state the incremental path wrote is already what the rebuild computes.
    const withSurveys = people.big[0]!;
    const stateBefore = await repositories.surveys.getSurveyState(withSurveys);
    expect(Object.keys(stateBefore.latest).sort()).toEqual(['gad7', 'phq9']);
    const { documentClient, tableName } = await import('#data/client.ts');
    const { keys } = await import('#data/keys.ts');
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    await documentClient.send(
      new DeleteCommand({ TableName: tableName(), Key: keys.surveyState(withSurveys) }),
    );
    const summary = await repositories.rebuild.rebuildRollups({
      now: new Date(),
      only: { userIds: everyone, departmentIds: ids },
    });
    expect(summary.users).toBe(26);
    expect(summary.sourceItems).toBe(12 * 2 + 10 + 9 + 10 + 4);
    expect(await snapshot()).toEqual(incremental);
    expect(summary.surveyStates).toBe(1);
    expect({ ...(await repositories.surveys.getSurveyState(withSurveys)), version: 0 }).toEqual({
      ...stateBefore,
      version: 0,
    });
  });
});

describe('user summary', () => {
  let user: Account;
  let clinician: Account;
  let other: Account;

  beforeAll(async () => {
    [user, clinician, other] = await Promise.all([
      registerAccount([], 'analytics-summary'),
      registerAccount(['clinician'], 'analytics-clinician'),
      registerAccount([], 'analytics-other'),
    ]);
  });

  it('summarises a period from the user’s rollups, with the latest scores and the burnout model', async () => {
    const post = (path: string, body: unknown, token = user.accessToken) =>
      api(path, {
        method: 'POST',
        headers: { ...bearer(token), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const chatBody = (label: string, emotions: Record<string, number>, at: string) => ({
      sentiment: { label, score: 0.7 },
      emotions,
      model: { name: 'analytics-test', version: '1' },
      analyzedAt: at,
    });
    expect(
      (await post('/analyses/chat', chatBody('negative', { sadness: 0.5 }, '2024-07-01T10:00:00Z'))).status,
    ).toBe(201);
    expect(
      (await post('/analyses/chat', chatBody('neutral', { joy: 1, sadness: 0.25 }, '2024-07-31T23:59:59Z')))
        .status,
    ).toBe(201);
    expect(
      (await post('/analyses/chat', chatBody('positive', { joy: 1 }, '2024-08-01T00:00:00Z'))).status,
    ).toBe(201);
    const cbiAnswers = Object.fromEntries(
      INSTRUMENTS.cbi.items.filter((item) => !item.id.startsWith('c')).map((item) => [item.id, 2]),
    );
    const submitted = await post('/surveys/responses', { instrument: 'cbi', answers: cbiAnswers });
    expect(submitted.status, submitted.text).toBe(201);
    const response = submitted.json as SurveyResponse;

    const summary = await waitFor('the July summary', async () => {
      const r = await api(`/analytics/user/${user.id}/summary?period=2024-07`, {
        headers: bearer(user.accessToken),
      });
      expect(r.status, r.text).toBe(200);
      return r.json.counts.analyses.chat === 2 ? r.json : undefined;
    });
    expect(summary).toMatchObject({
      userId: user.id,
      period: '2024-07',
      counts: { items: 2, analyses: { chat: 2, speech: 0, video: 0 }, surveyResponses: 0 },
      sentiment: {
        analyses: 2,
        counts: { negative: 1, neutral: 1, positive: 0 },
        shares: { negative: 0.5, neutral: 0.5 },
      },
      emoBuddy: { sessions: 0, ended: 0, messages: 0 },
    });
    expect(summary.emotions.sadness).toEqual({ analyses: 2, meanProbability: 0.375 });
    expect(summary.emotions.joy).toEqual({ analyses: 1, meanProbability: 1 });
    expect(summary.latestScores.cbi).toMatchObject({
      responseId: response.id,
      score: response.scores.total,
      band: response.band,
    });
    expect(summary.latestScores.phq9).toBeNull();
    // The same model as the burnout trend route, on the same data.
    const trend = await api(`/surveys/responses/user/${user.id}/burnout-trend`, {
      headers: bearer(user.accessToken),
    });
    expect(summary.burnoutRisk).toEqual(trend.json.risk);
    expect(summary.burnoutRisk.level).not.toBe('insufficient_data');

    // A consented clinician may read it (audited); anyone else may not.
    const consent = await api('/users/me/consents', {
      method: 'PUT',
      headers: { ...bearer(user.accessToken), 'Content-Type': 'application/json' },
      body: JSON.stringify({ clinicianAccess: { granted: true, clinicianIds: [clinician.id] } }),
    });
    expect(consent.status).toBe(200);
    const byClinician = await api(`/analytics/user/${user.id}/summary?period=2024-07`, {
      headers: bearer(clinician.accessToken),
    });
    expect(byClinician.status).toBe(200);
    expect(byClinician.json.counts.analyses.chat).toBe(2);
    expect(
      (await api(`/analytics/user/${user.id}/summary`, { headers: bearer(other.accessToken) })).status,
    ).toBe(403);
    const log = await api('/users/me/access-log?limit=50', { headers: bearer(user.accessToken) });
    expect(
      (log.json.items as { action: string; actor: { id: string } }[]).some(
        (entry) => entry.action === 'analytics.userSummary' && entry.actor.id === clinician.id,
      ),
    ).toBe(true);
  });
});

describe('consent revocation', () => {
  it('keeps a user who opted out of aggregate analytics out of future aggregates', async () => {
    const department = await createDepartment('consent');
    const members = await Promise.all(Array.from({ length: 6 }, () => createPerson(department)));
    const [leaver] = members as [string, ...string[]];
    await Promise.all(
      members.map((id, i) => postChat(id, `2024-04-10T10:00:0${i}Z`, 'positive', { joy: 1 })),
    );
    await waitFor('April', async () => {
      const cell = cellOf(await overview(admin, '2024-04'), department);
      return cell?.contributors === 6 ? true : undefined;
    });

    await repositories.consents.updateConsents(
      leaver,
      { aggregateAnalytics: { granted: false } },
      context(),
      clock,
    );
    await postChat(leaver, '2024-09-10T10:00:00Z', 'negative', { sadness: 1 });
    // Once her own rollup has it, the record has been applied: the department did not get it.
    const read = async () => {
      const r = await repositories.rollups.readRollups([
        { scope: { kind: 'user', id: leaver }, period: { granularity: 'MONTH', key: '2024-09' } },
        { scope: { kind: 'department', id: department }, period: { granularity: 'MONTH', key: '2024-09' } },
      ]);
      return {
        own: r({ kind: 'user', id: leaver }, { granularity: 'MONTH', key: '2024-09' }),
        department: r({ kind: 'department', id: department }, { granularity: 'MONTH', key: '2024-09' }),
      };
    };
    const first = await waitFor('her own September rollup', async () => {
      const r = await read();
      return r.own?.['activity.items'] === 1 ? r : undefined;
    });
    expect(first.department).toBeUndefined();

    await Promise.all(
      members.slice(1).map((id, i) => postChat(id, `2024-09-11T10:00:0${i}Z`, 'positive', { joy: 1 })),
    );
    const september = await waitFor('September', async () => {
      const cell = cellOf(await overview(admin, '2024-09'), department);
      return cell?.contributors === 5 ? cell : undefined;
    });
    expect(september.activity?.items).toBe(5);
    expect(september.sentiment?.counts).toEqual({ positive: 5, negative: 0, neutral: 0 });
    // What she contributed before opting out stays (until a rebuild).
    expect(cellOf(await overview(admin, '2024-04'), department)?.contributors).toBe(6);
  });
});

describe('stream aggregator handler, in-process', () => {
  const lambdaContext = {
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
  let sequence = BigInt(Date.now()) * 1_000_000n;

  /** A synthetic stream record of a chat analysis that exists only in the stream, not in the table. */
  const chatRecord = (userId: string, at: string, image?: Record<string, unknown>): DynamoDBRecord => {
    sequence += 1n;
    const sk = `CHAT#${at}#${randomUUID()}`;
    const item = image ?? {
      PK: `USER#${userId}`,
      SK: sk,
      entityType: 'CHAT_ANALYSIS',
      userId,
      analyzedAt: at,
      sentiment: { label: 'negative', score: 0.9 },
      emotions: { anger: 0.5 },
      riskFlags: [],
    };
    return {
      eventID: randomUUID().replaceAll('-', ''),
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/test/stream/x',
      dynamodb: {
        Keys: marshall({ PK: `USER#${userId}`, SK: sk }) as never,
        NewImage: marshall(
          { ...item, PK: `USER#${userId}`, SK: sk },
          { removeUndefinedValues: true },
        ) as never,
        SequenceNumber: sequence.toString(),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  };

  const departmentMonth = async (department: string) => {
    const read = await repositories.rollups.readRollups([
      { scope: { kind: 'department', id: department }, period: { granularity: 'MONTH', key: '2024-06' } },
    ]);
    return read({ kind: 'department', id: department }, { granularity: 'MONTH', key: '2024-06' }) ?? {};
  };

  it('changes nothing when a record is delivered twice', async () => {
    const department = randomUUID();
    const userId = await createPerson(department);
    const record = chatRecord(userId, '2024-06-03T10:00:00.000Z');
    const handler = aggregator.createAggregatorHandler();
    expect(await handler({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    const once = await departmentMonth(department);
    expect(once).toMatchObject({ 'activity.items': 1, 'analyses.chat': 1, 'contributors.all': 1 });
    // Redelivered, on its own and inside a later batch.
    expect(await handler({ Records: [record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [record, record] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await departmentMonth(department)).toEqual(once);
  });

  it('reports only the poisoned record of a batch as failed and applies the others', async () => {
    const department = randomUUID();
    const userId = await createPerson(department);
    const good1 = chatRecord(userId, '2024-06-04T10:00:00.000Z');
    const poisoned = chatRecord(userId, '2024-06-04T11:00:00.000Z', {
      entityType: 'CHAT_ANALYSIS',
      analyzedAt: 'not a time',
    });
    const good2 = chatRecord(userId, '2024-06-04T12:00:00.000Z');
    const handler = aggregator.createAggregatorHandler();
    const result = await handler({ Records: [good1, poisoned, good2] }, lambdaContext);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: poisoned.dynamodb?.SequenceNumber }] });
    expect(await departmentMonth(department)).toMatchObject({ 'activity.items': 2, 'contributors.all': 1 });
  });
});
