import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * The infra project's one test file: every other `*.test.ts` of this folder, each in a suite named after
 * it, collected in one worker. aws-cdk-lib, the CloudFormation validation engine and the bundling pass
 * then load once per run and test/infra/synth.ts synthesizes each stage once for all of them. As files of
 * their own they were spread over both workers of `npm test`, and each worker loaded and synthesized all
 * of that again: about 30 s more CPU in a run bound by CPU (docs/testing.md, "Where the time goes").
 *
 * `INFRA_FILES=nag,api npx vitest run --project infra` runs only those files (names without
 * `.test.ts`); a name that matches no file fails the run rather than running nothing.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const self = path.basename(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts') && name !== self)
  .sort();

const wanted = process.env.INFRA_FILES?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = (wanted ?? []).filter((name) => !all.includes(`${name}.test.ts`));
if (unknown.length > 0)
  throw new Error(`INFRA_FILES names no file here: ${unknown.join(', ')} (files: ${all.join(', ')})`);
const files = wanted ? all.filter((name) => wanted.includes(name.replace(/\.test\.ts$/, ''))) : all;

for (const file of files) {
  // Imported while this suite is collected, so the file's suites and hooks are this suite's children,
  // as they were the file's when it ran alone.
  describe(file, async () => {
    await import(path.join(here, file));
  });
}
