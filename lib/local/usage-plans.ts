import type { RouteDefinition } from '../../shared/contract/route.ts';
import type { StageConfig } from '../config/index.ts';
import { apiKeyRequired, CLIENT_TIERS, type ClientTier } from '../config/usage-plans.ts';

/** Milliseconds on a monotonic clock (performance.now in the gateway; a fake one in tests). */
export type Clock = () => number;

/**
 * API Gateway's throttling algorithm: a bucket of `burst` tokens refilled at `rate` per second; a request
 * takes one token or is refused with the seconds until one is back.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: Clock = () => performance.now(),
  ) {
    if (!(rate > 0) || !(burst >= 1)) throw new Error(`invalid bucket: rate ${rate}, burst ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token: undefined when granted, otherwise whole seconds to wait (at least 1) for Retry-After. */
  take(): number | undefined {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

type QuotaPeriod = StageConfig['api']['usagePlans'][ClientTier]['quota']['period'];

/** End (epoch ms, UTC) of the quota period that contains `at`: midnight, Monday midnight, the 1st. */
export const quotaPeriodEnd = (period: QuotaPeriod, at: number): number => {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  switch (period) {
    case 'DAY':
      return Date.UTC(y, m, day + 1);
    case 'WEEK':
      return Date.UTC(y, m, day + ((8 - d.getUTCDay()) % 7 || 7));
    case 'MONTH':
      return Date.UTC(y, m + 1, 1);
    default:
      throw new Error(`unknown period ${String(period satisfies never)}`);
  }
};

export interface LocalApiKey {
  readonly tier: ClientTier;
  readonly value: string;
}

/** Why the gateway refuses a request before it reaches the handler. */
export type Refusal =
  | { readonly status: 403; readonly code: 'FORBIDDEN'; readonly message: string }
  | {
      readonly status: 429;
      readonly code: 'THROTTLED';
      readonly message: string;
      readonly retryAfter: number;
    };

export interface LocalProtectionOptions {
  /** The stage config's api section: throttles, usage plans, requireApiKey. */
  readonly api: StageConfig['api'];
  /** One key per tier (API Gateway generates the values in AWS; the local runtime makes its own). */
  readonly keys: readonly LocalApiKey[];
  /** Monotonic ms for the buckets (default performance.now). */
  readonly clock?: Clock;
  /** Wall-clock ms for quota periods (default Date.now). */
  readonly wallClock?: Clock;
}

/**
 * What API Gateway checks after the authorizer, from the same stage config as the CDK: the API key where
 * the method requires one (403 FORBIDDEN when missing or unknown), the key's usage plan (rate/burst per
 * key, quota per period) and the method throttle (stage default, the auth throttle on auth-class routes),
 * each a token bucket; a refusal is 429 THROTTLED with Retry-After.
 */
export class LocalProtection {
  private readonly methodBuckets = new Map<string, TokenBucket>();
  private readonly keyBuckets = new Map<string, TokenBucket>();
  private readonly quotas = new Map<string, { used: number; resetsAt: number }>();
  private readonly tierOfKey: ReadonlyMap<string, ClientTier>;
  private readonly clock: Clock;
  private readonly wallClock: Clock;

  constructor(private readonly options: LocalProtectionOptions) {
    this.tierOfKey = new Map(options.keys.map((key) => [key.value, key.tier]));
    this.clock = options.clock ?? (() => performance.now());
    this.wallClock = options.wallClock ?? (() => Date.now());
  }

  get keysRequired(): boolean {
    return this.options.api.requireApiKey;
  }

  /** Undefined when the request may proceed. */
  admit(route: RouteDefinition, apiKey: string | undefined): Refusal | undefined {
    const { api } = this.options;
    if (apiKeyRequired({ api }, route)) {
      const tier = apiKey === undefined ? undefined : this.tierOfKey.get(apiKey);
      if (!tier || apiKey === undefined) {
        return { status: 403, code: 'FORBIDDEN', message: 'Invalid API key' };
      }
      const plan = api.usagePlans[tier];
      const quota = this.quotas.get(apiKey);
      const now = this.wallClock();
      const current =
        quota && now < quota.resetsAt ? quota : { used: 0, resetsAt: quotaPeriodEnd(plan.quota.period, now) };
      if (current.used >= plan.quota.limit) {
        return {
          status: 429,
          code: 'THROTTLED',
          message: 'Usage quota exceeded',
          retryAfter: Math.max(1, Math.ceil((current.resetsAt - now) / 1000)),
        };
      }
      const waitForKey = this.bucket(this.keyBuckets, apiKey, plan).take();
      if (waitForKey !== undefined) return throttled(waitForKey);
      this.quotas.set(apiKey, { ...current, used: current.used + 1 });
    }
    const limits = route.throttle === 'auth' ? api.authThrottle : api.throttle;
    const waitForMethod = this.bucket(this.methodBuckets, `${route.method} ${route.path}`, limits).take();
    return waitForMethod === undefined ? undefined : throttled(waitForMethod);
  }

  private bucket(
    buckets: Map<string, TokenBucket>,
    key: string,
    limits: { rateLimit: number; burstLimit: number },
  ): TokenBucket {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limits.rateLimit, limits.burstLimit, this.clock);
      buckets.set(key, bucket);
    }
    return bucket;
  }
}

const throttled = (retryAfter: number): Refusal => ({
  status: 429,
  code: 'THROTTLED',
  message: 'Too many requests',
  retryAfter,
});

/** Fresh key values per tier (API Gateway keys are at least 20 characters). */
export const generateLocalApiKeys = (random: (bytes: number) => string): LocalApiKey[] =>
  CLIENT_TIERS.map((tier) => ({ tier, value: `local-${tier}-${random(16)}` }));
