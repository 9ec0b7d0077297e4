import { z } from 'zod';

/** The stages this app knows. `local` is the LocalStack / local-runtime stage. */
export const STAGES = ['dev', 'staging', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

const Throttle = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().positive(),
  /** Bucket size: requests allowed in a burst. */
  burstLimit: z.int().positive(),
});

/** Everything that differs between stages lives here and nowhere else (ARCHITECTURE.md §7). */
export const StageConfigSchema = z.strictObject({
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
    /** Exact origins allowed by CORS; empty = no browser origin allowed. */
    corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'an origin is scheme://host[:port]')),
  }),
  lambda: z.strictObject({
    memoryMb: z.int().min(256).max(10240),
    /** Below API Gateway's 29 s integration timeout. */
    timeoutSeconds: z.int().min(1).max(28),
    tracing: z.boolean(),
  }),
  cognito: z
    .strictObject({
      selfSignUp: z.boolean(),
      autoConfirm: z.boolean(),
      mfa: z.enum(['off', 'optional', 'required']),
      /** Cognito feature plan; threat protection needs PLUS. */
      featurePlan: z.enum(['LITE', 'ESSENTIALS', 'PLUS']),
      threatProtection: z.enum(['off', 'audit', 'enforced']),
      accessTokenMinutes: z.int().min(5).max(60),
      refreshTokenDays: z.int().min(1).max(3650),
      refreshTokenRotation: z.boolean(),
      /** Previous passwords a user may not reuse; 0 = no rule. Cognito's LITE plan has no history. */
      passwordHistorySize: z.int().min(0).max(24),
      allowedEmailDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)).min(1),
      callbackUrls: z.array(z.url()).min(1),
      logoutUrls: z.array(z.url()).min(1),
      /** Managed login domain prefix; must be unique in the region. */
      domainPrefix: z.string().regex(/^[a-z0-9-]{3,63}$/),
    })
    .refine((c) => c.featurePlan !== 'LITE' || c.passwordHistorySize === 0, {
      message: 'the LITE feature plan has no password history: set passwordHistorySize to 0',
      path: ['passwordHistorySize'],
    }),
  /** k-anonymity thresholds (PRIVACY.md); never below 5. */
  anonymity: z.strictObject({
    kActivity: z.int().min(5),
    kClinical: z.int().min(5),
  }),
  retention: z.strictObject({
    rawTextDays: z.int().min(1),
    auditYears: z.int().min(1),
    /** Days between an erasure request (DELETE /users/me) and the purge of every item of the user. */
    erasureGraceDays: z.int().min(1).max(90),
  }),
  waf: z.boolean(),
  alarmEmail: z.email().optional(),
});

export type StageConfig = z.infer<typeof StageConfigSchema>;
