/** What the benchmarks share: statistics, a DynamoDB Local table for in-process handlers, child runs. */
import { execFileSync } from 'node:child_process';
import { localDynamoClient, startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { freePort } from '../lib/local/processes.ts';
import { ensureTable } from '../lib/local/provision.ts';

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** The nearest-rank percentile (p in 0–100). */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/**
 * A fresh DynamoDB Local on a free port with the table created, and the environment the handlers
 * read set to it (at import: call this before importing shared/data or a handler). Logging and metrics
 * still run through the chain; their output is silenced and metrics flushing disabled, so writing
 * JSON/EMF to stdout is not measured.
 */
export const startBenchTable = async (tableName: string) => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const admin = localDynamoClient(dynamo.endpoint);
  await ensureTable(admin, tableName);
  admin.destroy();
  Object.assign(process.env, {
    STAGE: 'bench',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    CURSOR_SECRET: 'bench-cursor-secret-0123456789abcdef0123456789',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  return dynamo;
};

/**
 * Runs a benchmark module in a fresh Node process (`node --import tsx <file> <args>`), its progress on
 * stderr, and returns the JSON of the last line it prints: each measurement gets a clean module state.
 */
export const runChild = <T>(file: string, args: readonly string[]): T => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
};
