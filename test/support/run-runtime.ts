import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../lib/local/processes.ts';
import { startLocalRuntime, type LocalRuntime } from '../../lib/local/runtime.ts';
import { probeRoutes } from '../integration/support/probe-routes.ts';

/** A test run's local runtime and the state file tools find it through. */
export interface RunRuntime {
  readonly runtime: LocalRuntime;
  readonly stateFile: string;
  readonly startedInMs: number;
}

interface Shared {
  readonly started: Promise<RunRuntime>;
  users: number;
}

/**
 * Kept on the process, not in this module: vitest loads each project's global setup in a module graph of
 * its own, in no fixed order, all in the one vitest process.
 */
const KEY = Symbol.for('mha.tests.runRuntime');
const slot = globalThis as { [KEY]?: Shared };

const start = async (): Promise<RunRuntime> => {
  const started = performance.now();
  const stateFile = join(mkdtempSync(join(tmpdir(), 'mha-it-')), 'runtime.json');
  const runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    consolePort: await freePort(),
    inMemory: true,
    extraRoutes: Object.values(probeRoutes),
    handlerLogLevel: 'ERROR',
    stateFile,
  });
  return { runtime, stateFile, startedInMs: performance.now() - started };
};

/**
 * The one local runtime of a `vitest run` (real DynamoDB Local + cognito-local, in memory, free ports,
 * the integration tests' probe routes and the web console): started by the first global setup that
 * asks — the integration project's or the black-box project's, whichever vitest runs first — and shared
 * by both, so `npm test` starts one DynamoDB Local and one cognito-local, not two (docs/testing.md).
 * `release` stops it once every setup that acquired it has let go.
 */
export const acquireRunRuntime = async (): Promise<RunRuntime & { release(): Promise<void> }> => {
  const shared = (slot[KEY] ??= { started: start(), users: 0 });
  shared.users += 1;
  const acquired = await shared.started.catch((error: unknown) => {
    // A failed start is not kept for the next setup to inherit.
    if (slot[KEY] === shared) delete slot[KEY];
    throw error;
  });
  let released = false;
  return {
    ...acquired,
    release: async () => {
      if (released) return;
      released = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      if (slot[KEY] === shared) delete slot[KEY];
      await acquired.runtime.stop();
    },
  };
};
