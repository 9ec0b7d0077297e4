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
      apiClientId: 'client-123',
      // Domains are compared case-insensitively, so they are stored lower-cased.
      allowedEmailDomains: ['example.com', 'corp.example.org'],
      autoConfirm: true,
      refreshTokenRotation: false,
      // Raw text is stored only where the stage says so (STORE_RAW_TEXT unset = not stored).
      storeRawText: false,
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
