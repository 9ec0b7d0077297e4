import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A clear, user-facing error for the local runtime: printed without a stack trace by bin/local.ts. */
export class LocalRuntimeError extends Error {
  override name = 'LocalRuntimeError';
}

/** Fails fast with a clear message instead of hanging when another process holds the port. */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LocalRuntimeError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use. Stop the process using it or choose another port (see --help).`
            : `Cannot listen on port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });

/** Whether nothing listens on the loopback port. */
export const isPortFree = (port: number): Promise<boolean> =>
  assertPortFree(port, '').then(
    () => true,
    () => false,
  );

export interface PortRequest {
  /** What listens there, for messages: `API`, `DynamoDB Local`. */
  what: string;
  /** Its option, for messages: `--port`. */
  option: string;
  port: number;
  /** The user named this port: it is used or refused, never replaced. */
  explicit: boolean;
  /** A busy default may be replaced by a free port (the emulators, which tools find via the state file). */
  movable: boolean;
}

/**
 * Checks every port at once before anything starts. A busy port that was asked for, or cannot move, is
 * an error — all of them in one message; a busy movable default is replaced by a free port, and `notes`
 * say so. The API's default port does not move: clients (a web app, curl history, the docs) expect it.
 */
export const choosePorts = async (
  requests: readonly PortRequest[],
): Promise<{ ports: number[]; notes: string[] }> => {
  const free = await Promise.all(requests.map((r) => isPortFree(r.port)));
  const refused = requests.filter((r, i) => !free[i] && (r.explicit || !r.movable));
  if (refused.length > 0) {
    throw new LocalRuntimeError(
      [
        refused.length === 1 ? 'A port is already in use:' : `${refused.length} ports are already in use:`,
        ...refused.map(
          (r) =>
            `  Port ${r.port} (${r.what}) is already in use: stop the process using it or pass ${r.option} <another port>.`,
        ),
      ].join('\n'),
    );
  }
  const ports: number[] = [];
  const notes: string[] = [];
  for (const [i, request] of requests.entries()) {
    if (free[i]) {
      ports.push(request.port);
      continue;
    }
    const replacement = await freePort([...requests.map((r) => r.port), ...ports]);
    ports.push(replacement);
    notes.push(
      `Port ${request.port} (${request.what}) is in use; using ${replacement} instead (${request.option} to choose).`,
    );
  }
  return { ports, notes };
};

/**
 * An unused loopback port, for tests and parallel runtimes; never one of `avoid`: ports already promised
 * to a listener that has not bound them yet (another process may have just been handed the same number
 * for one of them — seen once: a runtime put cognito-local on the API port its test had chosen).
 */
export const freePort = async (avoid: readonly number[] = []): Promise<number> => {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const bound = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(bound));
      });
    });
    if (!avoid.includes(port)) return port;
  }
};

/** DynamoDB Local needs a Java runtime; say exactly what to install when there is none. */
export const assertJava = (): void => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new LocalRuntimeError(
      'Java was not found. DynamoDB Local needs a Java runtime 17 or newer: install it (e.g. `apt-get install ' +
        'openjdk-17-jre-headless`, `brew install openjdk@17`) and make sure `java -version` works.',
    );
  }
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? Number(match[1]) : 0;
  if (major > 0 && major < 17) {
    throw new LocalRuntimeError(`Java ${major} found, but DynamoDB Local needs Java 17 or newer.`);
  }
};

/**
 * How long an emulator (DynamoDB Local, cognito-local) may take to answer once spawned before its start is
 * given up. A bound for a broken start, not an expected wait: on two cores busy with other test suites,
 * the JVM has taken more than 30 s to answer.
 */
export const EMULATOR_START_TIMEOUT_MS = 60_000;

/** Polls `probe` until it succeeds, the process exits, or the deadline passes. */
export const waitUntil = async (
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; process?: ChildProcess; output?: () => string },
): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.process && options.process.exitCode !== null) {
      throw new LocalRuntimeError(
        `${what} exited during start-up (code ${options.process.exitCode}).\n${options.output?.() ?? ''}`.trim(),
      );
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LocalRuntimeError(
    `${what} did not become ready within ${options.timeoutMs / 1000} s.\n${options.output?.() ?? ''}`,
  );
};

/** Stops a child process: SIGTERM, then SIGKILL if it lingers. */
export const stopProcess = async (child: ChildProcess, graceMs = 3_000): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
};

/** Keeps the last lines a child printed, to explain a failed start. */
export const captureOutput = (child: ChildProcess, maxChars = 4_000): (() => string) => {
  let buffer = '';
  const append = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-maxChars);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => buffer;
};

export { spawn };
