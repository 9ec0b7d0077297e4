import { describe, expect, it } from 'vitest';
import { ENV, parseRuntimeEnv } from '#contract/runtime-env.ts';
import { loadStageConfig, STAGES } from '../../lib/config/index.ts';
import {
  cognitoIssuerUrl,
  environmentSubset,
  runtimeEnvironment,
  type RuntimeResources,
} from '../../lib/config/runtime-environment.ts';

/** Every resource a deployment can name, as plain values. */
const RESOURCES: Required<RuntimeResources> = {
  tableName: 'mha-test-data',
  userPoolId: 'eu-west-1_Test',
  cognitoIssuer: cognitoIssuerUrl('eu-west-1', 'eu-west-1_Test'),
  apiClientId: 'client-1',
  cursorSecret: 'test-cursor-secret-0123456789abcdef0123',
  dynamodbEndpoint: 'http://localhost:8000',
  cognitoEndpoint: 'http://localhost:9229',
  swaggerUiBase: 'http://localhost:3000/_swagger-ui',
  redocBase: 'http://localhost:3000/_redoc',
  clockOffsetMs: 0,
};

describe.each(STAGES)('the runtime environment of stage %s', (stage) => {
  const config = loadStageConfig(stage);

  it('sets every variable of the contract, and the handlers parse it back to the stage config', () => {
    const environment = runtimeEnvironment(config, RESOURCES);
    expect(Object.keys(environment).sort()).toEqual(Object.values(ENV).sort());
    const parsed = parseRuntimeEnv(environment);
    expect(parsed).toMatchObject({
      stage,
      tableName: RESOURCES.tableName,
      corsOrigins: config.api.corsOrigins,
      userPoolId: RESOURCES.userPoolId,
      cognitoIssuer: RESOURCES.cognitoIssuer,
      apiClientId: RESOURCES.apiClientId,
      allowedEmailDomains: config.cognito.allowedEmailDomains.map((domain) => domain.toLowerCase()),
      autoConfirm: config.cognito.autoConfirm,
      refreshTokenRotation: config.cognito.refreshTokenRotation,
      crisisResources: config.safety.crisisResources,
      erasureGraceDays: config.retention.erasureGraceDays,
      storeRawText: config.retention.storeRawText,
      rawTextDays: config.retention.rawTextDays,
      anonymityThresholds: config.anonymity,
      analysisTimeWindow: config.analysisTimeWindow,
      accessTokenMinutes: config.cognito.accessTokenMinutes,
      mfaRequiredRoles: config.cognito.mfaRequiredRoles,
    });
  });

  it('leaves out every resource it is not given', () => {
    const environment = runtimeEnvironment(config, {});
    for (const resource of Object.keys(RESOURCES) as (keyof RuntimeResources)[])
      expect(environment[ENV[resource]], resource).toBeUndefined();
    expect(() => parseRuntimeEnv(environment)).not.toThrow();
  });

  it('gives a function with fewer needs the stage and the settings it names, and nothing else', () => {
    const environment = runtimeEnvironment(config, RESOURCES);
    expect(environmentSubset(environment, ['userPoolId'])).toEqual({
      [ENV.stage]: stage,
      [ENV.userPoolId]: RESOURCES.userPoolId,
    });
    expect(environmentSubset(runtimeEnvironment(config, {}), ['tableName'])).toEqual({ [ENV.stage]: stage });
  });
});
