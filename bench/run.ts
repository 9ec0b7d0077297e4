/**
 * `npm run bench`: the benchmarks of QUALITY.md, with ratios measured side by side in one run, written
 * as JSON and a markdown table under docs/bench/. Not part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/local/runtime.ts';
import { benchmarkAnalytics } from './analytics.ts';
import { benchmarkBundles } from './bundles.ts';

const TARGETS = { bundleSize: 1.3, bundleInit: 1.25 } as const;

const main = async () => {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`Benchmarks on ${machine}`);
  console.log(`Bundles (esbuild as in the CDK), init = import in a fresh process, median of ${runs}:`);
  const bundles = await benchmarkBundles({ runs, log: (line) => console.log(line) });

  console.log('Analytics reads at 100 vs 10,000 users (DynamoDB Local, in-process handlers):');
  const analytics = await benchmarkAnalytics((line) => console.log(line));
  const analyticsRows = analytics.map(
    (a) =>
      `| ${a.route} | ${a.users} | ${a.p50Ms.toFixed(1)} | ${a.p99Ms.toFixed(1)} | ${a.roundTrips} | ${a.readCapacity} |`,
  );
  const ratio = (route: string) => {
    const [small, large] = [100, 10_000].map((users) =>
      analytics.find((a) => a.route === route && a.users === users)!,
    );
    return `${route}: p50 ${(large!.p50Ms / small!.p50Ms).toFixed(2)}×, read capacity ${large!.readCapacity} vs ${small!.readCapacity}, round trips ${large!.roundTrips} vs ${small!.roundTrips}`;
  };
  const analyticsRatios = [...new Set(analytics.map((a) => a.route))].map(ratio);

  const floor = bundles.find((b) => b.name === 'floor')!;
  const functions = bundles.filter((b) => b.name !== 'floor' && b.name !== 'empty');
  const rows = bundles.map(
    (b) =>
      `| ${b.name} | ${(b.bytes / 1024).toFixed(0)} | ${b.sizeRatio.toFixed(2)} | ${b.initMsMedian.toFixed(1)} | ${b.initRatio.toFixed(2)} | ${
        b.name === 'floor' || b.name === 'empty'
          ? '—'
          : b.sizeRatio <= TARGETS.bundleSize && b.initRatio <= TARGETS.bundleInit
            ? 'yes'
            : 'no'
      } |`,
  );
  const within = functions.filter(
    (b) => b.sizeRatio <= TARGETS.bundleSize && b.initRatio <= TARGETS.bundleInit,
  );
  const markdown = `# Benchmarks

Run with \`npm run bench\` on ${machine}, ${new Date().toISOString()}.

## Function bundles versus the floor

Floor: a handler that only sends one GetCommand with the bundled document client (${(floor.bytes / 1024).toFixed(0)} KB,
${floor.initMsMedian.toFixed(1)} ms init). Targets: size ≤ ${TARGETS.bundleSize}× and init ≤ ${TARGETS.bundleInit}× the floor,
measured in the same run. ${within.length} of ${functions.length} functions meet both.

| function | KB | size × floor | init ms (median of ${runs}) | init × floor | within targets |
|---|---:|---:|---:|---:|---|
${rows.join('\n')}

## Analytics reads at 100 vs 10,000 users

The same 10 departments filled with one analysis per user through the real stream aggregator, then 50
requests per route served in-process against DynamoDB Local (after 5 warm-up requests). Target: 10,000
users within 1.2× of 100 users.

| route | users | p50 ms | p99 ms | DynamoDB round trips / request | read capacity / request |
|---|---:|---:|---:|---:|---:|
${analyticsRows.join('\n')}

${analyticsRatios.map((line) => `- ${line}`).join('\n')}
`;
  const outDir = join(REPO_ROOT, 'docs', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'results.json'),
    `${JSON.stringify({ machine, runs, bundles, analytics }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, 'README.md'), markdown);
  console.log(
    `\n${within.length}/${functions.length} functions within targets. Written: docs/bench/README.md, docs/bench/results.json`,
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
