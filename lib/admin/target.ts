import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import * as z from 'zod';
import { IDENTITY_NAMES } from '../../shared/contract/identity.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { tableNameFor } from '../../shared/data/table-definition.ts';
import { loadStageConfig } from '../config/index.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamodb-local.ts';
import { DEFAULT_STATE_FILE } from '../local/runtime.ts';
import type { TargetSelection } from './command-line.ts';
import { CliError, operatorErrorFrom } from './errors.ts';

/** Where the commands act: a user pool and the table, in the local runtime or a deployed stage. */
export interface Target {
  stage: string;
  userPoolId: string;
  tableName: string;
  /** For messages: "the local runtime (…)" or "stage dev (eu-west-1)". */
  description: string;
  /** A deployed stage's region and, where the stage config pins it, its account. */
  region?: string;
  account?: string;
  /** What to check when it does not answer. */
  unreachableHint: string;
}

/** The part of LocalRuntimeState (lib/local/runtime.ts) the CLI needs. */
const LocalStateSchema = z.object({
  stage: z.literal('local'),
  tableName: z.string().min(1),
  dynamodbEndpoint: z.url(),
  cognitoEndpoint: z.url(),
  userPoolId: z.string().min(1),
  /** Written by runtimes started with `--clock`; older state files have none. */
  clockOffsetMs: z.int().optional(),
});

export const NO_LOCAL_RUNTIME =
  'No local runtime found: start it with `npm start` (or pass --stage for a deployed stage)';

const readLocalState = (file: string) => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`${NO_LOCAL_RUNTIME}\n  (looked for ${file})`);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not a local runtime state file (not JSON); restart \`npm start\``);
  }
  const result = LocalStateSchema.safeParse(json);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new CliError(`${file} is not a local runtime state file (bad ${fields}); restart \`npm start\``);
  }
  return result.data;
};

/**
 * shared/data creates its clients when first imported, from process.env read once (runtimeEnv()): so
 * the environment is set here, before any module that touches shared/data is (dynamically) imported.
 */
const setEnvironment = (values: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

const resolveLocal = (stateFile: string | undefined): Target => {
  const file = resolve(stateFile ?? DEFAULT_STATE_FILE);
  const state = readLocalState(file);
  setEnvironment({
    [ENV.stage]: state.stage,
    [ENV.tableName]: state.tableName,
    [ENV.userPoolId]: state.userPoolId,
    [ENV.dynamodbEndpoint]: state.dynamodbEndpoint,
    [ENV.cognitoEndpoint]: state.cognitoEndpoint,
    // The runtime's clock (`npm start -- --clock`): a rebuild decides which months are closed by it.
    [ENV.clockOffsetMs]: state.clockOffsetMs ? String(state.clockOffsetMs) : undefined,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
  });
  const fromHere = relative(process.cwd(), file);
  const shown = fromHere && !fromHere.startsWith('..') ? fromHere : file;
  return {
    stage: state.stage,
    userPoolId: state.userPoolId,
    tableName: state.tableName,
    description: `the local runtime (${shown})`,
    unreachableHint: 'is `npm start` still running?',
  };
};

const resolveStage = async (stage: string): Promise<Target> => {
  const config = loadStageConfig(stage);
  const tableName = tableNameFor(config.stage);
  setEnvironment({
    [ENV.stage]: config.stage,
    [ENV.tableName]: tableName,
    // Never an emulator by accident: a deployed stage is reached through AWS's own endpoints.
    [ENV.dynamodbEndpoint]: undefined,
    [ENV.cognitoEndpoint]: undefined,
    [ENV.clockOffsetMs]: undefined,
    // A stage pinned to a region is deployed there, whatever the operator's default region is.
    ...(config.env.region ? { AWS_REGION: config.env.region } : {}),
  });
  const poolName = IDENTITY_NAMES.userPool(config.stage);
  const { listUserPools, cognitoRegion } = await import('./cognito-users.ts');
  let region = 'the default region';
  const pools = await cognitoRegion()
    .then((resolved) => {
      region = resolved;
      return listUserPools();
    })
    .catch((error: unknown) => {
      throw operatorErrorFrom(error, `Cognito in ${region}`, 'check the network and the region') ?? error;
    });
  const matching = pools.filter((p) => p.Name === poolName);
  if (matching.length === 0)
    throw new CliError(`No user pool named ${poolName} in ${region}: is stage ${stage} deployed there?`);
  if (matching.length > 1)
    throw new CliError(
      `${matching.length} user pools are named ${poolName} in ${region}: ${matching.map((p) => p.Id).join(', ')}`,
    );
  const userPoolId = matching[0]!.Id!;
  setEnvironment({ [ENV.userPoolId]: userPoolId });
  return {
    stage: config.stage,
    userPoolId,
    tableName,
    description: `stage ${stage} (${region})`,
    region,
    ...(config.env.account ? { account: config.env.account } : {}),
    unreachableHint: 'check the network and the region',
  };
};

export const resolveTarget = (selection: TargetSelection): Promise<Target> =>
  selection.kind === 'local'
    ? Promise.resolve(resolveLocal(selection.stateFile))
    : resolveStage(selection.stage);
