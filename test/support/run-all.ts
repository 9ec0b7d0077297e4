/**
 * `npm test`: the type check and lint (`npm run typecheck`, then `npm run lint`) side by side with
 * `vitest run`, instead of before it. Vitest spends its first seconds waiting on the emulators' start and
 * leaves a core idle whenever a file waits on a process of its own, and the checks fill those gaps
 * (docs/testing.md, "Where the time goes"). Vitest's output streams as it runs; the checks' output is
 * printed once both are done, and the run fails if either does. Arguments go to vitest
 * (`npm test -- test/unit/roles.test.ts`).
 */
import { spawn } from 'node:child_process';

interface Finished {
  readonly code: number;
  readonly seconds: number;
  readonly output: string;
}

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;

/** Runs a command to its end; `capture` keeps its output (stdout and stderr, interleaved) to print later. */
const run = (command: string, args: readonly string[], capture: boolean): Promise<Finished> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      resolve({ code: 1, seconds: elapsed(), output: `${output}${error.message}\n` }),
    );
    child.once('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), seconds: elapsed(), output }),
    );
  });

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The checks in `npm test`'s old order: lint only once the types hold. */
const checks = (async (): Promise<Finished> => {
  const typecheck = await run(npm, ['run', '--silent', 'typecheck'], true);
  if (typecheck.code !== 0) return { ...typecheck, output: `npm run typecheck failed:\n${typecheck.output}` };
  const lint = await run(npm, ['run', '--silent', 'lint'], true);
  return lint.code === 0 ? lint : { ...lint, output: `npm run lint failed:\n${lint.output}` };
})();
const tests = run('vitest', ['run', ...process.argv.slice(2)], false);

const [checked, tested] = await Promise.all([checks, tests]);
if (checked.code === 0) {
  process.stdout.write(
    `\nTypecheck and lint passed (done after ${checked.seconds.toFixed(1)} s, beside vitest).\n`,
  );
} else {
  process.stdout.write(`\n${checked.output}`);
}
process.exitCode = checked.code !== 0 || tested.code !== 0 ? 1 : 0;
