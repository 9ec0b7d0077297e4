import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadStageConfig } from '../../../lib/config/index.ts';
import { runtimeEnvironment } from '../../../lib/config/runtime-environment.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lib/local/dynamodb-local.ts';

/**
 * The runtime environment the local runtime gives its handlers (the same builder, on the run's
 * emulators), without a cursor secret: a test that pages through a list gives its own in `extra`.
 */
export const emulatorEnvironment = (): Record<string, string> => {
  const cognitoEndpoint = inject('cognitoEndpoint');
  const userPoolId = inject('userPoolId');
  return runtimeEnvironment(loadStageConfig('local'), {
    tableName: inject('tableName'),
    userPoolId,
    cognitoIssuer: `${cognitoEndpoint}/${userPoolId}`,
    apiClientId: inject('apiClientId'),
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    cognitoEndpoint,
  });
};

/**
 * For tests that call handlers or repositories in-process against the run's emulators: shared/data
 * reads process.env once, at import, so call this first and import those modules after it. Returns
 * the function that puts the environment back as it was (other files may share the worker process).
 */
export const pointAtEmulators = (extra: Record<string, string> = {}): (() => void) => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    ...emulatorEnvironment(),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  });
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
};

/**
 * A person who never signs in: a profile written the way the API writes it (with its `users.create`
 * audit record, by a machine caller named after `label`), in `departmentId` if given. Call it after
 * pointAtEmulators: it imports the repositories then.
 */
export const createProfileInProcess = async (
  label: string,
  departmentId?: string | undefined,
): Promise<string> => {
  const [users, audit] = await Promise.all([
    import('#data/user-repository.ts'),
    import('#data/audit-repository.ts'),
  ]);
  const id = randomUUID();
  await users.createProfile(
    users.newProfile({
      id,
      email: `${label}-${id}@example.com`,
      fullName: `${label} ${id.slice(0, 8)}`,
      ...(departmentId ? { departmentId } : {}),
      roles: ['employee'],
      at: new Date().toISOString(),
    }),
    audit.auditRecord(
      {
        action: 'users.create',
        resourceType: 'user',
        resourceId: id,
        subjectId: id,
        outcome: 'allowed',
        status: 201,
      },
      {
        principal: { kind: 'machine', clientId: `${label}-test`, scopes: [] },
        requestId: randomUUID(),
        sourceIp: 'test',
        userAgent: 'vitest',
      },
      { now: () => new Date() },
    ),
  );
  return id;
};
