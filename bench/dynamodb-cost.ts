/**
 * DynamoDB cost per route (docs/testing.md): round trips and consumed capacity of every route, for every
 * caller that succeeds on it. Measured by the integration suite test/integration/dynamodb-cost.test.ts
 * (the local runtime meters each invocation, lib/local/dynamodb-meter.ts), run here as a child process
 * with MHA_COST_REPORT so the benchmark and the test read the same numbers; the test also holds the
 * targets, so a regression fails `npm test`, not only this table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COST_TARGET_EXCEPTIONS, costTargetMisses } from '../lib/local/dynamodb-meter.ts';
import type { CostRow } from '../test/integration/dynamodb-cost.test.ts';
import { median } from './support.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

export interface RouteCost {
  route: string;
  method: string;
  path: string;
  data: string;
  callers: number;
  minRoundTrips: number;
  maxRoundTrips: number;
  maxWriteCalls: number;
  maxReadUnits: number;
  maxWriteUnits: number;
  /** The commands of the costliest call. */
  commands: string[];
  withinTarget: boolean;
  /** Median handler duration of the successful calls (ms, local): the cost model's Lambda duration. */
  medianMs: number;
}

export const benchmarkDynamoDbCost = (log: (line: string) => void): RouteCost[] => {
  const report = join(mkdtempSync(join(tmpdir(), 'mha-cost-')), 'cost.json');
  log('  every route × every successful caller through the local gateway (vitest, integration project)…');
  try {
    execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--project',
        'integration',
        'test/integration/dynamodb-cost.test.ts',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, MHA_COST_REPORT: report },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  } catch (error) {
    // The suite failed (a target missed, or a route broke): the table still shows what was measured.
    if (!existsSync(report)) throw error;
    log(
      '  ! the cost suite failed (run `npx vitest run --project integration test/integration/dynamodb-cost.test.ts`)',
    );
  }
  const rows = JSON.parse(readFileSync(report, 'utf8')) as CostRow[];
  const byRoute = new Map<string, CostRow[]>();
  for (const row of rows) byRoute.set(row.route, [...(byRoute.get(row.route) ?? []), row]);
  return [...byRoute.values()].map((calls) => {
    const first = calls[0]!;
    const costliest = calls.reduce((a, b) => (b.cost.roundTrips > a.cost.roundTrips ? b : a));
    const maxRoundTrips = costliest.cost.roundTrips;
    const maxWriteCalls = Math.max(...calls.map((c) => c.cost.writeCalls));
    return {
      route: first.route,
      method: first.method,
      path: first.path,
      data: first.data,
      callers: calls.length,
      minRoundTrips: Math.min(...calls.map((c) => c.cost.roundTrips)),
      maxRoundTrips,
      maxWriteCalls,
      maxReadUnits: Math.max(...calls.map((c) => c.cost.readUnits)),
      maxWriteUnits: Math.max(...calls.map((c) => c.cost.writeUnits)),
      commands: costliest.cost.commands,
      withinTarget: calls.every((c) => costTargetMisses(c.route, c.data, c.cost).length === 0),
      medianMs: median(calls.map((c) => c.cost.ms)),
    };
  });
};

export const costTable = (costs: readonly RouteCost[]): string =>
  [
    '| route | data | callers | round trips | write calls | read units (max) | write units (max) | costliest call | within target |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
    ...costs.map(
      (c) =>
        `| ${c.method} ${c.path} | ${c.data} | ${c.callers} | ${c.minRoundTrips === c.maxRoundTrips ? c.maxRoundTrips : `${c.minRoundTrips}–${c.maxRoundTrips}`} | ${c.maxWriteCalls} | ${c.maxReadUnits} | ${c.maxWriteUnits} | ${c.commands.join(' + ') || '—'} | ${c.withinTarget ? (COST_TARGET_EXCEPTIONS[c.route] ? 'exempt' : 'yes') : 'no'} |`,
    ),
  ].join('\n');
