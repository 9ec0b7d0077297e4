import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute, type RouteDefinition } from '../../shared/contract/route.ts';
import { loadStageConfig, type StageConfig } from '../../lib/config/index.ts';
import { startLocalGateway, type LambdaHandler, type LocalGateway } from '../../lib/local/gateway.ts';
import { LocalProtection, type LocalApiKey } from '../../lib/local/usage-plans.ts';

/**
 * A second local gateway in this test process (the global runtime is left alone), with a few routes, a
 * handler that answers 200, a verifier that accepts one token, and tight limits from a stage config.
 */
const base = {
  handler: 'unused',
  summary: 'protection fixture',
  tag: 'fixture',
  request: {},
  responses: { 200: { description: 'ok' } },
  data: 'none',
  identity: 'none',
} as const;
const routes: RouteDefinition[] = [
  defineRoute({
    ...base,
    id: 'p.health',
    method: 'GET',
    path: '/health',
    access: { public: true },
    throttle: 'default',
  }),
  defineRoute({
    ...base,
    id: 'p.items',
    method: 'GET',
    path: '/items',
    access: { users: 'any' },
    throttle: 'default',
  }),
  defineRoute({
    ...base,
    id: 'p.other',
    method: 'GET',
    path: '/other',
    access: { users: 'any' },
    throttle: 'default',
  }),
  defineRoute({
    ...base,
    id: 'p.login',
    method: 'POST',
    path: '/auth/login',
    access: { public: true },
    throttle: 'auth',
  }),
];

const dev = loadStageConfig('dev');
const api: StageConfig['api'] = {
  ...dev.api,
  requireApiKey: true,
  throttle: { rateLimit: 1000, burstLimit: 1000 },
  authThrottle: { rateLimit: 0.5, burstLimit: 2 },
  usagePlans: {
    web: { rateLimit: 0.5, burstLimit: 3, quota: { limit: 1000, period: 'DAY' } },
    partner: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 2, period: 'MONTH' } },
    pipeline: { rateLimit: 1000, burstLimit: 1000, quota: { limit: 1000, period: 'DAY' } },
  },
};
const keys: LocalApiKey[] = [
  { tier: 'web', value: 'test-web-key-0123456789' },
  { tier: 'partner', value: 'test-partner-key-0123456789' },
  { tier: 'pipeline', value: 'test-pipeline-key-0123456789' },
];
const TOKEN = 'valid-test-token';
let handled = 0;
const handler: LambdaHandler = async () => {
  handled += 1;
  return {
    statusCode: 200,
    body: JSON.stringify({ ok: true }),
    headers: { 'Content-Type': 'application/json' },
  };
};

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startLocalGateway({
    port: 0,
    routes,
    loadHandler: async () => handler,
    verifier: {
      verifyAccessToken: async (token) => {
        if (token !== TOKEN) throw new Error('invalid token');
        return { sub: 'user-1', token_use: 'access' } as never;
      },
    },
    stage: 'test',
    corsOrigins: [],
    timeoutMs: 5000,
    protection: new LocalProtection({ api, keys }),
  });
});
afterAll(() => gateway.close());

const call = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });

const envelopeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; requestId: string } }).error;

describe('usage-plan keys and throttles in the local gateway', () => {
  it('answers a missing or unknown API key with the 403 FORBIDDEN envelope, before the handler runs', async () => {
    const before = handled;
    for (const headers of [{}, { 'x-api-key': 'not-a-key' }] as Record<string, string>[]) {
      const response = await call('/other', headers);
      expect(response.status).toBe(403);
      const error = await envelopeOf(response);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.requestId).toBe(response.headers.get('x-amzn-requestid'));
    }
    expect(handled).toBe(before);
    const ok = await call('/other', { 'x-api-key': 'test-pipeline-key-0123456789' });
    expect(ok.status).toBe(200);
    expect(handled).toBe(before + 1);
  });

  it('checks the token first, like API Gateway: no token is 401 whatever the key', async () => {
    const response = await fetch(`${gateway.url}/other`, { headers: { 'x-api-key': 'not-a-key' } });
    expect(response.status).toBe(401);
  });

  it('lets health and /auth/* through without a key', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect((await call('/auth/login', {}, 'POST')).status).toBe(200);
  });

  it('throttles a key over its burst with 429 THROTTLED and Retry-After, leaving other keys alone', async () => {
    const web = { 'x-api-key': 'test-web-key-0123456789' };
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 5; i += 1) {
      const response = await call(i % 2 === 0 ? '/items' : '/other', web);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
      else await response.arrayBuffer();
    }
    // Burst 3 for the web key across methods; 0.5 requests/s cannot refill a token within this loop.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(['1', '2']).toContain(refused?.headers.get('retry-after'));
    expect((await envelopeOf(refused as Response)).code).toBe('THROTTLED');
    expect((await call('/items', { 'x-api-key': 'test-pipeline-key-0123456789' })).status).toBe(200);
  });

  it('stops a key at its quota with 429 until the period ends', async () => {
    const partner = { 'x-api-key': 'test-partner-key-0123456789' };
    expect((await call('/items', partner)).status).toBe(200);
    expect((await call('/items', partner)).status).toBe(200);
    const over = await call('/items', partner);
    expect(over.status).toBe(429);
    expect((await envelopeOf(over)).message).toBe('Usage quota exceeded');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('throttles an auth-class method at the auth limits for every caller', async () => {
    // The earlier test used one token of this bucket (burst 2, 0.5/s).
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call('/auth/login', {}, 'POST')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const refused = await call('/auth/login', {}, 'POST');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
