import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { MAX_BODY_BYTES } from '../../shared/contract/common.ts';
import { loadStageConfig } from '../../lib/config/index.ts';
import { apiKeyRequired } from '../../lib/config/usage-plans.ts';
import { decimalGreaterThanPattern } from '../../lib/constructs/protection.ts';
import { LocalProtection, quotaPeriodEnd, TokenBucket } from '../../lib/local/usage-plans.ts';

/** A clock the test moves by hand. */
const manualClock = (start = 0) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('TokenBucket', () => {
  it('grants a full burst at once, then refuses with the seconds until a token is back', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(2, 5, clock.now);
    for (let i = 0; i < 5; i += 1) expect(bucket.take()).toBeUndefined();
    // Empty: one token takes 1/rate = 0.5 s, reported as whole seconds (at least 1).
    expect(bucket.take()).toBe(1);
    clock.advance(499);
    expect(bucket.take()).toBe(1);
    clock.advance(1);
    expect(bucket.take()).toBeUndefined();
    expect(bucket.take()).toBe(1);
  });

  it('refills at the rate but never beyond the burst', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 3, clock.now);
    for (let i = 0; i < 3; i += 1) bucket.take();
    clock.advance(60_000); // a minute idle refills 600 tokens' worth, capped at 3
    const granted = Array.from({ length: 10 }, () => bucket.take()).filter((wait) => wait === undefined);
    expect(granted).toHaveLength(3);
  });

  it('tells a slow bucket to wait several seconds', () => {
    const clock = manualClock();
    const bucket = new TokenBucket(0.25, 1, clock.now); // one request per 4 s
    expect(bucket.take()).toBeUndefined();
    expect(bucket.take()).toBe(4);
    clock.advance(3000);
    expect(bucket.take()).toBe(1);
  });

  it('never grants more than burst + rate × elapsed over any run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (rate, burst, gaps) => {
          const clock = manualClock();
          const bucket = new TokenBucket(rate, burst, clock.now);
          let granted = 0;
          for (const gap of gaps) {
            clock.advance(gap);
            if (bucket.take() === undefined) granted += 1;
          }
          const elapsedSeconds = gaps.reduce((a, b) => a + b, 0) / 1000;
          expect(granted).toBeLessThanOrEqual(Math.floor(burst + rate * elapsedSeconds));
        },
      ),
    );
  });

  it('refuses a bucket that could never grant', () => {
    expect(() => new TokenBucket(0, 5)).toThrow(/invalid bucket/);
    expect(() => new TokenBucket(1, 0)).toThrow(/invalid bucket/);
  });
});

describe('quotaPeriodEnd', () => {
  it('ends a day at the next UTC midnight, a week on Monday, a month on the 1st', () => {
    const wednesday = Date.UTC(2026, 4, 13, 15, 30); // 2026-05-13 is a Wednesday
    expect(new Date(quotaPeriodEnd('DAY', wednesday)).toISOString()).toBe('2026-05-14T00:00:00.000Z');
    expect(new Date(quotaPeriodEnd('WEEK', wednesday)).toISOString()).toBe('2026-05-18T00:00:00.000Z');
    expect(new Date(quotaPeriodEnd('MONTH', wednesday)).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    const monday = Date.UTC(2026, 4, 18, 0, 0);
    expect(new Date(quotaPeriodEnd('WEEK', monday)).toISOString()).toBe('2026-05-25T00:00:00.000Z');
    expect(new Date(quotaPeriodEnd('MONTH', Date.UTC(2026, 11, 31))).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });
});

describe('decimalGreaterThanPattern (WAF body size rule on Content-Length)', () => {
  it('matches exactly the numbers above the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (limit, n) => {
          const pattern = new RegExp(decimalGreaterThanPattern(limit));
          expect(pattern.test(String(n))).toBe(n > limit);
          expect(pattern.test(`00${n}`)).toBe(n > limit);
        },
      ),
    );
  });

  it('draws the line at MAX_BODY_BYTES and rejects what is not a number', () => {
    const pattern = new RegExp(decimalGreaterThanPattern(MAX_BODY_BYTES));
    expect(pattern.test(String(MAX_BODY_BYTES))).toBe(false);
    expect(pattern.test(String(MAX_BODY_BYTES + 1))).toBe(true);
    expect(pattern.test('99999999999')).toBe(true);
    for (const text of ['', 'abc', '262145 ', '-262145', '2.6e6']) expect(pattern.test(text)).toBe(false);
    // WAF regex patterns are limited to 200 characters.
    expect(decimalGreaterThanPattern(MAX_BODY_BYTES).length).toBeLessThanOrEqual(200);
  });
});

const route = (path: string, throttle: 'default' | 'auth' = 'default') =>
  ({ id: path, method: 'GET', path, throttle }) as unknown as RouteDefinition;

describe('which methods demand an API key', () => {
  const prod = loadStageConfig('prod');
  it('demands one on every method but health, docs and /auth/* where the stage requires keys', () => {
    expect(apiKeyRequired(prod, route('/users/{user_id}'))).toBe(true);
    expect(apiKeyRequired(prod, route('/departments'))).toBe(true);
    for (const path of ['/health', '/health/database', '/docs', '/openapi.json', '/auth/login', '/auth/me']) {
      expect(apiKeyRequired(prod, route(path)), path).toBe(false);
    }
    expect(apiKeyRequired(prod, route('/healthy'))).toBe(true);
  });

  it('demands none in dev and local', () => {
    for (const stage of ['dev', 'local'] as const) {
      expect(apiKeyRequired(loadStageConfig(stage), route('/users/{user_id}'))).toBe(false);
    }
  });
});

describe('LocalProtection', () => {
  const base = loadStageConfig('dev').api;
  const api = {
    ...base,
    requireApiKey: true,
    throttle: { rateLimit: 100, burstLimit: 100 },
    authThrottle: { rateLimit: 1, burstLimit: 2 },
    usagePlans: {
      web: { rateLimit: 1, burstLimit: 3, quota: { limit: 1000, period: 'DAY' as const } },
      partner: { rateLimit: 100, burstLimit: 100, quota: { limit: 2, period: 'DAY' as const } },
      pipeline: base.usagePlans.pipeline,
    },
  };
  const keys = [
    { tier: 'web' as const, value: 'web-key-0123456789abcdef' },
    { tier: 'partner' as const, value: 'partner-key-0123456789abcdef' },
  ];

  it('refuses a missing or unknown key with 403 where keys are required, and checks none on key-free paths', () => {
    const protection = new LocalProtection({ api, keys });
    expect(protection.admit(route('/users'), undefined)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(protection.admit(route('/users'), 'guess')).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(protection.admit(route('/users'), keys[0]?.value)).toBeUndefined();
    expect(protection.admit(route('/health'), undefined)).toBeUndefined();
  });

  it('limits each key by its own plan, independently of the other keys', () => {
    const clock = manualClock();
    const protection = new LocalProtection({ api, keys, clock: clock.now });
    const web = keys[0]?.value;
    for (let i = 0; i < 3; i += 1) expect(protection.admit(route('/users'), web)).toBeUndefined();
    expect(protection.admit(route('/users'), web)).toEqual({
      status: 429,
      code: 'THROTTLED',
      message: 'Too many requests',
      retryAfter: 1,
    });
    // The key bucket spans methods; another key is unaffected.
    expect(protection.admit(route('/departments'), web)).toMatchObject({ status: 429 });
    expect(protection.admit(route('/users'), keys[1]?.value)).toBeUndefined();
    clock.advance(1000);
    expect(protection.admit(route('/users'), web)).toBeUndefined();
  });

  it('enforces the quota per period and says when it resets', () => {
    const wall = manualClock(Date.UTC(2026, 0, 1, 23, 59, 0));
    const protection = new LocalProtection({ api, keys, wallClock: wall.now });
    const partner = keys[1]?.value;
    expect(protection.admit(route('/users'), partner)).toBeUndefined();
    expect(protection.admit(route('/users'), partner)).toBeUndefined();
    expect(protection.admit(route('/users'), partner)).toEqual({
      status: 429,
      code: 'THROTTLED',
      message: 'Usage quota exceeded',
      retryAfter: 60,
    });
    wall.advance(60_000);
    expect(protection.admit(route('/users'), partner)).toBeUndefined();
  });

  it('throttles each method separately, auth-class methods at the auth limits, keys or not', () => {
    const protection = new LocalProtection({ api: { ...api, requireApiKey: false }, keys });
    const login = route('/auth/login', 'auth');
    expect(protection.admit(login, undefined)).toBeUndefined();
    expect(protection.admit(login, undefined)).toBeUndefined();
    expect(protection.admit(login, undefined)).toMatchObject({ status: 429, code: 'THROTTLED' });
    expect(protection.admit(route('/auth/register', 'auth'), undefined)).toBeUndefined();
    expect(protection.admit(route('/users'), undefined)).toBeUndefined();
  });
});
