/**
 * Bundle size and module-init time of every function, against the floor (one GetCommand with the
 * bundled document client) and an empty handler, all bundled and measured in the same run with the
 * same esbuild options the CDK uses (lib/constructs/api-function.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ESM_REQUIRE_SHIM } from '../lib/constructs/api-function.ts';
import { REPO_ROOT } from '../lib/local/runtime.ts';
import { routeTable } from '../shared/contract/routes.ts';

export interface BundleResult {
  name: string;
  entry: string;
  bytes: number;
  initMsMedian: number;
  initMsSamples: number[];
  sizeRatio: number;
  initRatio: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const bundle = async (entry: string, outdir: string, name: string): Promise<string> => {
  const outfile = join(outdir, `${name}.mjs`);
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_SHIM },
    logLevel: 'warning',
  });
  return outfile;
};

/** Settings the handlers read at import, as a deployed function would have them. */
const FUNCTION_ENV = {
  STAGE: 'bench',
  TABLE_NAME: 'mha-bench-data',
  CORS_ORIGINS: 'https://app.example.com',
  COGNITO_USER_POOL_ID: 'eu-west-1_Bench',
  COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Bench',
  COGNITO_API_CLIENT_ID: 'bench',
  CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef0123456789',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Import time of a bundle in a fresh Node process (what a cold start pays for module init). */
const initTimes = (file: string, runs: number): number[] =>
  Array.from({ length: runs }, () =>
    Number(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`,
        ],
        { env: { ...process.env, ...FUNCTION_ENV }, encoding: 'utf8' },
      ),
    ),
  );

export const benchmarkBundles = async (options: { runs: number; log: (line: string) => void }) => {
  const outdir = mkdtempSync(join(tmpdir(), 'mha-bench-'));
  const entries = [
    { name: 'floor', entry: 'bench/fixtures/floor.ts' },
    { name: 'empty', entry: 'bench/fixtures/empty.ts' },
    ...routeTable.map((route) => ({ name: route.id, entry: route.handler })),
  ];
  const measured: Array<Omit<BundleResult, 'sizeRatio' | 'initRatio'>> = [];
  for (const [index, { name, entry }] of entries.entries()) {
    const file = await bundle(entry, outdir, name.replace(/[^A-Za-z0-9-]/g, '-'));
    const samples = initTimes(file, options.runs);
    measured.push({
      name,
      entry,
      bytes: statSync(file).size,
      initMsMedian: median(samples),
      initMsSamples: samples,
    });
    options.log(
      `  [${index + 1}/${entries.length}] ${name}: ${(statSync(file).size / 1024).toFixed(0)} KB, init ${median(samples).toFixed(1)} ms`,
    );
  }
  const floor = measured[0]!;
  return measured.map((m) => ({
    ...m,
    sizeRatio: m.bytes / floor.bytes,
    initRatio: m.initMsMedian / floor.initMsMedian,
  }));
};
