import { z } from 'zod';
import { ANALYSIS_TIME_WINDOW_BOUNDS } from '../../shared/contract/analysis-window.ts';
import { GROUPS } from '../../shared/contract/identity.ts';

/** The stages this app knows. `local` is the LocalStack / local-runtime stage. */
export const STAGES = ['dev', 'staging', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

const Throttle = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().positive(),
  /** Bucket size: requests allowed in a burst. */
  burstLimit: z.int().positive(),
});

/** A client tier's usage plan: its own rate/burst per API key, and a request quota per period. */
const UsagePlan = Throttle.extend({
  quota: z.strictObject({ limit: z.int().positive(), period: z.enum(['DAY', 'WEEK', 'MONTH']) }),
});

/** The client tiers that get an API key each (lib/config/usage-plans.ts). */
export const CLIENT_TIERS = ['web', 'partner', 'pipeline'] as const;
export type ClientTier = (typeof CLIENT_TIERS)[number];

/** Reserved concurrency per function class; each class caps (and guarantees) its functions' concurrency. */
const ReservedConcurrency = z.strictObject({
  /** Every API route function not in the auth class. */
  api: z.int().min(1),
  /** /auth/* routes and the Cognito triggers. */
  auth: z.int().min(1),
  /** Scheduled jobs (1 = runs never overlap). */
  jobs: z.int().min(1),
});

/** Everything that differs between stages lives here and nowhere else (docs/architecture.md). */
const StageConfigFields = z.strictObject({
  stage: z.enum(STAGES),
  /** Account and region; undefined = the CLI's current credentials (environment-agnostic synth). */
  env: z.strictObject({ account: z.string().optional(), region: z.string().optional() }),
  /** prod keeps data: RETAIN removal policies, deletion and termination protection. */
  retainData: z.boolean(),
  pointInTimeRecovery: z.boolean(),
  logRetentionDays: z.union([
    z.literal(7),
    z.literal(14),
    z.literal(30),
    z.literal(90),
    z.literal(180),
    z.literal(365),
    z.literal(731),
    z.literal(1827),
    z.literal(2192),
  ]),
  api: z.strictObject({
    throttle: Throttle,
    /** Tighter limits on /auth/* methods (credential stuffing, sign-up abuse). */
    authThrottle: Throttle,
    /**
     * Exact origins allowed by CORS besides the console's; empty = none. Only the local stage lists
     * any (the local runtime adds its console's origin). A deployed stage lists none: there the
     * console's origin — its distribution's name, or `consoleDomain` — is the only one
     * (withConsoleOrigin, lib/constructs/console.ts).
     */
    corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port]')),
    /**
     * Whether API Gateway demands an API key (x-api-key) on every method except health, docs and /auth/*
     * (lib/config/usage-plans.ts); the keys of the usage plans below exist in every stage either way.
     */
    requireApiKey: z.boolean(),
    /** One usage plan (and API key) per client tier. */
    usagePlans: z.strictObject({ web: UsagePlan, partner: UsagePlan, pipeline: UsagePlan }),
    /**
     * Responses of at least this many bytes are compressed (gzip or deflate) for clients that accept
     * it: API Gateway's minimumCompressionSize, and the local gateway does the same.
     */
    minCompressionBytes: z.int().min(0).max(10_485_760),
  }),
  lambda: z.strictObject({
    memoryMb: z.int().min(256).max(10240),
    /** Below API Gateway's 29 s integration timeout. */
    timeoutSeconds: z.int().min(1).max(28),
    tracing: z.boolean(),
    /**
     * Reserved concurrency per function class; absent = none (the account's unreserved pool). Reserving
     * fails a deployment when the account's limit cannot keep 100 unreserved, so only stages on accounts
     * with a raised limit set it.
     */
    reservedConcurrency: ReservedConcurrency.optional(),
  }),
  cognito: z
    .strictObject({
      selfSignUp: z.boolean(),
      autoConfirm: z.boolean(),
      mfa: z.enum(['off', 'optional', 'required']),
      /**
       * Roles that must sign in with TOTP even where the pool leaves MFA optional: the API's sign-in
       * asks a holder without it to enrol (challenge MFA_SETUP) before it hands out tokens.
       */
      mfaRequiredRoles: z.array(z.enum(GROUPS)),
      /** Cognito feature plan; threat protection needs PLUS. */
      featurePlan: z.enum(['LITE', 'ESSENTIALS', 'PLUS']),
      threatProtection: z.enum(['off', 'audit', 'enforced']),
      accessTokenMinutes: z.int().min(5).max(60),
      refreshTokenDays: z.int().min(1).max(3650),
      refreshTokenRotation: z.boolean(),
      /** Previous passwords a user may not reuse; 0 = no rule. Cognito's LITE plan has no history. */
      passwordHistorySize: z.int().min(0).max(24),
      allowedEmailDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)).min(1),
      /**
       * The web client's URLs, on the local stage only (LocalStack has no console). A deployed stage
       * names none: they are the console's `/auth/callback` and `/` (withConsoleOrigin).
       */
      callbackUrls: z.array(z.url()).min(1).optional(),
      logoutUrls: z.array(z.url()).min(1).optional(),
      /** Managed login domain prefix; must be unique in the region. */
      domainPrefix: z.string().regex(/^[a-z0-9-]{3,63}$/),
    })
    .refine((c) => c.featurePlan !== 'LITE' || c.passwordHistorySize === 0, {
      message: 'the LITE feature plan has no password history: set passwordHistorySize to 0',
      path: ['passwordHistorySize'],
    })
    .refine((c) => c.mfa !== 'off' || c.mfaRequiredRoles.length === 0, {
      message: 'a pool without MFA cannot require it of any role: set mfa to optional or required',
      path: ['mfaRequiredRoles'],
    }),
  /** k-anonymity thresholds (docs/anonymity.md); never below 5. */
  anonymity: z.strictObject({
    kActivity: z.int().min(5),
    kClinical: z.int().min(5),
  }),
  /**
   * How far an analysis' `analyzedAt` may lie before / after its receipt (a 400 outside it); the same
   * window decides when a month is closed and served (docs/anonymity.md). Bounded: never unbounded.
   */
  analysisTimeWindow: z.strictObject({
    pastHours: z
      .int()
      .min(ANALYSIS_TIME_WINDOW_BOUNDS.pastHours.min)
      .max(ANALYSIS_TIME_WINDOW_BOUNDS.pastHours.max),
    futureMinutes: z
      .int()
      .min(ANALYSIS_TIME_WINDOW_BOUNDS.futureMinutes.min)
      .max(ANALYSIS_TIME_WINDOW_BOUNDS.futureMinutes.max),
  }),
  retention: z.strictObject({
    /**
     * Whether raw text (speech transcriptions, EmoBuddy message content) is stored at all; where it is
     * not, it is dropped on write and the response says so.
     */
    storeRawText: z.boolean(),
    /** Days until stored raw text expires (TTL `expiresAt`; reads filter it out from then on). */
    rawTextDays: z.int().min(1),
    auditYears: z.int().min(1),
    /** Days between an erasure request (DELETE /users/me) and the purge of every item of the user. */
    erasureGraceDays: z.int().min(1).max(90),
  }),
  /** AWS WAF in front of the API stage, or false for none. */
  waf: z.union([
    z.literal(false),
    z.strictObject({
      /** Requests one IP may send in any 5-minute window before WAF blocks it (AWS minimum 10). */
      requestsPerIpPer5Minutes: z.int().min(10),
    }),
  ]),
  alarmEmail: z.email().optional(),
  /**
   * The web console's own domain (CloudFront alternate name) and its ACM certificate in us-east-1.
   * Absent: the console is served at the distribution's cloudfront.net name. Either way the API's CORS,
   * the web client's callback and logout URLs follow the console's origin (lib/constructs/console.ts).
   */
  consoleDomain: z
    .strictObject({
      domainName: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a host name'),
      certificateArn: z
        .string()
        .regex(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'an ACM certificate ARN in us-east-1'),
    })
    .optional(),
  /** Crisis escalation (docs/privacy.md): what an employee is shown when a risk signal fires; the alarm limit. */
  safety: z.strictObject({
    crisisResources: z.strictObject({
      message: z.string().min(1).max(1000),
      contacts: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            phone: z.string().min(1).optional(),
            url: z.url().optional(),
          }),
        )
        .min(1),
    }),
    /** An alert still unacknowledged after this many minutes raises the OverdueRiskAlerts alarm. */
    alertAckMinutes: z
      .int()
      .min(5)
      .max(24 * 60),
  }),
});

/**
 * One place decides where the console is: on a deployed stage its origin follows the distribution (or
 * consoleDomain), so a hand-written origin or URL there could only disagree with it.
 */
export const StageConfigSchema = StageConfigFields.refine(
  (c) =>
    c.stage === 'local' ||
    (c.api.corsOrigins.length === 0 && !c.cognito.callbackUrls && !c.cognito.logoutUrls),
  {
    message:
      'a deployed stage names no CORS origins, callback or logout URLs: they follow the console (its distribution, or consoleDomain for a custom domain)',
    path: ['api', 'corsOrigins'],
  },
).refine((c) => c.stage !== 'local' || (!!c.cognito.callbackUrls && !!c.cognito.logoutUrls), {
  message: 'the local stage names the web client’s callback and logout URLs',
  path: ['cognito', 'callbackUrls'],
});

export type StageConfig = z.infer<typeof StageConfigSchema>;
