import * as z from 'zod/mini';
import {
  ANALYSIS_TIME_WINDOW_BOUNDS,
  DEFAULT_ANALYSIS_TIME_WINDOW,
  type AnalysisTimeWindow,
} from './analysis-window.ts';
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
  /** The stage's crisis resources (stage config safety.crisisResources) as JSON: message + contacts. */
  crisisResources: 'CRISIS_RESOURCES',
  /** Local runtime only: emulator endpoints. Unset in AWS. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  /** Where the docs page loads Swagger UI's static files from. */
  swaggerUiBase: 'SWAGGER_UI_BASE',
  /** Where the Redoc page loads Redoc's standalone bundle from (the directory holding it). */
  redocBase: 'REDOC_BASE',
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
   * How far an analysis' `analyzedAt` may lie from its receipt (stage config analysisTimeWindow) as JSON
   * `{"pastHours":48,"futureMinutes":5}`; bounded (shared/domain/reporting-window.ts), and the same
   * window decides when a month is closed. Unset: the defaults.
   */
  analysisTimeWindow: 'ANALYSIS_TIME_WINDOW',
  /**
   * Local runtime only (`npm start -- --clock <instant>`): milliseconds added to the wall clock, so
   * every handler, job and the stream aggregator see the chosen time, advancing in real time. Refused
   * on every other stage: a deployed function always runs on the real time.
   */
  clockOffsetMs: 'CLOCK_OFFSET_MS',
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

/** A setting of the contract by its name in code (`tableName`), which is also its RuntimeEnv key. */
export type RuntimeSetting = keyof typeof ENV;

const Threshold = z.int().check(z.minimum(1), z.maximum(1000));
const AnonymityThresholds = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ kActivity: z.optional(Threshold), kClinical: z.optional(Threshold) }),
);
const { pastHours, futureMinutes } = ANALYSIS_TIME_WINDOW_BOUNDS;
const AnalysisTimeWindowSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    pastHours: z.int().check(z.minimum(pastHours.min), z.maximum(pastHours.max)),
    futureMinutes: z.int().check(z.minimum(futureMinutes.min), z.maximum(futureMinutes.max)),
  }),
);

/**
 * The check of one plain variable: its value as the handlers read it, or `undefined` when it is
 * refused. Hand-written rather than a zod object: every function runs this at every cold start, and the
 * schema kinds it needed (URLs, enums, defaults) travelled into every bundle only for it.
 */
type VariableCheck = (value: string) => string | undefined;

const anyString: VariableCheck = (value) => value;
/** `true` or `false`; anything else is a misconfiguration. */
const flag: VariableCheck = (value) => (value === 'true' || value === 'false' ? value : undefined);
const atLeast =
  (length: number): VariableCheck =>
  (value) =>
    value.length >= length ? value : undefined;
const matching =
  (regex: RegExp): VariableCheck =>
  (value) =>
    regex.test(value) ? value : undefined;
/**
 * zod's `z.url()`, rule for rule: the value is trimmed, must then parse as a WHATWG URL, and is read
 * trimmed with every ASCII tab and line break removed (the URL parser ignores them, so the value read is
 * the one that was judged). test/unit/runtime-env.test.ts holds it to zod's answers.
 */
export const urlSetting: VariableCheck = (value) => {
  const trimmed = value.trim();
  return URL.canParse(trimmed) ? trimmed.replace(/[\t\n\r]/g, '') : undefined;
};

interface VariableRule {
  readonly check: VariableCheck;
  /** Refused when unset (the stage). */
  readonly required?: true;
  /** The value when unset (not checked: it is ours). */
  readonly fallback?: string;
}

/**
 * Every plain variable as the string it is, checked, in the order a refusal names them; lists, flags,
 * numbers and JSON are converted after (parseRuntimeEnv).
 */
export const VARIABLE_RULES: Readonly<Record<string, VariableRule>> = {
  [ENV.stage]: { check: atLeast(1), required: true },
  [ENV.tableName]: { check: anyString },
  [ENV.corsOrigins]: { check: anyString },
  [ENV.userPoolId]: { check: anyString },
  [ENV.cognitoIssuer]: { check: urlSetting },
  [ENV.apiClientId]: { check: anyString },
  [ENV.allowedEmailDomains]: { check: anyString },
  [ENV.autoConfirm]: { check: flag },
  [ENV.refreshTokenRotation]: { check: flag },
  [ENV.cursorSecret]: { check: atLeast(32) },
  [ENV.crisisResources]: { check: anyString },
  [ENV.dynamodbEndpoint]: { check: urlSetting },
  [ENV.cognitoEndpoint]: { check: urlSetting },
  [ENV.swaggerUiBase]: {
    check: urlSetting,
    fallback: 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.32.0',
  },
  // The version of the `redoc` devDependency that the local runtime serves (test/unit/docs-handlers.test.ts).
  [ENV.redocBase]: { check: urlSetting, fallback: 'https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles' },
  /** A whole number of days, 1–9999. */
  [ENV.erasureGraceDays]: { check: matching(/^[1-9]\d{0,3}$/) },
  [ENV.storeRawText]: { check: flag },
  /** A whole number of days, 1–99999. */
  [ENV.rawTextDays]: { check: matching(/^[1-9]\d{0,4}$/) },
  [ENV.anonymityThresholds]: { check: anyString },
  [ENV.analysisTimeWindow]: { check: anyString },
  /** A whole number of milliseconds. */
  [ENV.clockOffsetMs]: { check: matching(/^-?\d{1,15}$/) },
  /** A whole number of minutes, 1–9999. */
  [ENV.accessTokenMinutes]: { check: matching(/^[1-9]\d{0,3}$/) },
  [ENV.mfaRequiredRoles]: { check: anyString },
};

/** The plain variables checked: their values as read, and the names of those refused, in rule order. */
const readVariables = (source: Record<string, string | undefined>) => {
  const values: Record<string, string | undefined> = {};
  const failed: string[] = [];
  for (const [name, rule] of Object.entries(VARIABLE_RULES)) {
    const raw = source[name];
    const value = raw === undefined ? (rule.required ? undefined : rule.fallback) : rule.check(raw);
    if (raw === undefined ? rule.required : value === undefined) failed.push(name);
    values[name] = value;
  }
  return { values, failed };
};

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
  crisisResources: CrisisResources | undefined;
  dynamodbEndpoint: string | undefined;
  cognitoEndpoint: string | undefined;
  swaggerUiBase: string;
  redocBase: string;
  erasureGraceDays: number | undefined;
  storeRawText: boolean;
  rawTextDays: number | undefined;
  /** As configured; callers apply effectiveThresholds (never below 5). */
  anonymityThresholds: { kActivity?: number | undefined; kClinical?: number | undefined } | undefined;
  analysisTimeWindow: AnalysisTimeWindow;
  /** 0 except in the local runtime started with `--clock`. */
  clockOffsetMs: number;
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
  const { values: env, failed } = readVariables(source);
  const crisisResources = json(source[ENV.crisisResources], CrisisResources);
  if (crisisResources === invalid) failed.push(ENV.crisisResources);
  const anonymityThresholds = json(source[ENV.anonymityThresholds], AnonymityThresholds);
  if (anonymityThresholds === invalid) failed.push(ENV.anonymityThresholds);
  const analysisTimeWindow = json(source[ENV.analysisTimeWindow], AnalysisTimeWindowSchema);
  if (analysisTimeWindow === invalid) failed.push(ENV.analysisTimeWindow);
  // A shifted clock is a local-runtime tool: on a deployed stage it would open closed periods.
  const offset = source[ENV.clockOffsetMs];
  if (offset !== undefined && Number(offset) !== 0 && source[ENV.stage] !== 'local')
    failed.push(ENV.clockOffsetMs);
  const mfaRoles = list(source[ENV.mfaRequiredRoles]);
  if (!mfaRoles.every(isGroup)) failed.push(ENV.mfaRequiredRoles);
  if (failed.length > 0) {
    throw new Error(`Invalid runtime environment: ${[...new Set(failed)].join(', ')}`);
  }
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    stage: env[ENV.stage]!,
    tableName: env[ENV.tableName],
    corsOrigins: list(env[ENV.corsOrigins]),
    userPoolId: env[ENV.userPoolId],
    cognitoIssuer: env[ENV.cognitoIssuer],
    apiClientId: env[ENV.apiClientId],
    allowedEmailDomains: list(env[ENV.allowedEmailDomains]).map((d) => d.toLowerCase()),
    autoConfirm: env[ENV.autoConfirm] === 'true',
    refreshTokenRotation: env[ENV.refreshTokenRotation] === 'true',
    cursorSecret: env[ENV.cursorSecret],
    crisisResources: crisisResources as CrisisResources | undefined,
    dynamodbEndpoint: env[ENV.dynamodbEndpoint],
    cognitoEndpoint: env[ENV.cognitoEndpoint],
    swaggerUiBase: env[ENV.swaggerUiBase]!.replace(/\/$/, ''),
    redocBase: env[ENV.redocBase]!.replace(/\/$/, ''),
    erasureGraceDays: number(env[ENV.erasureGraceDays]),
    storeRawText: env[ENV.storeRawText] === 'true',
    rawTextDays: number(env[ENV.rawTextDays]),
    anonymityThresholds: anonymityThresholds as RuntimeEnv['anonymityThresholds'],
    analysisTimeWindow:
      (analysisTimeWindow as AnalysisTimeWindow | undefined) ?? DEFAULT_ANALYSIS_TIME_WINDOW,
    clockOffsetMs: Number(env[ENV.clockOffsetMs] ?? 0),
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
