import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../lib/local/processes.ts';
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    blackboxUrl: string;
  }
}

let runtime: LocalRuntime | undefined;

/**
 * The black-box suite talks to a base URL and nothing else: `API_URL` (a deployed stage, or LocalStack
 * after `npm run deploy:localstack`), or — by default — a local runtime started here.
 */
export default async function setup(project: TestProject) {
  const target = process.env.API_URL?.replace(/\/$/, '');
  if (target) {
    project.provide('blackboxUrl', target);
    return;
  }
  runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    inMemory: true,
    handlerLogLevel: 'ERROR',
    stateFile: join(mkdtempSync(join(tmpdir(), 'mha-bb-')), 'runtime.json'),
  });
  project.provide('blackboxUrl', runtime.apiUrl);
  return async () => {
    await runtime?.stop();
  };
}
