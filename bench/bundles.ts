/**
 * Bundle size and module-init time of every route function, against its floor, all measured in the
 * same run. The functions are the directories the CDK deploys, from the one bundling pass
 * (lib/build/function-bundles.ts; built now, or taken from its cache when nothing changed); the floors
 * and the empty handler are built by a pass of their own with the same esbuild options:
 * - floor: one GetCommand with the bundled DynamoDB document client;
 * - Cognito floor: the document client and the Cognito client, one call each. A function whose bundle
 *   carries the Cognito client (it calls Cognito on its request path: sign-up, sign-in, account
 *   changes) is measured against this one.
 * What each bundle carries is read from the pass's esbuild metafile: the packages it holds beyond its
 * floor are listed for every function over a target.
 *
 * Init is compared by lower quartiles of wall time, not medians. Lambda runs a function's init with
 * more CPU than its memory gives the handler (burst CPU), which an import with both of this machine's
 * cores free resembles. Here, though, the second core is busy now and then — other work, or the host
 * under this VM — and V8's compile and GC threads then lose it: one bundle's imports came out at about
 * 130 or 180 ms with nothing else running, the floor's at 117 ms with both cores free and 136 and 168
 * ms pinned to either core, and in one run even the CPU time of every import rose by a tenth for
 * minutes. The medians of such runs put two or three different functions over 1.25× each time (1.31×
 * and 1.34× for functions at 1.20× and 1.17× in the run before). Contention only ever adds time, so
 * the time a quarter of the imports beat estimates the uncontended import as long as at least a quarter
 * of them ran uncontended; it is taken alike for a function's samples and its floor's. The medians are
 * shown beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLE_FILE,
  bundleComposition,
  bundleFunctions,
  serviceFunctionEntries,
  type FunctionBundle,
} from '../lib/build/function-bundles.ts';
import { loadStageConfig } from '../lib/config/index.ts';
import { cognitoIssuerUrl, runtimeEnvironment } from '../lib/config/runtime-environment.ts';
import { routeTable } from '../shared/contract/routes.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../shared/contract/runtime-env.ts';
import { median, percentile } from './support.ts';

export const BUNDLE_TARGETS = { size: 1.3, init: 1.25 } as const;

/** The init statistic: the nearest-rank 25th percentile of the wall-time samples (see above). */
export const INIT_PERCENTILE = 25;
const initStatistic = (samples: readonly number[]) => percentile(samples, INIT_PERCENTILE);

/** The package that makes a function a Cognito caller, and so measured against the Cognito floor. */
const COGNITO_CLIENT = '@aws-sdk/client-cognito-identity-provider';

const FIXTURES = {
  floor: 'bench/fixtures/floor.ts',
  cognitoFloor: 'bench/fixtures/floor-cognito.ts',
  empty: 'bench/fixtures/empty.ts',
} as const;

export interface BundleResult {
  name: string;
  entry: string;
  /** `floor`, `cognitoFloor` for functions; undefined for the fixtures themselves. */
  floor?: 'floor' | 'cognitoFloor';
  /** Everything the function ships: the bundle and the files written beside it (no source map). */
  bytes: number;
  /** The 25th percentile of the import's wall time (ms): what the init target compares. */
  initMs: number;
  initMsMedian: number;
  initMsSamples: number[];
  sizeRatio: number;
  /** initMs over the floor's. */
  initRatio: number;
  /** initMsMedian over the floor's (shown, not a target). */
  initMedianRatio: number;
  withinTargets?: boolean;
  /** For a function over a target: the packages it carries beyond its floor, largest first (KB). */
  beyondFloor?: Array<{ package: string; kb: number }>;
}

export interface BundleBenchmark {
  results: BundleResult[];
  /** The function pass: milliseconds, and whether esbuild ran or its cache answered. */
  pass: { ms: number; built: boolean; functions: number };
}

/**
 * The environment of a deployed route function (the prod stage's settings, bench values for the stack's
 * resources), so that module init parses what it parses in AWS. Logs and metrics are switched off.
 */
const FUNCTION_ENV = {
  ...runtimeEnvironment(loadStageConfig('prod'), {
    tableName: 'mha-bench-data',
    userPoolId: 'eu-west-1_Bench',
    cognitoIssuer: cognitoIssuerUrl('eu-west-1', 'eu-west-1_Bench'),
    apiClientId: 'bench',
    cursorSecret: 'bench-cursor-secret-0123456789abcdef0123456789',
  }),
  [ENV.stage]: 'bench',
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

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** Packages of `composition` beyond what `floor` holds of them, largest first. */
const beyond = (composition: Map<string, number>, floor: Map<string, number>) =>
  [...composition]
    .map(([name, bytes]) => ({ package: name, kb: kb(bytes - (floor.get(name) ?? 0)) }))
    .filter((row) => row.kb >= 0.5)
    .sort((a, b) => b.kb - a.kb)
    .slice(0, 8);

/** The fixtures are imported again after every this many functions of a round. */
export const FIXTURES_EVERY = 6;

/** The functions in a different order each round (a fixed seed per round: runs are comparable). */
const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const order = [...items];
  let state = (seed * 2654435761 + 1) >>> 0;
  for (let i = order.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
};

/**
 * Takes the function pass (building it if its cache is stale) and the fixtures' pass, then samples init
 * times in rounds: every function once per round, in a new order each round, with the fixtures (the
 * floors) imported again after every FIXTURES_EVERY (6) functions. Every import is the same fresh-process
 * import, so the floors and the functions are measured alike; a change in the machine's load during the
 * run shifts both instead of skewing the ratios of whichever bundles happened to be measured then, and
 * each floor's median rests on many samples taken all through the run (a floor median that came out
 * low by chance used to push every function's init ratio up at once).
 */
export const benchmarkBundles = async (options: {
  runs: number;
  log: (line: string) => void;
}): Promise<BundleBenchmark> => {
  const functionPass = bundleFunctions(serviceFunctionEntries());
  options.log(
    `  function pass: ${functionPass.bundles.size} functions in ${Math.round(functionPass.ms)} ms (${functionPass.built ? 'built' : 'cache'})`,
  );
  const fixturePass = bundleFunctions(Object.values(FIXTURES), {
    buildDir: mkdtempSync(join(tmpdir(), 'mha-bench-fixtures-')),
  });
  const fixture = (entry: string): FunctionBundle => fixturePass.bundles.get(entry)!;
  const measured: Array<{ name: string; bundle: FunctionBundle; samples: number[] }> = [
    { name: 'floor', bundle: fixture(FIXTURES.floor), samples: [] },
    { name: 'cognitoFloor', bundle: fixture(FIXTURES.cognitoFloor), samples: [] },
    { name: 'empty', bundle: fixture(FIXTURES.empty), samples: [] },
    ...routeTable.map((route) => ({
      name: route.id,
      bundle: functionPass.bundles.get(route.handler)!,
      samples: [] as number[],
    })),
  ];
  const fixtures = measured.slice(0, 3);
  const functions = measured.slice(3);
  const sample = (m: (typeof measured)[number]) => m.samples.push(initTime(join(m.bundle.dir, BUNDLE_FILE)));
  options.log(
    `  ${measured.length} bundles; ${options.runs} rounds of imports, the fixtures after every ${FIXTURES_EVERY} functions`,
  );
  for (let round = 0; round < options.runs; round++) {
    shuffled(functions, round).forEach((m, index) => {
      if (index % FIXTURES_EVERY === 0) fixtures.forEach(sample);
      sample(m);
    });
  }

  const compositions = {
    floor: bundleComposition(fixturePass.metafilePath, FIXTURES.floor),
    cognitoFloor: bundleComposition(fixturePass.metafilePath, FIXTURES.cognitoFloor),
  };
  const floors = {
    floor: measured[0]!,
    cognitoFloor: measured[1]!,
  };
  return {
    pass: { ms: functionPass.ms, built: functionPass.built, functions: functionPass.bundles.size },
    results: measured.map(({ name, bundle, samples }, index): BundleResult => {
      const initMs = initStatistic(samples);
      const initMsMedian = median(samples);
      const isFixture = index < 3;
      const composition = isFixture ? undefined : bundleComposition(functionPass.metafilePath, bundle.entry);
      const floorName = isFixture ? undefined : composition?.has(COGNITO_CLIENT) ? 'cognitoFloor' : 'floor';
      const reference = floors[floorName ?? 'floor'];
      const sizeRatio = bundle.bytes / reference.bundle.bytes;
      const initRatio = initMs / initStatistic(reference.samples);
      const initMedianRatio = initMsMedian / median(reference.samples);
      const withinTargets = isFixture
        ? undefined
        : sizeRatio <= BUNDLE_TARGETS.size && initRatio <= BUNDLE_TARGETS.init;
      options.log(
        `  [${index + 1}/${measured.length}] ${name}: ${kb(bundle.bytes)} KB (${sizeRatio.toFixed(2)}×), init ${initMs.toFixed(1)} ms (${initRatio.toFixed(2)}×), median ${initMsMedian.toFixed(1)} ms (${initMedianRatio.toFixed(2)}×)${floorName === 'cognitoFloor' ? ' vs the Cognito floor' : ''}`,
      );
      return {
        name,
        entry: bundle.entry,
        ...(floorName ? { floor: floorName } : {}),
        bytes: bundle.bytes,
        initMs,
        initMsMedian,
        initMsSamples: samples,
        sizeRatio,
        initRatio,
        initMedianRatio,
        ...(withinTargets === undefined ? {} : { withinTargets }),
        ...(composition && withinTargets === false && floorName
          ? { beyondFloor: beyond(composition, compositions[floorName]) }
          : {}),
      };
    }),
  };
};
