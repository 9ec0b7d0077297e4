/**
 * Bundle size and module-init time of every function, against the floor (one GetCommand with the
 * bundled document client) and an empty handler, all bundled and measured in the same run with the
 * options the CDK deploys with (FUNCTION_BUNDLING and afterBundlingCommands of
 * lib/constructs/api-function.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { loadStageConfig } from '../lib/config/index.ts';
import { afterBundlingCommands, apiEnvironment, FUNCTION_BUNDLING } from '../lib/constructs/api-function.ts';
import { REPO_ROOT } from '../lib/local/runtime.ts';
import { routeTable } from '../shared/contract/routes.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../shared/contract/runtime-env.ts';
import { median } from './support.ts';

export interface BundleResult {
  name: string;
  entry: string;
  /** Everything the function ships: the bundle and the files written beside it (no source map). */
  bytes: number;
  initMsMedian: number;
  initMsSamples: number[];
  sizeRatio: number;
  initRatio: number;
}

/** Bundles one entry into its own directory, as the CDK builds a function's asset, and returns the bundle. */
const bundle = async (entry: string, assetDir: string): Promise<string> => {
  mkdirSync(assetDir, { recursive: true });
  const outfile = join(assetDir, 'index.mjs');
  await build({
    ...FUNCTION_BUNDLING,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    logLevel: 'warning',
  });
  for (const command of afterBundlingCommands(entry, REPO_ROOT, assetDir)) {
    execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return outfile;
};

const assetBytes = (assetDir: string): number =>
  readdirSync(assetDir).reduce((sum, file) => sum + statSync(join(assetDir, file)).size, 0);

/**
 * The environment of a deployed route function (the prod stage's settings, bench values for the stack's
 * resources), so that module init parses what it parses in AWS. Logs and metrics are switched off.
 */
const FUNCTION_ENV = {
  [ENV.stage]: 'bench',
  [ENV.tableName]: 'mha-bench-data',
  [ENV.eventBusName]: 'mha-bench-risk',
  ...apiEnvironment(loadStageConfig('prod'), {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Bench',
    apiClientId: 'bench',
    cursorSecret: 'bench-cursor-secret-0123456789abcdef0123456789',
  }),
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** Import time of a bundle in a fresh Node process (what a cold start pays for module init). */
const initTime = (file: string): number =>
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
  );

/**
 * Builds every bundle, then samples their init times round-robin (one import of each bundle per
 * round) so that a change in the machine's load during the run shifts the floor and the functions
 * alike instead of skewing the ratios of whichever bundles happened to be measured then.
 */
export const benchmarkBundles = async (options: { runs: number; log: (line: string) => void }) => {
  const outdir = mkdtempSync(join(tmpdir(), 'mha-bench-'));
  const entries = [
    { name: 'floor', entry: 'bench/fixtures/floor.ts' },
    { name: 'empty', entry: 'bench/fixtures/empty.ts' },
    ...routeTable.map((route) => ({ name: route.id, entry: route.handler })),
  ];
  const built: Array<{ name: string; entry: string; file: string; bytes: number; samples: number[] }> = [];
  for (const { name, entry } of entries) {
    const assetDir = join(outdir, name.replace(/[^A-Za-z0-9-]/g, '-'));
    const file = await bundle(entry, assetDir);
    built.push({ name, entry, file, bytes: assetBytes(assetDir), samples: [] });
  }
  options.log(`  ${built.length} bundles built; ${options.runs} rounds of imports`);
  for (let round = 0; round < options.runs; round++) {
    for (const b of built) b.samples.push(initTime(b.file));
  }
  const floor = built[0]!;
  return built.map(({ name, entry, bytes, samples }, index): BundleResult => {
    const initMsMedian = median(samples);
    options.log(
      `  [${index + 1}/${built.length}] ${name}: ${(bytes / 1024).toFixed(0)} KB, init ${initMsMedian.toFixed(1)} ms`,
    );
    return {
      name,
      entry,
      bytes,
      initMsMedian,
      initMsSamples: samples,
      sizeRatio: bytes / floor.bytes,
      initRatio: initMsMedian / median(floor.samples),
    };
  });
};
