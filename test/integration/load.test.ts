import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, bearer } from './support/api.ts';
import { registerAccount, type Account } from './support/accounts.ts';

/**
 * A small, bounded load through the local gateway (loopback only): concurrent clients write analyses
 * and survey responses, retrying at random with the same Idempotency-Key as a flaky network would make
 * them. Every acknowledged write must be readable exactly once, and no answer may be a 5xx.
 * LOAD_CLIENTS / LOAD_WRITES widen it on demand.
 */
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 6);
const WRITES = Number(process.env.LOAD_WRITES ?? 12);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

let users: Account[] = [];
beforeAll(async () => {
  users = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => registerAccount([], `load-${i}`)));
});

const phq9 = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`q${i + 1}`, i === 8 ? 0 : 1]));

describe('bounded concurrent load with retries', () => {
  it('stores every acknowledged write exactly once, with no 5xx, and reports latency', async () => {
    const latencies: number[] = [];
    const statuses: number[] = [];
    const post = async (user: Account, path: string, body: unknown, key: string) => {
      const started = performance.now();
      const response = await api(path, {
        method: 'POST',
        headers: { ...bearer(user.accessToken), 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
      latencies.push(performance.now() - started);
      statuses.push(response.status);
      return response;
    };

    const acknowledged = new Map<string, { analyses: Set<string>; responses: Set<string> }>();
    await Promise.all(
      users.map(async (user) => {
        const mine = { analyses: new Set<string>(), responses: new Set<string>() };
        acknowledged.set(user.id, mine);
        for (let i = 0; i < WRITES; i++) {
          const survey = i % 3 === 0;
          const key = randomUUID();
          const path = survey ? '/surveys/responses' : '/analyses/chat';
          const body = survey
            ? { instrument: 'phq9', answers: phq9 }
            : {
                userId: user.id,
                sentiment: { label: 'neutral', score: 0.5 },
                emotions: { neutral: 1 },
                model: { name: 'load', version: '1' },
                analyzedAt: new Date().toISOString(),
              };
          // Send, then "lose the answer" and retry once or twice at random, sometimes concurrently.
          const attempts = 1 + Math.floor(Math.random() * 3);
          const answers =
            Math.random() < 0.3
              ? await Promise.all(Array.from({ length: attempts }, () => post(user, path, body, key)))
              : await (async () => {
                  const sequential = [];
                  for (let a = 0; a < attempts; a++) sequential.push(await post(user, path, body, key));
                  return sequential;
                })();
          // A concurrent duplicate may be told 409 (in flight); one answer carries the stored id.
          const stored = answers.find((r) => r.status === 200 || r.status === 201);
          if (!stored) {
            const retried = await post(user, path, body, key);
            expect([200, 201]).toContain(retried.status);
            (survey ? mine.responses : mine.analyses).add(retried.json.id);
          } else {
            for (const answer of answers.filter((r) => r.status === 200 || r.status === 201)) {
              expect(answer.json.id).toBe(stored.json.id); // replays return the same record
            }
            (survey ? mine.responses : mine.analyses).add(stored.json.id);
          }
        }
      }),
    );

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    for (const user of users) {
      const mine = acknowledged.get(user.id)!;
      const analyses = await api(`/analyses/chat/user/${user.id}?limit=100`, {
        headers: bearer(user.accessToken),
      });
      const responses = await api(`/surveys/responses/user/${user.id}?limit=100`, {
        headers: bearer(user.accessToken),
      });
      const analysisIds = (analyses.json.items as Array<{ id: string }>).map((a) => a.id);
      const responseIds = (responses.json.items as Array<{ id: string }>).map((r) => r.id);
      // Exactly once: the stored records are the acknowledged ones, no duplicates, nothing extra.
      expect(analysisIds.sort()).toEqual([...mine.analyses].sort());
      expect(responseIds.sort()).toEqual([...mine.responses].sort());
    }
    console.info(
      `[load] ${CLIENTS} clients × ${WRITES} writes, ${latencies.length} requests incl. retries: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  }, 120_000);
});
