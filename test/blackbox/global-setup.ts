import type { TestProject } from 'vitest/node';
import { acquireRunRuntime } from '../support/run-runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    blackboxUrl: string;
  }
}

/**
 * The black-box suite talks to a base URL and nothing else: `API_URL` (a deployed stage, or LocalStack
 * after `npm run deploy:localstack`), or — by default — the run's local runtime, the one the integration
 * tests use when they run too (`npm test`): another DynamoDB Local and cognito-local for four tests were
 * most of this suite's cost (test/support/run-runtime.ts).
 */
export default async function setup(project: TestProject) {
  const target = process.env.API_URL?.replace(/\/$/, '');
  if (target) {
    project.provide('blackboxUrl', target);
    return;
  }
  const { runtime, release } = await acquireRunRuntime();
  project.provide('blackboxUrl', runtime.apiUrl);
  return release;
}
