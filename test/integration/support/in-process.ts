import { inject } from 'vitest';

/**
 * For tests that call handlers or repositories in-process against the run's emulators: shared/data
 * reads process.env once, at import, so call this first and import those modules after it. Returns
 * the function that puts the environment back as it was (other files may share the worker process).
 */
export const pointAtEmulators = (extra: Record<string, string> = {}): (() => void) => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    STAGE: 'local',
    TABLE_NAME: inject('tableName'),
    DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'),
    COGNITO_ENDPOINT: inject('cognitoEndpoint'),
    COGNITO_USER_POOL_ID: inject('userPoolId'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  });
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
};
