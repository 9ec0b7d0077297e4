import * as z from 'zod/mini';
import { isGroup, type Group } from './identity.ts';
import { CrisisResources } from './risk-alert.ts';

/**
 * The environment contract between the infrastructure (CDK function factory, local runtime), which sets
 * these variables, and the handlers, which read them once through `runtimeEnv()`. Nothing else in the
 * runtime code reads process.env.
 */
/** Observability names shared by the handlers (Powertools) and the stack (env vars, dashboards, alarms). */
export const METRICS_NAMESPACE = 'MentalHealthAnalytics';
export const SERVICE_NAME = 'mha-api';

export const ENV = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  corsOrigins: 'CORS_ORIGINS',
  userPoolId: 'COGNITO_USER_POOL_ID',
  /** Token issuer, e.g. https://cognito-idp.<region>.amazonaws.com/<poolId>; JWKS lives under it. */
  cognitoIssuer: 'COGNITO_ISSUER',
  /** The first-party API client (USER_PASSWORD_AUTH + refresh) the /auth routes sign in through. */
  apiClientId: 'COGNITO_API_CLIENT_ID',
  /** Self sign-up is limited to these e-mail domains (comma-separated). */
  allowedEmailDomains: 'ALLOWED_EMAIL_DOMAINS',
  /** 'true' where the stage confirms new accounts without an e-mailed code. */
  autoConfirm: 'AUTO_CONFIRM',
  /** 'true' where refresh tokens rotate (GetTokensFromRefreshToken instead of REFRESH_TOKEN_AUTH). */
  refreshTokenRotation: 'REFRESH_TOKEN_ROTATION',
  /** Secret the list cursors are sealed with (AES-GCM); from Secrets Manager in AWS. */
  cursorSecret: 'CURSOR_SECRET',
  /** EventBridge bus that risk events go to; unset locally, where they are logged and stored instead. */
  eventBusName: 'EVENT_BUS_NAME',
  /** The stage's crisis resources (stage config safety.crisisResources) as JSON: message + contacts. */
  crisisResources: 'CRISIS_RESOURCES',
  /** Local runtime only: emulator endpoints. Unset in AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  /** Where the docs page loads Swagger UI's static files from. */
  swaggerUiBase: 'SWAGGER_UI_BASE',
  /** Days between DELETE /users/me and the purge of the user's data (stage config retention.erasureGraceDays). */
  erasureGraceDays: 'ERASURE_GRACE_DAYS',
  /** 'true' where raw text (transcriptions, EmoBuddy message content) is stored (retention.storeRawText). */
  storeRawText: 'STORE_RAW_TEXT',
  /** Days until stored raw text expires by TTL (stage config retention.rawTextDays). */
  rawTextDays: 'RAW_TEXT_DAYS',
  /**
   * The stage's k-anonymity thresholds (stage config anonymity) as JSON `{"kActivity":5,"kClinical":10}`;
   * the dashboard applies effectiveThresholds, so nothing below 5 ever takes effect.
   */
  anonymityThresholds: 'ANONYMITY_THRESHOLDS',
  /**
   * Minutes an access token lives (stage config cognito.accessTokenMinutes): how long a logout must
   * keep the sign-in it ended on record.
   */
  accessTokenMinutes: 'ACCESS_TOKEN_MINUTES',
  /**
   * Roles whose holders must sign in with a second factor (stage config cognito.mfaRequiredRoles),
   * comma-separated; the API's own sign-in asks them to enrol TOTP before it hands out tokens.
   */
  mfaRequiredRoles: 'MFA_REQUIRED_ROLES',
} as const;

/** `true` or `false`; anything else is a misconfiguration. */
const Flag = z.optional(z.enum(['true', 'false']));
const Threshold = z.int().check(z.minimum(1), z.maximum(1000));
const AnonymityThresholds = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ kActivity: z.optional(Threshold), kClinical: z.optional(Threshold) }),
);

/**
 * Every variable as the string it is, checked; lists, flags, numbers and JSON are converted after
 * (parseRuntimeEnv). Plain string checks keep the one validation every cold start runs cheap.
 */
const RuntimeEnvSchema = z.object({
  [ENV.stage]: z.string().check(z.minLength(1)),
  [ENV.tableName]: z.optional(z.string()),
  [ENV.corsOrigins]: z.optional(z.string()),
  [ENV.userPoolId]: z.optional(z.string()),
  [ENV.cognitoIssuer]: z.optional(z.url()),
  [ENV.apiClientId]: z.optional(z.string()),
  [ENV.allowedEmailDomains]: z.optional(z.string()),
  [ENV.autoConfirm]: Flag,
  [ENV.refreshTokenRotation]: Flag,
  [ENV.cursorSecret]: z.optional(z.string().check(z.minLength(32))),
  [ENV.eventBusName]: z.optional(z.string()),
  [ENV.crisisResources]: z.optional(z.string()),
  [ENV.dynamodbEndpoint]: z.optional(z.url()),
  [ENV.cognitoEndpoint]: z.optional(z.url()),
  [ENV.swaggerUiBase]: z._default(z.url(), 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.32.0'),
  [ENV.erasureGraceDays]: z.optional(z.string().check(z.regex(/^[1-9]\d{0,3}$/))),
  [ENV.storeRawText]: Flag,
  [ENV.rawTextDays]: z.optional(z.string().check(z.regex(/^[1-9]\d{0,4}$/))),
  [ENV.anonymityThresholds]: z.optional(z.string()),
  [ENV.accessTokenMinutes]: z.optional(z.string().check(z.regex(/^[1-9]\d{0,3}$/))),
  [ENV.mfaRequiredRoles]: z.optional(z.string()),
});

export interface RuntimeEnv {
  stage: string;
  tableName: string | undefined;
  corsOrigins: string[];
  userPoolId: string | undefined;
  cognitoIssuer: string | undefined;
  apiClientId: string | undefined;
  allowedEmailDomains: string[];
  autoConfirm: boolean;
  refreshTokenRotation: boolean;
  cursorSecret: string | undefined;
  eventBusName: string | undefined;
  crisisResources: CrisisResources | undefined;
  dynamodbEndpoint: string | undefined;
  cognitoEndpoint: string | undefined;
  swaggerUiBase: string;
  erasureGraceDays: number | undefined;
  storeRawText: boolean;
  rawTextDays: number | undefined;
  /** As configured; callers apply effectiveThresholds (never below 5). */
  anonymityThresholds: { kActivity?: number | undefined; kClinical?: number | undefined } | undefined;
  /** 60 when unset (Cognito's default access-token validity). */
  accessTokenMinutes: number;
  mfaRequiredRoles: Group[];
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const invalid = Symbol('invalid');

/** A JSON variable parsed with its schema; undefined when unset, `invalid` when it does not parse. */
const json = <T>(value: string | undefined, schema: z.ZodMiniType<T>): T | undefined | typeof invalid => {
  if (value === undefined) return undefined;
  try {
    const parsed = z.safeParse(schema, JSON.parse(value));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON
  }
  return invalid;
};

export const parseRuntimeEnv = (source: Record<string, string | undefined>): RuntimeEnv => {
  const result = z.safeParse(RuntimeEnvSchema, source);
  const failed = result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  const env = result.success ? result.data : undefined;
  const crisisResources = json(source[ENV.crisisResources], CrisisResources);
  if (crisisResources === invalid) failed.push(ENV.crisisResources);
  const anonymityThresholds = json(source[ENV.anonymityThresholds], AnonymityThresholds);
  if (anonymityThresholds === invalid) failed.push(ENV.anonymityThresholds);
  const mfaRoles = list(source[ENV.mfaRequiredRoles]);
  if (!mfaRoles.every(isGroup)) failed.push(ENV.mfaRequiredRoles);
  if (!env || failed.length > 0) {
    throw new Error(`Invalid runtime environment: ${[...new Set(failed)].join(', ')}`);
  }
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    stage: env[ENV.stage],
    tableName: env[ENV.tableName],
    corsOrigins: list(env[ENV.corsOrigins]),
    userPoolId: env[ENV.userPoolId],
    cognitoIssuer: env[ENV.cognitoIssuer],
    apiClientId: env[ENV.apiClientId],
    allowedEmailDomains: list(env[ENV.allowedEmailDomains]).map((d) => d.toLowerCase()),
    autoConfirm: env[ENV.autoConfirm] === 'true',
    refreshTokenRotation: env[ENV.refreshTokenRotation] === 'true',
    cursorSecret: env[ENV.cursorSecret],
    eventBusName: env[ENV.eventBusName],
    crisisResources: crisisResources as CrisisResources | undefined,
    dynamodbEndpoint: env[ENV.dynamodbEndpoint],
    cognitoEndpoint: env[ENV.cognitoEndpoint],
    swaggerUiBase: env[ENV.swaggerUiBase].replace(/\/$/, ''),
    erasureGraceDays: number(env[ENV.erasureGraceDays]),
    storeRawText: env[ENV.storeRawText] === 'true',
    rawTextDays: number(env[ENV.rawTextDays]),
    anonymityThresholds: anonymityThresholds as RuntimeEnv['anonymityThresholds'],
    accessTokenMinutes: number(env[ENV.accessTokenMinutes]) ?? 60,
    mfaRequiredRoles: mfaRoles.filter(isGroup),
  };
};

let cached: RuntimeEnv | undefined;
/** Read once per process (a Lambda execution environment or the local runtime). */
export const runtimeEnv = (): RuntimeEnv => (cached ??= parseRuntimeEnv(process.env));

/** A required setting that a function's infrastructure forgot is a deployment bug, reported clearly. */
export const requireSetting = <K extends keyof RuntimeEnv>(key: K): NonNullable<RuntimeEnv[K]> => {
  const value = runtimeEnv()[key];
  if (value === undefined || value === null)
    throw new Error(`Missing runtime setting: ${ENV[key as keyof typeof ENV] ?? key}`);
  return value as NonNullable<RuntimeEnv[K]>;
};
