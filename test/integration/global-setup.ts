import type { TestProject } from 'vitest/node';
import { acquireRunRuntime } from '../support/run-runtime.ts';
import { bundleAdminCli } from './support/cli-bundle.ts';

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

/**
 * One local runtime (real DynamoDB Local + cognito-local, in memory, free ports) for the whole run, shared
 * with the black-box suite when it runs too (test/support/run-runtime.ts).
 */
export default async function setup(project: TestProject) {
  // Bundled while the emulators start.
  const adminCli = bundleAdminCli();
  const { runtime, stateFile, startedInMs, release } = await acquireRunRuntime();
  console.log(`[integration] local runtime up at ${runtime.apiUrl} in ${Math.round(startedInMs)} ms`);
  project.provide('apiUrl', runtime.apiUrl);
  project.provide('consoleUrl', runtime.consoleUrl!);
  project.provide('cognitoEndpoint', runtime.cognitoEndpoint);
  project.provide('userPoolId', runtime.identity.userPoolId);
  project.provide('apiClientId', runtime.identity.apiClientId);
  project.provide('dynamodbEndpoint', runtime.dynamodbEndpoint);
  project.provide('tableName', runtime.tableName);
  project.provide('localStateFile', stateFile);
  project.provide('adminCli', await adminCli);
  return release;
}
