import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import * as keys from '#data/dynamodb/keys.ts';
import { tableNameFor } from '#data/table-definition.ts';
import { localDynamoClient } from '../../../lib/local/dynamodb-local.ts';
import { ensureTable, ensureUserPool, localCognitoClient } from '../../../lib/local/provision.ts';
import { type LocalRuntimeState } from '../../../lib/local/runtime.ts';
import { decodePayload } from './identity.ts';
import { REPO_ROOT } from '../../../lib/repo-root.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How to start `npm run admin -- <args>`'s program: the CLI bundled once for the run (global setup),
 * by plain Node with its compile cache, so a call costs a fraction of a second even on a busy machine.
 */
export const adminProcess = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => ({
  file: process.execPath,
  args: [inject('adminCli'), ...args],
  options: {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_COMPILE_CACHE: join(dirname(inject('adminCli')), 'compile-cache'),
      FORCE_COLOR: '0',
      ...env,
    },
  },
});

/** Runs `npm run admin -- …`'s program as a child process, as an operator would, against a state file. */
export const runAdmin = (
  args: string[],
  stateFile: string | null = inject('localStateFile'),
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const cli = adminProcess([...args, ...(stateFile ? ['--state-file', stateFile] : [])], env);
    const child = spawn(cli.file, cli.args, cli.options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

export const uniqueEmail = (prefix = 'admin') => `${prefix}-${randomUUID()}@example.com`;

/** The sub the CLI printed for the admin it created. */
export const createdId = (run: CliRun): string => {
  const id = /Admin created: \S+ \(id ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
  if (!id) throw new Error(`no "Admin created" line in:\n${run.stdout}\n${run.stderr}`);
  return id;
};

let cognitoClient: ReturnType<typeof localCognitoClient> | undefined;
export const cognito = () => (cognitoClient ??= localCognitoClient(inject('cognitoEndpoint')));

let documentClient: DynamoDBDocumentClient | undefined;
const dynamo = () =>
  (documentClient ??= DynamoDBDocumentClient.from(localDynamoClient(inject('dynamodbEndpoint'))));

export const cognitoUser = async (email: string, userPoolId = inject('userPoolId')) => {
  try {
    return await cognito().send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
  } catch (error) {
    if (error instanceof UserNotFoundException) return undefined;
    throw error;
  }
};

export const usersWithEmail = async (email: string, userPoolId = inject('userPoolId')) =>
  (await cognito().send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${email}"` })))
    .Users ?? [];

/** Group names by the user's Cognito user name (a UUID in a pool that signs in with e-mail). */
export const groupsOf = async (username: string, userPoolId = inject('userPoolId')) =>
  (
    (await cognito().send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username })))
      .Groups ?? []
  )
    .map((g) => g.GroupName)
    .sort();

/** Signs in like the API's clients (USER_PASSWORD_AUTH) and returns the access token's claims. */
export const signIn = async (email: string, password: string, clientId = inject('apiClientId')) => {
  const auth = await cognito().send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const token = auth.AuthenticationResult?.AccessToken;
  if (!token) throw new Error('sign-in returned no access token');
  return decodePayload(token);
};

export const profileItem = async (sub: string, tableName = inject('tableName')) =>
  (await dynamo().send(new GetCommand({ TableName: tableName, Key: keys.userProfile(sub) }))).Item;

/** The names of every department in a table (GSI1 `DEPTS`). */
export const departmentNames = async (tableName: string): Promise<string[]> =>
  (
    (
      await dynamo().send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': 'DEPTS' },
        }),
      )
    ).Items ?? []
  ).map((item) => String(item.name));

export const auditItems = async (sub: string, tableName = inject('tableName')) =>
  (
    await dynamo().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${sub}` },
      }),
    )
  ).Items ?? [];

/** A state file like the runtime's, with changes (a missing table, another pool). */
export const stateFileWith = (changes: Partial<LocalRuntimeState>): string => {
  const state = JSON.parse(readFileSync(inject('localStateFile'), 'utf8')) as LocalRuntimeState;
  const file = join(mkdtempSync(join(tmpdir(), 'mha-admin-')), 'runtime.json');
  writeFileSync(file, JSON.stringify({ ...state, ...changes }));
  return file;
};

/**
 * A user pool of its own (groups and API client as `npm start` makes them) in the same cognito-local,
 * so a test can reason about "the last admin" while other tests add admins to the shared pool.
 */
export const isolatedPool = async () => {
  const identity = await ensureUserPool(
    cognito(),
    inject('cognitoEndpoint'),
    `it-${randomUUID().slice(0, 8)}`,
  );
  return {
    ...identity,
    stateFile: stateFileWith({ userPoolId: identity.userPoolId, apiClientId: identity.apiClientId }),
  };
};

/**
 * "AWS" for `--stage dev`, played by the emulators: the stage's pool (found by its name) and table
 * (`mha-dev-data`), reached through the SDK's standard endpoint variables instead of a state file.
 */
const emulatedStages = new Map<string, ReturnType<typeof emulateStage>>();
/** Once per stage and run: tests running concurrently would otherwise create the pool twice. */
export const emulatedStage = (stage = 'dev') => {
  let emulated = emulatedStages.get(stage);
  if (!emulated) {
    emulated = emulateStage(stage);
    emulatedStages.set(stage, emulated);
  }
  return emulated;
};

const emulateStage = async (stage: string) => {
  const identity = await ensureUserPool(cognito(), inject('cognitoEndpoint'), stage);
  const dynamoClient = localDynamoClient(inject('dynamodbEndpoint'));
  await ensureTable(dynamoClient, tableNameFor(stage)).finally(() => dynamoClient.destroy());
  return {
    ...identity,
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: inject('cognitoEndpoint'),
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    },
  };
};
