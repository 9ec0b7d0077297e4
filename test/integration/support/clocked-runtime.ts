import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import type { Group } from '#contract/identity.ts';
import { type LocalRuntimeState } from '../../../lib/local/runtime.ts';
import { REPO_ROOT } from '../../../lib/repo-root.ts';

/**
 * `npm start -- --clock <instant>` as a user runs it (bin/local.ts in a child process: its own gateway,
 * handlers, token verification, jobs and stream aggregator on that clock), on fixed ports and data kept
 * across restarts: a test starts it on one time, writes, stops it, and starts it again later in time —
 * past a month's close — on the same data.
 *
 * The data is a table and a user pool of its own on the integration run's emulators (`--emulators-of`
 * the global setup's runtime, `--isolation` named after `dataDir`, so both starts of a file find the
 * same ones): a start of its own DynamoDB Local and cognito-local cost most of a start's CPU time, and
 * the table's rollups and the pool's users are this runtime's alone all the same.
 */
export interface ClockedRuntime {
  readonly apiUrl: string;
  readonly state: LocalRuntimeState;
  readonly stateFile: string;
  stop(): Promise<void>;
}

export interface ClockedPorts {
  readonly port: number;
  /** The web console's port (default: 5173, or a free one when taken). */
  readonly consolePort?: number;
}

export const startClocked = async (
  clock: string,
  dataDir: string,
  ports: ClockedPorts,
): Promise<ClockedRuntime> => {
  const stateFile = join(dataDir, 'runtime.json');
  const isolation = `clocked-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/local.ts',
      '--clock',
      clock,
      '--emulators-of',
      inject('localStateFile'),
      '--isolation',
      isolation,
      '--state-file',
      stateFile,
      '--quiet',
      '--port',
      String(ports.port),
      ...(ports.consolePort ? ['--console-port', String(ports.consolePort)] : []),
    ],
    { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' } },
  ) as ChildProcessWithoutNullStreams;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Bounds a broken start: each emulator may take up to EMULATOR_START_TIMEOUT_MS on a busy machine, then
  // the handlers load; an idle start takes a few seconds.
  const deadline = Date.now() + 150_000;
  while (!/Press Ctrl-C to stop/.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGINT');
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!output.includes(`Clock     ${new Date(clock).toISOString()}`))
    throw new Error(`the banner does not show the clock:\n${output}`);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as LocalRuntimeState;
  return {
    apiUrl: state.apiUrl,
    state,
    stateFile,
    stop: async () => {
      child.kill('SIGINT');
      const code = await exited;
      if (code !== 0) throw new Error(`npm start stopped with ${code}:\n${output}`);
    },
  };
};

export interface Response<T = unknown> {
  status: number;
  text: string;
  json: T;
}

/** Calls the clocked runtime's gateway. */
export const caller = (runtime: () => ClockedRuntime) => {
  const call = async <T = unknown>(
    path: string,
    options: { method?: string; token?: string; body?: unknown } = {},
  ): Promise<Response<T>> => {
    const response = await fetch(`${runtime().apiUrl}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let json = undefined as T;
    try {
      json = JSON.parse(text) as T;
    } catch {
      // not JSON
    }
    return { status: response.status, text, json };
  };

  /** A signed-in account of the clocked runtime, with extra groups. */
  const account = async (groups: Group[] = [], label = 'clocked') => {
    const email = `${label}-${randomUUID()}@example.com`;
    const password = `Pw-${randomUUID().slice(0, 8)}-Aa1!`;
    const registered = await call<{ id: string }>('/auth/register', {
      method: 'POST',
      body: { email, password, fullName: `Clocked ${label}` },
    });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: runtime().state.cognitoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    for (const group of groups)
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: runtime().state.userPoolId,
          Username: email,
          GroupName: group,
        }),
      );
    cognito.destroy();
    const login = await call<{ accessToken: string }>('/auth/login', {
      method: 'POST',
      body: { email, password },
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
    return { id: registered.json.id, email, token: login.json.accessToken };
  };

  /** A pipeline's client-credentials token. */
  const pipelineToken = async (): Promise<string> => {
    const { machineClientId, machineClientSecret } = runtime().state;
    const response = await fetch(`${runtime().apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${machineClientId}:${machineClientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  };

  return { call, account, pipelineToken };
};
