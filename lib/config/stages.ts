import type { StageConfig } from './schema.ts';

/**
 * Where the console is, and so the API's CORS origin and the web client's callback and logout URLs, is
 * not written here for a deployed stage: it follows the stage's distribution, or `consoleDomain` (a
 * custom domain and its certificate) where a stage sets one (lib/constructs/console.ts). Only the local
 * stage lists origins and URLs, for LocalStack and the local runtime.
 */
const shared = {
  env: {},
  api: {
    throttle: { rateLimit: 50, burstLimit: 100 },
    authThrottle: { rateLimit: 5, burstLimit: 10 },
    corsOrigins: [],
    requireApiKey: false,
    usagePlans: {
      web: { rateLimit: 25, burstLimit: 50, quota: { limit: 200_000, period: 'DAY' } },
      partner: { rateLimit: 5, burstLimit: 10, quota: { limit: 20_000, period: 'DAY' } },
      pipeline: { rateLimit: 10, burstLimit: 20, quota: { limit: 100_000, period: 'DAY' } },
    },
    // Below about 1 KB gzip saves little and costs latency on both ends; list pages and exports are larger.
    minCompressionBytes: 1024,
  },
  lambda: { memoryMb: 512, timeoutSeconds: 10, tracing: false },
  anonymity: { kActivity: 5, kClinical: 10 },
  analysisTimeWindow: { pastHours: 48, futureMinutes: 5 },
  safety: {
    crisisResources: {
      message:
        'If you are thinking about harming yourself or feel you cannot cope, please reach out now. You are not alone, and help is available at any hour.',
      contacts: [
        { name: 'Emergency services (EU 112, UK 999, US 911)', phone: '112' },
        { name: 'Samaritans (UK and Ireland, 24/7)', phone: '116 123', url: 'https://www.samaritans.org' },
        { name: '988 Suicide & Crisis Lifeline (US, 24/7)', phone: '988', url: 'https://988lifeline.org' },
        { name: 'Your Employee Assistance Programme', url: 'https://eap.example.com' },
      ],
    },
    alertAckMinutes: 60,
  },
  retention: { storeRawText: true, rawTextDays: 30, auditYears: 6, erasureGraceDays: 30 },
} satisfies Partial<StageConfig>;

const cognitoBase = {
  selfSignUp: true,
  mfa: 'optional' as const,
  mfaRequiredRoles: [],
  featurePlan: 'ESSENTIALS' as const,
  threatProtection: 'off' as const,
  accessTokenMinutes: 60,
  refreshTokenDays: 30,
  refreshTokenRotation: false,
  passwordHistorySize: 5,
  allowedEmailDomains: ['example.com'],
} satisfies Partial<StageConfig['cognito']>;

export const stageConfigs: Record<StageConfig['stage'], StageConfig> = {
  dev: {
    ...shared,
    stage: 'dev',
    retention: { ...shared.retention, erasureGraceDays: 7 },
    retainData: false,
    pointInTimeRecovery: true,
    logRetentionDays: 14,
    cognito: {
      ...cognitoBase,
      autoConfirm: true,
      domainPrefix: 'mha-dev-auth',
    },
    waf: false,
  },
  staging: {
    ...shared,
    stage: 'staging',
    retainData: false,
    pointInTimeRecovery: true,
    logRetentionDays: 30,
    api: { ...shared.api, requireApiKey: true },
    lambda: { ...shared.lambda, tracing: true },
    cognito: {
      ...cognitoBase,
      autoConfirm: false,
      featurePlan: 'PLUS',
      threatProtection: 'audit',
      // As in prod, so the enrolment flow is exercised before it matters (the pool itself stays optional).
      mfaRequiredRoles: ['clinician', 'admin', 'auditor'],
      refreshTokenRotation: true,
      domainPrefix: 'mha-staging-auth',
    },
    waf: { requestsPerIpPer5Minutes: 1000 },
  },
  prod: {
    ...shared,
    stage: 'prod',
    retainData: true,
    pointInTimeRecovery: true,
    logRetentionDays: 365,
    api: {
      throttle: { rateLimit: 200, burstLimit: 400 },
      authThrottle: { rateLimit: 10, burstLimit: 20 },
      corsOrigins: shared.api.corsOrigins,
      requireApiKey: true,
      usagePlans: {
        web: { rateLimit: 150, burstLimit: 300, quota: { limit: 2_000_000, period: 'DAY' } },
        partner: { rateLimit: 20, burstLimit: 40, quota: { limit: 100_000, period: 'DAY' } },
        pipeline: { rateLimit: 50, burstLimit: 100, quota: { limit: 1_000_000, period: 'DAY' } },
      },
      minCompressionBytes: shared.api.minCompressionBytes,
    },
    // Reserved: about 10 per route function; the account needs a concurrency limit of at least that sum
    // plus 100 (the unreserved minimum), which prod accounts have (the default is 1000).
    lambda: { ...shared.lambda, tracing: true, reservedConcurrency: { api: 10, auth: 5, jobs: 1 } },
    cognito: {
      ...cognitoBase,
      autoConfirm: false,
      // Every prod user signs in with TOTP (the pool requires it); the roles are named for the API's rule.
      mfa: 'required',
      mfaRequiredRoles: ['clinician', 'admin', 'auditor'],
      featurePlan: 'PLUS',
      threatProtection: 'enforced',
      accessTokenMinutes: 30,
      refreshTokenDays: 7,
      refreshTokenRotation: true,
      domainPrefix: 'mha-prod-auth',
    },
    waf: { requestsPerIpPer5Minutes: 2000 },
    alarmEmail: 'oncall@example.com',
    safety: { ...shared.safety, alertAckMinutes: 30 },
  },
  local: {
    ...shared,
    stage: 'local',
    retention: { ...shared.retention, erasureGraceDays: 1 },
    retainData: false,
    pointInTimeRecovery: false,
    logRetentionDays: 7,
    // Loose limits (still tighter on /auth/*): the local gateway enforces them, and the test suites send
    // bursts of sign-ups; test/integration/protection.test.ts checks enforcement with tight ones.
    api: {
      ...shared.api,
      throttle: { rateLimit: 1000, burstLimit: 2000 },
      authThrottle: { rateLimit: 200, burstLimit: 400 },
      corsOrigins: ['http://localhost:5173', 'http://localhost:3000'],
    },
    cognito: {
      ...cognitoBase,
      autoConfirm: true,
      callbackUrls: ['http://localhost:5173/auth/callback'],
      logoutUrls: ['http://localhost:5173/'],
      domainPrefix: 'mha-local-auth',
    },
    waf: false,
  },
};
