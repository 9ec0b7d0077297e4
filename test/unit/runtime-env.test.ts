import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';

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
