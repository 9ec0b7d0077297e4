import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../lib/local/processes.ts';
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.ts';
import { bundleAdminCli } from './support/cli-bundle.ts';
import { probeRoutes } from './support/probe-routes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    /** The web console (its own origin), signing in through the managed-login stand-in. */
    consoleUrl: string;
    cognitoEndpoint: string;
    userPoolId: string;
    apiClientId: string;
    dynamodbEndpoint: string;
    tableName: string;
    /** The runtime's state file, for tools (the operator CLI) that find the runtime through it. */
    localStateFile: string;
    /** The operator CLI bundled once for the run (support/cli-bundle.ts): `node <adminCli> …`. */
    adminCli: string;
  }
}

let runtime: LocalRuntime | undefined;

/** One local runtime (real DynamoDB Local + cognito-local, in memory, free ports) for the whole run. */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const stateFile = join(mkdtempSync(join(tmpdir(), 'mha-it-')), 'runtime.json');
  // Bundled while the emulators start.
  const adminCli = bundleAdminCli();
  runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    consolePort: await freePort(),
    inMemory: true,
    extraRoutes: Object.values(probeRoutes),
    handlerLogLevel: 'ERROR',
    stateFile,
  });
  console.log(
    `[integration] local runtime up at ${runtime.apiUrl} in ${Math.round(performance.now() - started)} ms`,
  );
  project.provide('apiUrl', runtime.apiUrl);
  project.provide('consoleUrl', runtime.consoleUrl!);
  project.provide('cognitoEndpoint', runtime.cognitoEndpoint);
  project.provide('userPoolId', runtime.identity.userPoolId);
  project.provide('apiClientId', runtime.identity.apiClientId);
  project.provide('dynamodbEndpoint', runtime.dynamodbEndpoint);
  project.provide('tableName', runtime.tableName);
  project.provide('localStateFile', stateFile);
  project.provide('adminCli', await adminCli);
  return async () => {
    await runtime?.stop();
  };
}
