/**
 * `npm run bench`: the project's benchmarks, with ratios measured side by side in one run, written as
 * JSON and a markdown table under docs/bench/. Not part of `npm test`. Sections (each prints its
 * progress): the build (bundling pass, cdk synth of one stage and of all stages), bundles vs the floor,
 * handler overhead (full chain vs bare), DynamoDB cost per route, analytics at 100 vs 10,000 users,
 * batch ingestion vs a direct BatchWriteItem, and the cost model built from all of them.
 *
 *   BENCH_RUNS (bundle init samples, 7) · BENCH_OVERHEAD_RUNS (500) · BENCH_INGEST_RUNS (3) ·
 *   BENCH_ANALYTICS_RUNS (300) ·
 *   BENCH_ONLY=build,bundles,overhead,cost,analytics,suppression,ingest,costmodel,console (a subset; the page
 *   then shows only those; costmodel brings the sections it is computed from)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkAnalytics, type AggregatorCost, type AnalyticsScale } from './analytics.ts';
import { benchmarkSuppression, type SuppressionCost } from './suppression.ts';
import { benchmarkBuild, type BuildResult } from './build.ts';
import { benchmarkConsole, consoleSection, type ConsoleBenchmark } from './console.ts';
import {
  BUNDLE_TARGETS,
  benchmarkBundles,
  FIXTURES_EVERY,
  INIT_PERCENTILE,
  type BundleBenchmark,
} from './bundles.ts';
import { benchmarkDynamoDbCost, costTable, type RouteCost } from './dynamodb-cost.ts';
import {
  accessLogLineBytes,
  costModel,
  costModelMarkdown,
  measureEmfLineBytes,
  type CostModelResult,
} from './cost-model.ts';
import { benchmarkOverhead, OVERHEAD_TARGET_P50, overheadTable, type OverheadRun } from './overhead.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

const TARGETS = { analytics: 1.2 } as const;
const SECTIONS = [
  'build',
  'bundles',
  'overhead',
  'cost',
  'analytics',
  'suppression',
  'ingest',
  'costmodel',
  'console',
] as const;
type Section = (typeof SECTIONS)[number];
/** What the cost model is computed from. */
const COST_MODEL_INPUTS: readonly Section[] = ['build', 'bundles', 'cost', 'analytics', 'ingest'];

interface IngestResult {
  items: number;
  concurrency: number;
  runs: number;
  apiItemsPerSecond: number;
  replayItemsPerSecond: number;
  directBatchWriteItemsPerSecond: number;
  apiToFloorRatio: number;
  apiToFloorRatios: number[];
  warmupItems: number;
  directStoragePatternItemsPerSecond: number;
  apiToStoragePatternRatio: number;
  directAtomicItemsPerSecond: number;
  atomicToFloorRatio: number;
  atomicToFloorRatios: number[];
  perAnalysis: { readUnits: number; writeUnits: number };
  batchHandlerMsMedian: number;
  batchSize: number;
  usersPerBatch: number;
}

const runIngest = (): IngestResult => {
  const out = join(mkdtempSync(join(tmpdir(), 'mha-ingest-')), 'ingest.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/ingest.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_RUNS: process.env.BENCH_INGEST_RUNS ?? '3', BENCH_INGEST_OUT: out },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return JSON.parse(readFileSync(out, 'utf8')) as IngestResult;
};

const bundleSection = ({ results, pass }: BundleBenchmark, runs: number) => {
  const floor = results.find((b) => b.name === 'floor')!;
  const cognitoFloor = results.find((b) => b.name === 'cognitoFloor')!;
  const functions = results.filter((b) => b.floor !== undefined);
  const within = functions.filter((b) => b.withinTargets);
  const rows = results.map(
    (b) =>
      `| ${b.name} | ${b.floor === 'cognitoFloor' ? 'Cognito' : b.floor ? 'DynamoDB' : '—'} | ${(b.bytes / 1024).toFixed(0)} | ${b.sizeRatio.toFixed(2)} | ${b.initMs.toFixed(1)} | ${b.initRatio.toFixed(2)} | ${b.initMsMedian.toFixed(1)} | ${b.initMedianRatio.toFixed(2)} | ${
        b.withinTargets === undefined ? '—' : b.withinTargets ? 'yes' : 'no'
      } |`,
  );
  const oversize = functions.filter((b) => !b.withinTargets);
  const reasons = oversize.map(
    (b) => `- ${b.name}: ${(b.beyondFloor ?? []).map((row) => `${row.package} +${row.kb} KB`).join(', ')}`,
  );
  return {
    summary: `${within.length} of ${functions.length} functions within both bundle targets`,
    markdown: `## Function bundles versus the floor

The functions are the directories the CDK deploys, from the one bundling pass over all ${pass.functions}
functions (${Math.round(pass.ms)} ms in this run, ${pass.built ? 'built by esbuild' : 'answered by its cache'}). Floors, built with
the same esbuild options in the same run: a handler that only sends one GetCommand with the bundled
document client (${(floor.bytes / 1024).toFixed(0)} KB, ${floor.initMs.toFixed(1)} ms init), and for functions that call Cognito on
their request path (their bundle carries the Cognito client) the document client plus the Cognito
client, one call each (${(cognitoFloor.bytes / 1024).toFixed(0)} KB, ${cognitoFloor.initMs.toFixed(1)} ms init). Init = import of the bundle in a fresh Node
process: ${runs} rounds, every function once per round in a new order, the floors imported again after every
${FIXTURES_EVERY} functions (${runs} samples per function, ${floor.initMsSamples.length} per floor), wall time. Targets: size ≤ ${BUNDLE_TARGETS.size}× and init
≤ ${BUNDLE_TARGETS.init}× the function's floor, measured in the same run.
${within.length} of ${functions.length} functions meet both.

Init compares the ${INIT_PERCENTILE}th percentiles of the samples (the time a quarter of the imports beat), the
function's and its floor's alike; medians are shown beside them. V8 runs part of an import on the
second core, and on this machine that core is busy now and then: the samples of one bundle are fast or
slow with it, and the medians of whole runs put two or three different functions over the target
each time. Contention only adds time, so the lower quartile estimates the import with both cores free,
as Lambda's init phase runs it (bench/bundles.ts has the measurements).

| function | floor | KB | size × floor | init ms (p${INIT_PERCENTILE}) | init × floor | median ms | median × floor | within targets |
|---|---|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}
${
  oversize.length
    ? `
What the functions over a target carry beyond their floor (esbuild metafile of the pass):

${reasons.join('\n')}
`
    : ''
}`,
  };
};

const overheadSection = ({ routes: results, callerCheck }: OverheadRun) => ({
  summary: `handler overhead p50 ${results.map((r) => `${r.kind} ${r.ratioP50.toFixed(2)}×`).join(', ')} (target ≤ ${OVERHEAD_TARGET_P50}×); caller check alone p50 ${callerCheck.p50Ms.toFixed(2)} ms`,
  markdown: `## Handler overhead: the full Middy chain versus a bare handler

The real handler (Middy: logger, metrics, CORS, headers, claims, role check, body parsing, zod validation,
error mapping, audit) against a bare handler sending the same DynamoDB calls (checked equal in the run),
${results[0]?.runs ?? '?'} requests each, interleaved, in-process against DynamoDB Local. Target: ≤ ${OVERHEAD_TARGET_P50}× at p50. The p99
of a few hundred samples is the few slowest requests: machine noise, shown for completeness.

${overheadTable(results)}

Calls per request: ${results.map((r) => `${r.route}: ${r.calls.join(', ')}`).join('; ')}.

Both routes carry the per-request check of the caller's account and sign-in in a call they make
anyway (the read: the profile GetItem, made strongly consistent; the write: a ConditionCheck in its
transaction). Where no call of a route can carry it, the chain makes it on its own — one strongly
consistent GetItem of the caller's profile: p50 ${callerCheck.p50Ms.toFixed(2)} ms, p99 ${callerCheck.p99Ms.toFixed(2)} ms over
${callerCheck.runs} checks, in the same process. Which routes pay that round trip is in the cost table below.
`,
});

const costSection = (costs: RouteCost[]) => {
  const misses = costs.filter((c) => !c.withinTarget);
  return {
    summary: `DynamoDB cost: ${costs.length - misses.length} of ${costs.length} routes within target${misses.length ? ` (misses: ${misses.map((c) => c.route).join(', ')})` : ''}`,
    markdown: `## DynamoDB cost per route

Every route, called by every caller the authorization matrix expects to succeed (and, for routes whose
matrix calls fail on purpose, one successful call of its own), through the local gateway; the local
runtime meters each invocation (round trips = SDK sends; capacity = DynamoDB Local's ConsumedCapacity,
TOTAL). Targets: a read route ≤ 2 round trips (clinicians' and managers' reads check their permission in
the same transaction that records the read); a write puts everything it writes in one call. The export
reads all of a user's data page by page and is exempt. auth.confirm cannot succeed locally (cognito-local
confirms at sign-up) and is not listed.

${costTable(costs)}
`,
  };
};

const analyticsSection = ({
  scales: analytics,
  aggregator,
}: {
  scales: AnalyticsScale[];
  aggregator: AggregatorCost;
}) => {
  const rows = analytics.map(
    (a) =>
      `| ${a.route} | ${a.users} | ${a.p50Ms.toFixed(1)} | ${a.p99Ms.toFixed(1)} | ${a.roundTrips} | ${a.readCapacity} |`,
  );
  const ratios = [...new Set(analytics.map((a) => a.route))].map((route) => {
    const [small, large] = [100, 10_000].map((users) =>
      analytics.find((a) => a.route === route && a.users === users)!,
    );
    return `${route}: p50 ${(large!.p50Ms / small!.p50Ms).toFixed(2)}×, read capacity ${large!.readCapacity} vs ${small!.readCapacity}, round trips ${large!.roundTrips} vs ${small!.roundTrips}`;
  });
  return {
    summary: `analytics 10,000 vs 100 users: ${ratios.map((r) => r.split(',')[0]).join('; ')} (target ≤ ${TARGETS.analytics}×)`,
    markdown: `## Analytics reads at 100 vs 10,000 users

The same 10 departments filled with one analysis per user through the real stream aggregator, then
${process.env.BENCH_ANALYTICS_RUNS ?? 300} requests per route served in-process against DynamoDB Local (after 20 warm-up requests). Target: 10,000
users within ${TARGETS.analytics}× of 100 users.

| route | users | p50 ms | p99 ms | DynamoDB round trips / request | read capacity / request |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

${ratios.map((line) => `- ${line}`).join('\n')}

Seeding the ${aggregator.records.toLocaleString('en-US')} analyses through the stream aggregator cost ${aggregator.writeUnitsPerRecord} write units and
${aggregator.readUnitsPerRecord} read units per analysis (${aggregator.msPerRecord} ms each): the rollups' write amplification, used by the
cost model.
`,
  };
};

const suppressionSection = (costs: SuppressionCost[]) => ({
  summary: `suppression decision: ${costs.map((c) => `${c.departments} departments p50 ${c.p50Ms} ms (first ${c.firstMs} ms)`).join(', ')}`,
  markdown: `## Suppression at request time

decideSuppression (primary, complementary, the exact audit; docs/anonymity.md) on one month of a
deterministic organisation, in a fresh process per size: the first decision (a cold start), then 50 more.
The overview decides twice per request (the month and the one before).

| departments | people | first ms | p50 ms | p99 ms | audit rounds |
|---:|---:|---:|---:|---:|---:|
${costs.map((c) => `| ${c.departments} | ${c.people} | ${c.firstMs} | ${c.p50Ms} | ${c.p99Ms} | ${c.auditRounds} |`).join('\n')}
`,
});

const ingestSection = (ingest: IngestResult) => ({
  summary: `ingest ${ingest.apiItemsPerSecond} items/s via the API vs ${ingest.directBatchWriteItemsPerSecond} direct BatchWriteItem (${ingest.apiToFloorRatio}×)`,
  markdown: `## Batch ingestion

${ingest.items} analyses through POST /analyses/video/batch (${ingest.batchSize} per request, ${ingest.usersPerBatch} users in each, ${ingest.concurrency} in flight,
each with an Idempotency-Key), then every batch retried with the same key; exactly ${ingest.items} records (beside the floor's) checked
after each run. Side by side: a direct BatchWriteItem of the same items for the same users (the floor), and
the route's storage pattern without the API (per packed transaction, one audit-sized record per user
naming the user's analyses, committed before the analyses themselves go out by BatchWriteItem), and the
design that would make every analysis atomic with its audit record (per transaction of at most 99
actions, each user's account check, conditional puts of the user's analyses and one audit record
naming them; its ratio is the median of each run's own, ${ingest.atomicToFloorRatios.map((r) => r.toFixed(2)).join(', ')}). Each
phase starts once the stream aggregator has caught up. A warm-up run of ${ingest.warmupItems} analyses through every path comes
first and is not counted (DynamoDB Local's JVM compiles its hot paths then). Within a run the paths take
turns on slices of 2,000 analyses, the order rotating from slice to slice, and each path's time is summed
over the slices: the machine's speed drifts within minutes (a direct BatchWriteItem block once measured
1,581 and 2,448 items/s in one run), so paths timed in blocks minutes apart were compared under different
conditions. Rates are medians of ${ingest.runs} runs; the API's ratio to the floor is the median of each
run's own ratio (${ingest.apiToFloorRatios.map((r) => r.toFixed(2)).join(', ')}).

| path | items/s | × direct BatchWriteItem |
|---|---:|---:|
| API batch route | ${ingest.apiItemsPerSecond} | ${ingest.apiToFloorRatio.toFixed(2)} |
| API retries (replays) | ${ingest.replayItemsPerSecond} | ${(ingest.replayItemsPerSecond / ingest.directBatchWriteItemsPerSecond).toFixed(2)} |
| direct audit transaction, then BatchWriteItem (the route's pattern) | ${ingest.directStoragePatternItemsPerSecond} | ${(ingest.directStoragePatternItemsPerSecond / ingest.directBatchWriteItemsPerSecond).toFixed(2)} |
| direct atomic transactions (each analysis in a transaction with its audit record) | ${ingest.directAtomicItemsPerSecond} | ${ingest.atomicToFloorRatio.toFixed(2)} |
| direct BatchWriteItem | ${ingest.directBatchWriteItemsPerSecond} | 1.00 |

The API reaches ${ingest.apiToStoragePatternRatio}× of the same storage pattern sent directly. A stored analysis cost ${ingest.perAnalysis.writeUnits.toFixed(2)} write units
and ${ingest.perAnalysis.readUnits.toFixed(2)} read units (the idempotency record, the account checks, audit records and analyses), a
batch request ${ingest.batchHandlerMsMedian.toFixed(0)} ms of handler time (median).
`,
});

const buildSection = (build: BuildResult) => ({
  summary: `build: cdk synth of one stage ${(build.cdkSynthOneStageMs / 1000).toFixed(1)} s, all ${build.stages.length} stages in one process ${(build.allStagesInOneProcessMs / 1000).toFixed(1)} s, bundling pass ${(build.bundlePass.freshMs / 1000).toFixed(1)} s fresh / ${build.bundlePass.cachedMs.toFixed(0)} ms cached`,
  markdown: `## Build

| step | time |
|---|---:|
| bundling pass, ${build.bundlePass.functions} functions in one esbuild invocation (fresh build directory) | ${(build.bundlePass.freshMs / 1000).toFixed(2)} s |
| bundling pass again (its cache answers) | ${build.bundlePass.cachedMs.toFixed(0)} ms |
| \`npx cdk synth -c stage=dev -q\` (CLI, cdk-nag on, bundles cached) | ${(build.cdkSynthOneStageMs / 1000).toFixed(1)} s |
| every stage synthesized in one process (cdk-nag on, one pass shared) | ${(build.allStagesInOneProcessMs / 1000).toFixed(1)} s (${build.stages.map((stage) => `${stage.stage} ${(stage.synthMs / 1000).toFixed(1)} s`).join(', ')}) |

The first stage of a process pays for loading aws-cdk-lib, cdk-nag and the CloudFormation validation
engine; the others reuse them and the bundling pass. See docs/build.md.
`,
});

const main = async () => {
  // Rounds of bundle imports: 15 samples per function. With 7, one burst of load on the 2-core machine
  // moved a function's median by 20 ms (health.get 1.33× where the same code as health.database was
  // 1.15× in the same run); ingestion reads BENCH_RUNS too, with its own default (bench/ingest.ts).
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const only = new Set(
    (process.env.BENCH_ONLY ?? SECTIONS.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is Section => (SECTIONS as readonly string[]).includes(s)),
  );
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const log = (line: string) => console.log(line);
  console.log(`Benchmarks on ${machine}: ${[...only].join(', ')}`);
  if (only.has('costmodel')) for (const input of COST_MODEL_INPUTS) only.add(input);
  const results: Partial<{
    build: BuildResult;
    bundles: BundleBenchmark;
    overhead: OverheadRun;
    cost: RouteCost[];
    analytics: { scales: AnalyticsScale[]; aggregator: AggregatorCost };
    suppression: SuppressionCost[];
    ingest: IngestResult;
    costModel: CostModelResult;
    console: ConsoleBenchmark;
  }> = {};
  const sections: Array<{ summary: string; markdown: string }> = [];

  if (only.has('build')) {
    console.log('\n[build] the bundling pass, cdk synth of one stage, every stage in one process:');
    results.build = benchmarkBuild(log);
    sections.push(buildSection(results.build));
  }
  if (only.has('bundles')) {
    console.log(`\n[bundles] esbuild as in the CDK; init = import in a fresh process, median of ${runs}:`);
    results.bundles = await benchmarkBundles({ runs, log });
    sections.push(bundleSection(results.bundles, runs));
  }
  if (only.has('overhead')) {
    console.log('\n[overhead] full Middy chain vs bare handler (DynamoDB Local, in-process):');
    results.overhead = await benchmarkOverhead(log);
    sections.push(overheadSection(results.overhead));
  }
  if (only.has('cost')) {
    console.log('\n[cost] DynamoDB round trips and consumed capacity per route:');
    results.cost = benchmarkDynamoDbCost(log);
    sections.push(costSection(results.cost));
  }
  if (only.has('analytics')) {
    console.log('\n[analytics] reads at 100 vs 10,000 users (DynamoDB Local, in-process handlers):');
    results.analytics = await benchmarkAnalytics(log);
    sections.push(analyticsSection(results.analytics));
  }
  if (only.has('suppression')) {
    console.log('\n[suppression] the decision at request time, 10 and 50 departments:');
    results.suppression = benchmarkSuppression();
    sections.push(suppressionSection(results.suppression));
  }
  if (only.has('ingest')) {
    console.log('\n[ingest] batch route vs direct BatchWriteItem (local runtime, loopback):');
    results.ingest = runIngest();
    sections.push(ingestSection(results.ingest));
  }
  if (only.has('console')) {
    console.log("\n[console] the web console's initial load against its budget:");
    results.console = benchmarkConsole(log);
    sections.push(consoleSection(results.console));
  }
  if (only.has('costmodel')) {
    console.log('\n[costmodel] the workload multiplied out at list prices, per stage:');
    const { build, bundles, cost, analytics, ingest } = results;
    results.costModel = costModel({
      routes: cost!,
      ingest: ingest!,
      aggregator: analytics!.aggregator,
      initMs: Object.fromEntries((bundles?.results ?? []).map((b) => [b.name, b.initMsMedian])),
      stages: build!.stages,
      emfLineBytes: measureEmfLineBytes(),
      accessLogLineBytes: accessLogLineBytes(),
    });
    const section = costModelMarkdown(results.costModel);
    log(`  ${section.summary}`);
    sections.push(section);
  }

  const markdown = `# Benchmarks

Run with \`npm run bench\` on ${machine}, ${new Date().toISOString()}. Ratios are measured side by side in
this one run; raw numbers beside them. The machine is shared and noisy: compare ratios, not
absolute times, between runs. Raw data: [results.json](results.json).

## Summary

${sections.map((s) => `- ${s.summary}`).join('\n')}

${sections.map((s) => s.markdown).join('\n')}`;
  const outDir = join(REPO_ROOT, 'docs', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'results.json'),
    `${JSON.stringify({ machine, at: new Date().toISOString(), runs, ...results }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, 'README.md'), markdown);
  console.log(`\n${sections.map((s) => s.summary).join('\n')}`);
  console.log('Written: docs/bench/README.md, docs/bench/results.json');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
