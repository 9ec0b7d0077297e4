import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePorts, freePort, LocalRuntimeError } from '../../lib/local/processes.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/** Runs `npm start`'s program (bin/local.ts) as a user would, on free ports, in memory. */
const startLocal = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  // One process (Node 24 with tsx's loader), so the test's SIGINT reaches the program itself.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/local.ts',
      '--in-memory',
      '--quiet',
      '--state-file',
      join(mkdtempSync(join(tmpdir(), 'mha-start-')), 'runtime.json'),
      ...args,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...env, FORCE_COLOR: '0' },
    },
  ) as ChildProcessWithoutNullStreams;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Bounds a broken start: the emulators may each take up to EMULATOR_START_TIMEOUT_MS on a busy machine.
  const waitFor = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern}:\n${output}`)),
        timeoutMs,
      );
      const check = () => {
        if (pattern.test(output)) {
          clearTimeout(deadline);
          resolve(output);
        } else if (child.exitCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`exited ${child.exitCode} before ${pattern}:\n${output}`));
        } else setTimeout(check, 100);
      };
      check();
    });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, waitFor, exited, output: () => output };
};

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });

describe('npm start (bin/local.ts)', () => {
  it('serves the API, reports a stopped DynamoDB Local as 503 naming the check, and stops cleanly on Ctrl-C', async () => {
    const [port, dynamodbPort, cognitoPort] = [await freePort(), await freePort(), await freePort()];
    const local = startLocal([
      '--port',
      `${port}`,
      '--dynamodb-port',
      `${dynamodbPort}`,
      '--cognito-port',
      `${cognitoPort}`,
    ]);
    try {
      const banner = await local.waitFor(/Press Ctrl-C to stop/);
      expect(banner).toContain(`API       http://localhost:${port}`);
      expect(banner).toContain(`Docs      http://localhost:${port}/docs`);
      expect(banner).toMatch(/How to sign in/);

      const healthy = await fetch(`http://localhost:${port}/health`);
      expect(healthy.status).toBe(200);

      // Stop the DynamoDB Local of this runtime only (matched by its unique port).
      execFileSync('pkill', ['-f', `DynamoDBLocal.jar.*-port ${dynamodbPort}`]);
      let report: { status: string; checks: Record<string, { status: string }> } | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        const response = await fetch(`http://localhost:${port}/health`);
        report = (await response.json()) as typeof report;
        if (response.status === 503) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(report?.status).toBe('unavailable');
      expect(report?.checks.database?.status).toBe('down');
      expect(report?.checks.identity?.status).toBe('up');
    } finally {
      local.child.kill('SIGINT');
    }
    expect(await local.exited).toBe(0);
    expect(local.output()).toContain('Stopped.');
    // The stream cannot be drained from a stopped DynamoDB Local: the stop says so instead of waiting.
    expect(local.output()).toContain('stream not drained before stopping: DynamoDB Local is not running');
    expect(await isListening(cognitoPort)).toBe(false);
    expect(await isListening(port)).toBe(false);
  }, 180_000);

  it('refuses a port that is already in use with a clear message instead of hanging', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const local = startLocal(['--port', `${port}`]);
      expect(await local.exited).toBe(1);
      expect(local.output()).toMatch(new RegExp(`Port ${port} \\(API\\) is already in use`));
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('reports every busy port at once, in one message', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const blockers = ports.map(() => createServer());
    await Promise.all(
      blockers.map(
        (blocker, i) => new Promise<void>((resolve) => blocker.listen(ports[i], '127.0.0.1', resolve)),
      ),
    );
    try {
      const [port, dynamodbPort, cognitoPort] = ports;
      const local = startLocal([
        '--port',
        `${port}`,
        '--dynamodb-port',
        `${dynamodbPort}`,
        '--cognito-port',
        `${cognitoPort}`,
      ]);
      expect(await local.exited).toBe(1);
      const output = local.output();
      expect(output).toContain('3 ports are already in use:');
      expect(output).toMatch(new RegExp(`Port ${port} \\(API\\) is already in use.*--port`));
      expect(output).toMatch(
        new RegExp(`Port ${dynamodbPort} \\(DynamoDB Local\\) is already in use.*--dynamodb-port`),
      );
      expect(output).toMatch(
        new RegExp(`Port ${cognitoPort} \\(cognito-local\\) is already in use.*--cognito-port`),
      );
      // Nothing was started: no emulator output, no banner.
      expect(output).not.toMatch(/Starting DynamoDB Local|Press Ctrl-C/);
    } finally {
      blockers.forEach((blocker) => blocker.close());
    }
  }, 60_000);

  it('moves a busy default emulator port to a free one and says so; a busy API port never moves', async () => {
    const busy = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(busy, '127.0.0.1', resolve));
    try {
      const emulator = { what: 'DynamoDB Local', option: '--dynamodb-port', port: busy, movable: true };
      const moved = await choosePorts([{ ...emulator, explicit: false }]);
      expect(moved.ports[0]).not.toBe(busy);
      expect(moved.notes).toEqual([
        `Port ${busy} (DynamoDB Local) is in use; using ${moved.ports[0]} instead (--dynamodb-port to choose).`,
      ]);
      // Asked for explicitly, it is refused instead; and the API's default port never moves.
      await expect(choosePorts([{ ...emulator, explicit: true }])).rejects.toThrow(LocalRuntimeError);
      await expect(
        choosePorts([{ what: 'API', option: '--port', port: busy, explicit: false, movable: false }]),
      ).rejects.toThrow(`Port ${busy} (API) is already in use`);
      const free = await freePort();
      expect(await choosePorts([{ ...emulator, port: free, explicit: false }])).toEqual({
        ports: [free],
        notes: [],
      });
    } finally {
      blocker.close();
    }
  });

  it('says which Java to install when there is none, and exits', async () => {
    // A PATH holding only the project's Node: `java` cannot be found.
    const env = { ...process.env, PATH: dirname(process.execPath) };
    const local = startLocal(
      ['--port', `${await freePort()}`, '--dynamodb-port', `${await freePort()}`],
      env,
    );
    expect(await local.exited).toBe(1);
    expect(local.output()).toMatch(/Java was not found\. DynamoDB Local needs a Java runtime 17 or newer/);
  }, 60_000);
});
