import { describe, expect, it } from 'vitest';
import { api, expectEnvelope } from './support/api.ts';
import { machineToken, registerAccount } from './support/accounts.ts';

/**
 * GET /metrics of the local runtime (on by default): the handlers' Powertools metrics, captured
 * in-process, and the gateway's request counts and latency histograms, in Prometheus text format —
 * parsed here as a scraper would.
 */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A minimal Prometheus text-format parser: every sample line, and the declared TYPE of each family. */
const parsePrometheus = (text: string) => {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
};

const scrape = async () => {
  const response = await api('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheus(response.text);
};

const valueOf = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

describe('GET /metrics (local runtime only)', () => {
  it('counts requests per route and status, with latency histograms', async () => {
    const before = (await scrape()).samples;
    for (let i = 0; i < 3; i++) expect((await api('/health/identity')).status).toBe(200);
    expectEnvelope(await api('/no/such/path'), 404, 'NOT_FOUND');
    const { samples, types } = await scrape();
    const requests = { route: 'health.identity', method: 'GET', status: '200' };
    // At least these three: other files (the black-box suite among them) call the same route on this
    // runtime meanwhile.
    expect(valueOf(samples, 'mha_http_requests_total', requests)).toBeGreaterThanOrEqual(
      valueOf(before, 'mha_http_requests_total', requests) + 3,
    );
    expect(
      valueOf(samples, 'mha_http_requests_total', { route: '(no route)', status: '404' }),
    ).toBeGreaterThan(0);
    expect(types.get('mha_http_requests_total')).toBe('counter');
    expect(types.get('mha_http_request_duration_seconds')).toBe('histogram');

    // A histogram: cumulative buckets ending in +Inf = count, and a sum.
    const series = { route: 'health.identity', method: 'GET' };
    const buckets = samples.filter(
      (s) => s.name === 'mha_http_request_duration_seconds_bucket' && s.labels.route === series.route,
    );
    expect(buckets.length).toBeGreaterThan(5);
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    expect(valueOf(samples, 'mha_http_request_duration_seconds_count', series)).toBe(buckets.at(-1)?.value);
    expect(valueOf(samples, 'mha_http_request_duration_seconds_sum', series)).toBeGreaterThan(0);
  });

  it('carries the metrics the handlers emit through Powertools, with their dimensions as labels', async () => {
    const account = await registerAccount([], 'metrics');
    const before = (await scrape()).samples;
    const wrong = await api('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: 'Wrong-Password-1!' }),
    });
    expect(wrong.status).toBe(401);
    const { samples, types } = await scrape();
    const labels = { service: 'mha-api', stage: 'local' };
    expect(valueOf(samples, 'mha_login_failed_total', labels)).toBe(
      valueOf(before, 'mha_login_failed_total', labels) + 1,
    );
    expect(types.get('mha_login_failed_total')).toBe('counter');
    // Registration and sign-in counted too (LoginSucceeded from registerAccount's login).
    expect(valueOf(samples, 'mha_login_succeeded_total', labels)).toBeGreaterThan(0);
    // The runtime's own resources.
    expect(valueOf(samples, 'process_resident_memory_bytes', {})).toBeGreaterThan(10_000_000);
    expect(valueOf(samples, 'mha_local_emulator_up', {})).toBe(2);
  });

  it('carries single metrics too: their own dimensions, printed by an instance of their own', async () => {
    // AnalysesStored is a Powertools singleMetric (dimension analysisType, label analysis_type), a Metrics instance made per
    // call: before the capture covered those, it went to stdout and never reached /metrics.
    const [account, pipeline] = await Promise.all([registerAccount([], 'metrics-single'), machineToken()]);
    const labels = { service: 'mha-api', stage: 'local', analysis_type: 'chat' };
    const before = valueOf((await scrape()).samples, 'mha_analyses_stored_total', labels);
    const stored = await api('/analyses/chat', {
      method: 'POST',
      headers: { Authorization: `Bearer ${pipeline}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        userId: account.id,
        sentiment: { label: 'neutral', score: 0.5 },
        emotions: { neutral: 0.8, joy: 0.2 },
        model: { name: 'metrics-test', version: '1.0.0' },
        analyzedAt: new Date().toISOString(),
        sourceId: 'metrics-single-1',
      }),
    });
    expect(stored.status).toBe(201);
    const { samples, types } = await scrape();
    // At least this one: other files store chat analyses on the same runtime meanwhile. Without the
    // capture the series does not exist at all (0).
    expect(valueOf(samples, 'mha_analyses_stored_total', labels)).toBeGreaterThanOrEqual(before + 1);
    expect(types.get('mha_analyses_stored_total')).toBe('counter');
  });
});

describe('GET /health on the local runtime', () => {
  it('adds the runtime’s own resources; status still depends on the checks alone', async () => {
    const response = await api('/health');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, identity: { status: 'up' } },
      localRuntime: {
        emulators: { dynamodbLocal: 'running', cognitoLocal: 'running' },
        memory: { rssBytes: expect.any(Number), heapUsedBytes: expect.any(Number) },
        uptimeSeconds: expect.any(Number),
      },
    });
  });
});
