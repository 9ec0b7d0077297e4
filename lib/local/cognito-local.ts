import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  assertPortFree,
  captureOutput,
  EMULATOR_START_TIMEOUT_MS,
  spawn,
  stopProcess,
  waitUntil,
} from './processes.ts';

export interface CognitoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * Starts cognito-local with its data under `dataDir` (it keeps its database in `<cwd>/.cognito`). The
 * issuer domain is pinned to the chosen port so tokens name the issuer the gateway verifies.
 */
export const startCognitoLocal = async (options: {
  port: number;
  dataDir: string;
  /** The URL tokens name as their issuer's (default the emulator's own). */
  issuerDomain?: string;
}): Promise<CognitoLocal> => {
  await assertPortFree(options.port, 'cognito-local');
  const endpoint = `http://localhost:${options.port}`;
  const configDir = join(options.dataDir, '.cognito');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'config.json'),
    JSON.stringify(
      {
        TokenConfig: { IssuerDomain: options.issuerDomain ?? endpoint },
        ServerConfig: { hostname: '127.0.0.1', port: options.port },
      },
      null,
      2,
    ),
  );
  const entry = require.resolve('cognito-local/lib/bin/start.js');
  const child = spawn(process.execPath, [entry], {
    cwd: options.dataDir,
    env: { ...process.env, PORT: String(options.port) },
    stdio: 'pipe',
  });
  const output = captureOutput(child);
  try {
    await waitUntil(
      'cognito-local',
      async () => {
        // Any HTTP answer means the server is listening (an unknown path is a 404).
        const response = await fetch(`${endpoint}/health-probe`, { signal: AbortSignal.timeout(500) });
        return response.status > 0;
      },
      { timeoutMs: EMULATOR_START_TIMEOUT_MS, process: child, output },
    );
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { endpoint, process: child, stop: () => stopProcess(child) };
};
