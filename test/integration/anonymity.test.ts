import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SurveyResponse } from '#contract/survey.ts';
import type * as RollupRepository from '#data/rollup-repository.ts';
import type * as RollupWithdrawal from '#data/rollup-withdrawal.ts';
import type { Counters } from '#domain/rollups.ts';
import { INSTRUMENTS, scoreResponse } from '#domain/instruments/index.ts';
import { freePort } from '../../lib/local/processes.ts';
import { attack, belowThreshold, publicationOf, type Epoch } from '../unit/support/disclosure-oracle.ts';
import { caller, startClocked, type ClockedRuntime } from './support/clocked-runtime.ts';

/**
 * The issue's aggregate attacks (3–7) against `npm start -- --clock`, through the local gateway with
 * real tokens: the runtime runs first in March 2031, while people write their data (the month is open:
 * nothing of it is served), then — stopped and started again on the same data — in April, after March
 * closed. The insider's reads go through the API; an attacker that combines them (the property tests'
 * oracle) is run on what was read, against the true rollups.
 */
// The hook that closes March writes the month (up to 120 s for the aggregator to catch up), stops the
// runtime (its stream drain is bounded at 60 s) and starts it again (bounded at 150 s by startClocked).
vi.setConfig({ testTimeout: 240_000, hookTimeout: 360_000 });

const MARCH = '2031-03';
const WRITING = '2031-03-20T12:00:00Z';
/** March closes on 3 April 01:00 (its end, 48 h of back-dating, an hour for the stream). */
const READING = '2031-04-05T09:00:00Z';
const THRESHOLDS = { kActivity: 5, kClinical: 10 };

let runtime: ClockedRuntime | undefined;
const { call, account, pipelineToken } = caller(() => runtime!);
let dataDir: string;
let ports: { port: number; consolePort: number };

/** A minute before the clocked "now", plus n seconds: inside the analysis window. */
const writingAt = (n: number) => new Date(Date.parse(WRITING) - 60_000 + n * 1000).toISOString();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mha-clocked-'));
  // The console's port too: its default (5173) is free-or-moved at start, which races with a parallel
  // run in another checkout (seen: EADDRINUSE on 5173 at the second start).
  ports = {
    port: await freePort(),
    consolePort: await freePort(),
  };
  runtime = await startClocked(WRITING, dataDir, ports);
});

afterAll(async () => {
  await runtime?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('while the month is open (clock in March)', () => {
  it('5: serves no open month, so two reads around one submission cannot be compared', async () => {
    const admin = await account(['admin'], 'open-admin');
    const open = await call<{ error: { details: { code: string; message: string }[] } }>(
      `/analytics/dashboard/overview?period=${MARCH}`,
      { token: admin.token },
    );
    expect(open.status).toBe(400);
    expect(open.json.error.details[0]).toMatchObject({ code: 'period_not_closed' });
    expect(open.json.error.details[0]?.message).toContain('served from 2031-04-03T01:00:00.000Z');
    // The default is the latest closed month (February), never the live one.
    const latest = await call<{ period: string }>('/analytics/dashboard/overview', { token: admin.token });
    expect(latest.status).toBe(200);
    expect(latest.json.period).toBe('2031-02');
  });

  it('4: refuses weeks, and analyses back-dated beyond the window, on their own in a batch', async () => {
    const admin = await account(['admin'], 'week-admin');
    const week = await call<{ error: { details: { message: string }[] } }>(
      '/analytics/dashboard/overview?period=2031-W09',
      { token: admin.token },
    );
    expect(week.status).toBe(400);
    expect(week.json.error.details[0]?.message).toMatch(/weeks are not served/);
    const subject = await account([], 'backdated');
    const pipeline = await pipelineToken();
    const chat = (analyzedAt: string) => ({
      userId: subject.id,
      sentiment: { label: 'negative', score: 0.9 },
      emotions: { fear: 0.9 },
      model: { name: 'clocked', version: '1' },
      analyzedAt,
    });
    // Three days before the clocked now (a back-dated datum placed into February, already on show).
    const backdated = await call<{ error: { details: { field: string }[] } }>('/analyses/chat', {
      method: 'POST',
      token: pipeline,
      body: chat('2031-02-28T23:00:00Z'),
    });
    expect(backdated.status).toBe(400);
    expect(backdated.json.error.details[0]?.field).toBe('body.analyzedAt');
    const batch = await call<{ results: { status: number }[] }>('/analyses/chat/batch', {
      method: 'POST',
      token: pipeline,
      body: { items: [chat(writingAt(0)), chat('2031-02-28T23:00:00Z')] },
    });
    expect(batch.json.results.map((r) => r.status)).toEqual([201, 400]);
  });
});

describe('once March is closed (clock in April)', () => {
  const departments = {} as Record<'big' | 'mid' | 'five' | 'victim' | 'own', string>;
  let admin: { id: string; token: string };
  let unassignedAdmin: { id: string; token: string };
  let manager: { id: string; token: string };
  let leaver: { id: string; token: string };
  let victim: string;
  let repositories: { rollups: typeof RollupRepository; withdrawal: typeof RollupWithdrawal };

  /** The true March rollups of every cell, as the oracle's ground truth. */
  const truth = async (): Promise<Map<string, Counters>> => {
    const period = { granularity: 'MONTH' as const, key: MARCH };
    const scopes = [
      ['ORG', { kind: 'organisation' as const }],
      ['unassigned', { kind: 'department' as const, id: 'unassigned' }],
      ...Object.values(departments).map((id) => [id, { kind: 'department' as const, id }] as const),
    ] as const;
    const read = await repositories.rollups.readRollupCells(scopes.map(([, scope]) => ({ scope, period })));
    return new Map(scopes.map(([id, scope]) => [id, read(scope, period)?.counters ?? {}]));
  };
  const overview = async (token: string) => {
    const response = await call<{
      period: string;
      organisation: Record<string, unknown> | null;
      departments: (Record<string, unknown> & { departmentId: string })[];
    }>(`/analytics/dashboard/overview?period=${MARCH}`, { token });
    expect(response.status, response.text).toBe(200);
    return response.json;
  };
  const cell = (body: Awaited<ReturnType<typeof overview>>, id: string) =>
    body.departments.find((d) => d.departmentId === id)!;
  const epochs: Epoch[] = [];

  beforeAll(async () => {
    // In-process reads of the runtime's table (ground truth), on the ports it keeps across restarts.
    Object.assign(process.env, {
      STAGE: 'local',
      TABLE_NAME: runtime!.state.tableName,
      DYNAMODB_ENDPOINT: runtime!.state.dynamodbEndpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    repositories = {
      rollups: await import('#data/rollup-repository.ts'),
      withdrawal: await import('#data/rollup-withdrawal.ts'),
    };
    const surveys = await import('#data/survey-repository.ts');
    const audit = await import('#data/audit-repository.ts');
    const writingClock = { now: () => new Date(WRITING) };
    const context = () => ({
      principal: { kind: 'machine' as const, clientId: 'clocked-test', scopes: [] },
      requestId: randomUUID(),
      sourceIp: 'test',
      userAgent: 'vitest',
    });

    admin = await account(['admin'], 'insider');
    unassignedAdmin = await account(['admin'], 'insider-unassigned');
    manager = await account(['manager'], 'manager');
    const department = async (label: string, managerIds: string[] = []) => {
      const created = await call<{ id: string }>('/departments', {
        method: 'POST',
        token: admin.token,
        body: { name: `Clocked ${label} ${randomUUID()}`, managerIds },
      });
      expect(created.status, created.text).toBe(201);
      return created.json.id;
    };
    departments.big = await department('big');
    departments.mid = await department('mid', [manager.id]);
    departments.five = await department('five');
    departments.victim = await department('victim');
    departments.own = await department('own');
    const join = async (userId: string, departmentId: string) => {
      const profile = await call<{ version: number }>(`/users/${userId}`, { token: admin.token });
      const moved = await call(`/users/${userId}`, {
        method: 'PUT',
        token: admin.token,
        body: { version: profile.json.version, departmentId },
      });
      expect(moved.status, moved.text).toBe(200);
    };
    // The insider sits alone in a department of its own; another admin has none.
    await join(admin.id, departments.own);
    leaver = await account([], 'leaver');
    await join(leaver.id, departments.big);

    const people = async (departmentId: string, count: number) =>
      Promise.all(
        Array.from({ length: count }, async () => {
          const person = await account([], 'member');
          await join(person.id, departmentId);
          return person.id;
        }),
      );
    const big = [leaver.id, ...(await people(departments.big, 29))];
    const mid = await people(departments.mid, 12);
    const five = await people(departments.five, 5);
    [victim] = (await people(departments.victim, 1)) as [string];

    const pipeline = await pipelineToken();
    let n = 0;
    const chat = async (userId: string, label: string, emotions: Record<string, number>) => {
      n += 1;
      const stored = await call('/analyses/chat', {
        method: 'POST',
        token: pipeline,
        body: {
          userId,
          sentiment: { label, score: 0.9 },
          emotions,
          model: { name: 'clocked', version: '1' },
          analyzedAt: writingAt(n),
        },
      });
      expect(stored.status, stored.text).toBe(201);
    };
    const phq9 = async (userId: string, total: number) => {
      const answers: Record<string, number> = { q9: 0 };
      let left = total;
      for (let i = 1; i <= 8; i++) {
        answers[`q${i}`] = Math.min(3, left);
        left -= answers[`q${i}`]!;
      }
      const scored = scoreResponse(INSTRUMENTS.phq9, answers);
      if (!scored.ok) throw new Error('answers do not score');
      n += 1;
      const response: SurveyResponse = {
        id: randomUUID(),
        userId,
        instrument: 'phq9',
        version: INSTRUMENTS.phq9.version,
        answers,
        scores: scored.result.scores,
        band: scored.result.band,
        flags: [...scored.result.flags],
        submittedAt: writingAt(n),
      };
      await surveys.appendSurveyResponse(
        response,
        audit.auditRecord(
          {
            action: 'surveys.submit',
            resourceType: 'survey_response',
            resourceId: response.id,
            subjectId: userId,
            outcome: 'allowed',
            status: 201,
          },
          context(),
          writingClock,
        ),
        context(),
        writingClock,
      );
    };
    await Promise.all(big.map((id, i) => chat(id, i % 2 ? 'positive' : 'neutral', { joy: 0.5 })));
    await Promise.all(big.slice(0, 20).map((id, i) => phq9(id, i % 10)));
    await Promise.all(mid.map((id) => chat(id, 'positive', { joy: 0.4 })));
    await Promise.all(mid.slice(0, 11).map((id, i) => phq9(id, i % 8)));
    // Attack 6: five people with joy, one of whom also names fear.
    await Promise.all(
      five.map((id, i) => chat(id, 'neutral', i === 0 ? { joy: 0.3, fear: 0.9 } : { joy: 0.3 })),
    );
    // The victim, alone: a negative chat and a severe PHQ-9.
    await chat(victim, 'negative', { sadness: 0.8 });
    await phq9(victim, 23);
    // The insiders' own data (they know it exactly).
    for (const insider of [admin, unassignedAdmin])
      expect(
        (
          await call('/analyses/chat', {
            method: 'POST',
            token: insider.token,
            body: {
              sentiment: { label: 'positive', score: 1 },
              emotions: { joy: 1 },
              model: { name: 'clocked', version: '1' },
              analyzedAt: writingAt(55),
            },
          })
        ).status,
      ).toBe(201);

    // Applied by the runtime's aggregator in March (the poller keeps up; stop drains it anyway).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const org = (await truth()).get('ORG') ?? {};
      // 48 members, the victim, the two insiders, and the subject of the back-dating test (51 chats).
      if (org['contributors.all'] === 51 && org['analyses.chat'] === 51 && org['surveys.phq9'] === 32) break;
      if (Date.now() > deadline) throw new Error(`March not aggregated: ${JSON.stringify(org)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await runtime!.stop();
    runtime = await startClocked(READING, dataDir, ports);
  });

  it('3: an admin alone in its own department, or without one, learns nothing of a lone victim', async () => {
    const body = await overview(admin.token);
    expect(body.period).toBe(MARCH);
    for (const id of [departments.victim, departments.own])
      expect(cell(body, id)).toEqual({ departmentId: id, name: expect.any(String), suppressed: true });
    // Not everything goes: the large department and the organisation's PHQ-9 stay on show (the PHQ-9
    // complement beside the victim is big's, whose band counts keep it unknown, not mid's).
    expect(cell(body, departments.big)).toMatchObject({ suppressed: false, contributors: 30, analyses: 30 });
    expect(body.organisation).toMatchObject({ contributors: 51, instruments: { phq9: { responses: 32 } } });
    // Whatever is shown, the insider combining it with its own contribution determines nothing.
    const counters = await truth();
    epochs.push({ counters, reads: [publicationOf(body, counters)] });
    const leaves = [...Object.values(departments), 'unassigned'];
    expect(belowThreshold(epochs, THRESHOLDS)).toEqual([]);
    expect(attack(MARCH, epochs, leaves, THRESHOLDS)).toEqual([]);
    // The remainder organisation − shown departments never rests on the insiders and the victim alone.
    const organisation = body.organisation as { contributors: number | null };
    if (organisation.contributors !== null) {
      const shown = body.departments
        .filter((d) => !d.suppressed && d.contributors !== null)
        .reduce((sum, d) => sum + (d.contributors as number), 0);
      expect(organisation.contributors - shown).toBeGreaterThan(3 + THRESHOLDS.kActivity);
    }
  });

  it('3: publishes no per-kind activity counters to decompose (analyses vs EmoBuddy messages)', async () => {
    const body = await overview(admin.token);
    expect(JSON.stringify(body)).not.toMatch(/"(chat|speech|video|messages|ended|items|surveyResponses)"/);
  });

  it('6: shows no emotion mean resting on one analysis, even in a visible cell of five', async () => {
    const body = await overview(admin.token);
    const five = cell(body, departments.five) as unknown as {
      suppressed: boolean;
      emotions?: Record<string, unknown>;
    };
    if (!five.suppressed) expect(five.emotions?.fear).toEqual({ analyses: null, meanProbability: null });
    expect((body.organisation as { emotions: Record<string, unknown> }).emotions.fear).toEqual({
      analyses: null,
      meanProbability: null,
    });
  });

  it('gives the manager the admin’s very cell of the department they manage, and nothing else', async () => {
    const [asAdmin, asManager] = await Promise.all([overview(admin.token), overview(manager.token)]);
    expect(asManager.organisation).toBeNull();
    expect(asManager.departments).toEqual([cell(asAdmin, departments.mid)]);
  });

  it('7: an opt-out withdraws the past at once; reads before and after it reveal nothing of the leaver', async () => {
    const before = await overview(unassignedAdmin.token);
    const revoke = await call('/users/me/consents', {
      method: 'PUT',
      token: leaver.token,
      body: { aggregateAnalytics: { granted: false } },
    });
    expect(revoke.status, revoke.text).toBe(200);
    const deadline = Date.now() + 60_000;
    while ((await repositories.withdrawal.getWithdrawal(leaver.id))?.status !== 'done') {
      if (Date.now() > deadline) throw new Error('withdrawal not done');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const counters = await truth();
    expect(counters.get(departments.big)?.['contributors.all']).toBe(29);
    const after = await overview(unassignedAdmin.token);
    // The cells the withdrawal changed are withheld from now on; every other one is as it was.
    expect(cell(after, departments.big)).toEqual({
      departmentId: departments.big,
      name: expect.any(String),
      suppressed: true,
    });
    expect(after.organisation).toEqual({ suppressed: true });
    for (const id of [departments.mid, departments.five, departments.victim, departments.own])
      expect(cell(after, id)).toEqual(cell(before, id));
    epochs.push({ counters, reads: [publicationOf(after, counters)] });
    expect(attack(MARCH, epochs, [...Object.values(departments), 'unassigned'], THRESHOLDS)).toEqual([]);
  });

  it('keeps the revisions through rebuild-rollups (the CLI on the runtime’s clock)', async () => {
    const before = await overview(admin.token);
    const { runAdmin } = await import('./support/admin-cli.ts');
    const run = await runAdmin(['rebuild-rollups'], runtime!.stateFile);
    expect(run.code, run.stderr).toBe(0);
    expect(await overview(admin.token)).toEqual(before);
  });
});
