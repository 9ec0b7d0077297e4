import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { parseRuntimeEnv, urlSetting } from '#contract/runtime-env.ts';

describe('parseRuntimeEnv', () => {
  it('needs only the stage and defaults the rest', () => {
    const env = parseRuntimeEnv({ STAGE: 'dev' });
    expect(env.stage).toBe('dev');
    expect(env.corsOrigins).toEqual([]);
    expect(env.tableName).toBeUndefined();
    expect(new URL(env.swaggerUiBase).protocol).toBe('https:');
    expect(env.swaggerUiBase.endsWith('/')).toBe(false);
  });

  it('reads every setting', () => {
    const env = parseRuntimeEnv({
      STAGE: 'local',
      TABLE_NAME: 'mha-local-data',
      CORS_ORIGINS: ' http://localhost:5173 , ,https://app.example.test,',
      COGNITO_USER_POOL_ID: 'local_abc',
      COGNITO_ISSUER: 'http://localhost:9229/local_abc',
      DYNAMODB_ENDPOINT: 'http://localhost:8000',
      COGNITO_ENDPOINT: 'http://localhost:9229',
      SWAGGER_UI_BASE: 'http://localhost:3000/swagger-ui/',
      REDOC_BASE: 'http://localhost:3000/_redoc/',
      COGNITO_API_CLIENT_ID: 'client-123',
      ALLOWED_EMAIL_DOMAINS: 'Example.com, corp.example.org',
      AUTO_CONFIRM: 'true',
      REFRESH_TOKEN_ROTATION: 'false',
      ACCESS_TOKEN_MINUTES: '30',
      MFA_REQUIRED_ROLES: 'clinician, admin',
    });
    expect(env).toEqual({
      stage: 'local',
      tableName: 'mha-local-data',
      corsOrigins: ['http://localhost:5173', 'https://app.example.test'],
      userPoolId: 'local_abc',
      cognitoIssuer: 'http://localhost:9229/local_abc',
      dynamodbEndpoint: 'http://localhost:8000',
      cognitoEndpoint: 'http://localhost:9229',
      swaggerUiBase: 'http://localhost:3000/swagger-ui',
      redocBase: 'http://localhost:3000/_redoc',
      apiClientId: 'client-123',
      // Domains are compared case-insensitively, so they are stored lower-cased.
      allowedEmailDomains: ['example.com', 'corp.example.org'],
      autoConfirm: true,
      refreshTokenRotation: false,
      // Raw text is stored only where the stage says so (STORE_RAW_TEXT unset = not stored).
      storeRawText: false,
      // analyzedAt's window defaults to 48 h back and 5 min ahead; the clock is the real one.
      analysisTimeWindow: { pastHours: 48, futureMinutes: 5 },
      clockOffsetMs: 0,
      accessTokenMinutes: 30,
      mfaRequiredRoles: ['clinician', 'admin'],
    });
  });

  it('defaults the access-token validity to Cognito’s hour and refuses a role that does not exist', () => {
    expect(parseRuntimeEnv({ STAGE: 'dev' })).toMatchObject({ accessTokenMinutes: 60, mfaRequiredRoles: [] });
    expect(() => parseRuntimeEnv({ STAGE: 'dev', MFA_REQUIRED_ROLES: 'admin,root' })).toThrow(
      /MFA_REQUIRED_ROLES/,
    );
  });

  it('reads the analysis time window within its bounds, never unbounded', () => {
    const window = (value: string) => parseRuntimeEnv({ STAGE: 'dev', ANALYSIS_TIME_WINDOW: value });
    expect(window('{"pastHours":24,"futureMinutes":0}').analysisTimeWindow).toEqual({
      pastHours: 24,
      futureMinutes: 0,
    });
    for (const bad of [
      '{"pastHours":169,"futureMinutes":5}',
      '{"pastHours":0,"futureMinutes":5}',
      '{"pastHours":48,"futureMinutes":61}',
      '{"pastHours":48}',
      'unbounded',
    ])
      expect(() => window(bad), bad).toThrow(/ANALYSIS_TIME_WINDOW/);
  });

  it('takes a clock offset in the local runtime only: a deployed stage always runs on the real time', () => {
    expect(parseRuntimeEnv({ STAGE: 'local', CLOCK_OFFSET_MS: '-86400000' }).clockOffsetMs).toBe(-86_400_000);
    expect(() => parseRuntimeEnv({ STAGE: 'prod', CLOCK_OFFSET_MS: '1000' })).toThrow(/CLOCK_OFFSET_MS/);
    // A zero offset is the real time: harmless anywhere.
    expect(parseRuntimeEnv({ STAGE: 'prod', CLOCK_OFFSET_MS: '0' }).clockOffsetMs).toBe(0);
    expect(() => parseRuntimeEnv({ STAGE: 'local', CLOCK_OFFSET_MS: 'soon' })).toThrow(/CLOCK_OFFSET_MS/);
  });

  it('treats a flag as on only when it is exactly "true" and rejects other values', () => {
    expect(parseRuntimeEnv({ STAGE: 'dev' }).autoConfirm).toBe(false);
    expect(parseRuntimeEnv({ STAGE: 'dev', AUTO_CONFIRM: 'false' }).autoConfirm).toBe(false);
    expect(() => parseRuntimeEnv({ STAGE: 'dev', AUTO_CONFIRM: 'yes' })).toThrow(/AUTO_CONFIRM/);
  });

  it.each([
    ['a missing stage', {}, 'STAGE'],
    ['an empty stage', { STAGE: '' }, 'STAGE'],
    [
      'an issuer that is not a URL',
      { STAGE: 'dev', COGNITO_ISSUER: 'issuer-secret-value' },
      'COGNITO_ISSUER',
    ],
    ['an endpoint that is not a URL', { STAGE: 'dev', DYNAMODB_ENDPOINT: 'localhost' }, 'DYNAMODB_ENDPOINT'],
  ])('rejects %s, naming the variable but not its value', (_case, source, variable) => {
    expect(() => parseRuntimeEnv(source)).toThrow(new RegExp(`Invalid runtime environment: .*${variable}`));
    expect(() => parseRuntimeEnv(source)).not.toThrow(/issuer-secret-value/);
  });
});

/**
 * The plain variables used to be checked by this zod schema; the hand-written checks that replaced it
 * (to keep zod's URL, enum and default kinds out of every bundle) must accept, refuse and read exactly
 * what it did. The schema stays here as the oracle.
 */
const whole = (regex: RegExp) => z.string().check(z.regex(regex));
const Flag = z.optional(z.enum(['true', 'false']));
const ZOD_ORACLE = z.object({
  STAGE: z.string().check(z.minLength(1)),
  TABLE_NAME: z.optional(z.string()),
  CORS_ORIGINS: z.optional(z.string()),
  COGNITO_USER_POOL_ID: z.optional(z.string()),
  COGNITO_ISSUER: z.optional(z.url()),
  COGNITO_API_CLIENT_ID: z.optional(z.string()),
  ALLOWED_EMAIL_DOMAINS: z.optional(z.string()),
  AUTO_CONFIRM: Flag,
  REFRESH_TOKEN_ROTATION: Flag,
  CURSOR_SECRET: z.optional(z.string().check(z.minLength(32))),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  COGNITO_ENDPOINT: z.optional(z.url()),
  SWAGGER_UI_BASE: z._default(z.url(), 'https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.32.0'),
  REDOC_BASE: z._default(z.url(), 'https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles'),
  ERASURE_GRACE_DAYS: z.optional(whole(/^[1-9]\d{0,3}$/)),
  STORE_RAW_TEXT: Flag,
  RAW_TEXT_DAYS: z.optional(whole(/^[1-9]\d{0,4}$/)),
  CLOCK_OFFSET_MS: z.optional(whole(/^-?\d{1,15}$/)),
  ACCESS_TOKEN_MINUTES: z.optional(whole(/^[1-9]\d{0,3}$/)),
});

/** Strings a URL check has to get right: edges, tabs and line breaks, schemes without slashes, controls. */
const urlLike = fc.oneof(
  fc.webUrl(),
  fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\u00a0', '\u0000', '\ufeff'),
      fc.webUrl(),
      fc.nat(30),
    )
    .map(([noise, url, at]) => [noise + url.slice(0, at), url.slice(at) + noise].join(noise)),
  fc.constantFrom(
    'localhost',
    'localhost:8000',
    'http:example.com',
    'https:/path',
    'mailto:someone@example.test',
    'http://exa\nmple.com',
    ' http://localhost:8000/ ',
    'http://',
    'http://[::1]:9229',
    'file:///tmp/x',
    '//example.com',
  ),
  fc.string(),
);

describe('the plain variables, against the zod schema they replaced', () => {
  it('a URL setting accepts, refuses and reads what z.url() did', () => {
    fc.assert(
      fc.property(urlLike, (value) => {
        const zod = z.safeParse(z.url(), value);
        expect(urlSetting(value)).toBe(zod.success ? zod.data : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('an environment is refused naming the same variables, or read with the same values', () => {
    const flag = fc.constantFrom('true', 'false', 'TRUE', '', 'yes', ' true');
    const digits = fc.oneof(fc.stringMatching(/^-?\d{0,17}$/), fc.string({ maxLength: 6 }));
    const environment = fc.record(
      {
        STAGE: fc.constantFrom('', 'dev', 'prod', 'local'),
        TABLE_NAME: fc.string(),
        COGNITO_ISSUER: urlLike,
        AUTO_CONFIRM: flag,
        REFRESH_TOKEN_ROTATION: flag,
        CURSOR_SECRET: fc.string({ minLength: 28, maxLength: 36 }),
        DYNAMODB_ENDPOINT: urlLike,
        COGNITO_ENDPOINT: urlLike,
        SWAGGER_UI_BASE: urlLike,
        REDOC_BASE: urlLike,
        ERASURE_GRACE_DAYS: digits,
        STORE_RAW_TEXT: flag,
        RAW_TEXT_DAYS: digits,
        CLOCK_OFFSET_MS: digits,
        ACCESS_TOKEN_MINUTES: digits,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(environment, (source: Record<string, string>) => {
        const oracle = z.safeParse(ZOD_ORACLE, source);
        const refused = oracle.success ? [] : oracle.error.issues.map((issue) => issue.path.join('.'));
        const offset = source.CLOCK_OFFSET_MS;
        if (offset !== undefined && Number(offset) !== 0 && source.STAGE !== 'local')
          refused.push('CLOCK_OFFSET_MS');
        if (refused.length > 0) {
          expect(() => parseRuntimeEnv(source)).toThrow(
            new Error(`Invalid runtime environment: ${[...new Set(refused)].join(', ')}`),
          );
          return;
        }
        const env = parseRuntimeEnv(source);
        const read = oracle.data!;
        expect(env).toMatchObject({
          stage: read.STAGE,
          tableName: read.TABLE_NAME,
          cognitoIssuer: read.COGNITO_ISSUER,
          autoConfirm: read.AUTO_CONFIRM === 'true',
          refreshTokenRotation: read.REFRESH_TOKEN_ROTATION === 'true',
          cursorSecret: read.CURSOR_SECRET,
          dynamodbEndpoint: read.DYNAMODB_ENDPOINT,
          cognitoEndpoint: read.COGNITO_ENDPOINT,
          swaggerUiBase: read.SWAGGER_UI_BASE.replace(/\/$/, ''),
          redocBase: read.REDOC_BASE.replace(/\/$/, ''),
          erasureGraceDays:
            read.ERASURE_GRACE_DAYS === undefined ? undefined : Number(read.ERASURE_GRACE_DAYS),
          storeRawText: read.STORE_RAW_TEXT === 'true',
          rawTextDays: read.RAW_TEXT_DAYS === undefined ? undefined : Number(read.RAW_TEXT_DAYS),
          clockOffsetMs: Number(read.CLOCK_OFFSET_MS ?? 0),
          accessTokenMinutes:
            read.ACCESS_TOKEN_MINUTES === undefined ? 60 : Number(read.ACCESS_TOKEN_MINUTES),
        });
      }),
      { numRuns: 1000 },
    );
  });
});
