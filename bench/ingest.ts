/**
 * `npx tsx bench/ingest.ts`: the ingestion benchmark of docs/testing.md, on loopback only.
 *
 * Starts the local runtime (in memory, free ports), registers a few users, and pushes N analyses
 * (default 10,000) through POST /analyses/video/batch in batches of 100 with an Idempotency-Key each,
 * C batches at a time; then retries every batch with the same key (a pipeline that lost its answers)
 * and checks that exactly N records exist (beside the floor's N). Side by side in the same run, the floor: a direct
 * BatchWriteItem (25 items per call, 4× the concurrency) of the same N analysis items for the same users
 * (without the audit records, idempotency records and validation the API adds), and a second
 * reference: the same items packed as the route packs them, one audit-sized record per user and
 * transaction (the API's storage pattern without the API), and a third: the batch written as it would
 * be if every analysis committed atomically with its audit record (per transaction of at most 99
 * actions, each user's account check, that user's analyses and ONE audit record naming them all — the
 * design docs/api.md weighs against the route's). The paths take turns on slices of 2,000 analyses, in
 * an order that rotates from slice to slice, so each is timed all through the run beside the others.
 * Each timed phase starts once the stream aggregator has caught up with the previous one, and the stream
 * stays paused while it runs (as in AWS, where the aggregator has its own function and concurrency). A
 * warm-up run of every path comes first and is not counted. Prints items/s for all four (medians over
 * BENCH_RUNS runs, default 3) and the API's ratio to the floor: the median of each run's own ratio.
 *
 *   BENCH_ITEMS=10000 BENCH_CONCURRENCY=4 BENCH_RUNS=3 BENCH_WARMUP_ITEMS=2000 npx tsx bench/ingest.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PlannedAnalysis } from '../shared/domain/analysis.ts';
import * as keys from '../shared/data/dynamodb/keys.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../lib/local/dynamodb-local.ts';
import { COST_HEADER, parseCost, type DynamoDbCost } from '../lib/local/dynamodb-meter.ts';
import { freePort } from '../lib/local/processes.ts';
import { startLocalRuntime } from '../lib/local/runtime.ts';
import { median } from './support.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Analyses of the uncounted warm-up run (every path once, on a cold JVM); 0 skips it. */
const WARMUP_ITEMS = Number(process.env.BENCH_WARMUP_ITEMS ?? 5_000);
/**
 * The local runtime meters every call its handlers make (lib/local/dynamodb-meter.ts asks for the
 * consumed capacity), and DynamoDB Local spends about a sixth more CPU on a BatchWriteItem that reports
 * it (measured: 5.3–5.6 s against 4.4–4.5 s of JVM CPU for 10,000 items, warmed). The direct paths ask
 * for it too, so the API and its floors are measured alike.
 */
const METERED = 'TOTAL' as const;
const USERS = 20;
const BATCH = 100;
const MAX_ATTEMPTS = 8;
/** The batches of one slice: every path takes its turn on each slice (see runOnce). */
const SLICE_BATCHES = 20;

type Item = Record<string, unknown>;

/** Runs the tasks with at most `limit` in flight. */
const pool = async <T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> => {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
};

/** 10,000 analyses one second apart end about 2.8 h later: the first lies 3 h before the run. */
const INGEST_START_MS = Date.now() - 3 * 3_600_000;

const videoAnalysis = (userId: string, n: number): Item => ({
  userId,
  sentiment: { label: 'neutral', score: 0.5 },
  emotions: { neutral: 0.7, joy: 0.2, sadness: 0.1 },
  model: { name: 'bench-facial', version: '1.0.0' },
  // Inside the stage's analysis window (at most 48 h back): one second apart, ending about now.
  analyzedAt: new Date(INGEST_START_MS + n * 1000).toISOString(),
  sourceId: `bench-clip-${n}`,
  facialEmotions: { neutral: 0.8, joy: 0.1 },
  framesAnalysed: 300,
  durationSec: 10,
});

const main = async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'mha-bench-')), 'runtime.json');
  const runtime = await startLocalRuntime({
    port: await freePort(),
    dynamodbPort: await freePort(),
    cognitoPort: await freePort(),
    inMemory: true,
    stateFile,
    handlerLogLevel: 'ERROR',
  });
  // After the runtime has set the environment the data modules read when they load.
  const { packBatch } = await import('../shared/data/analysis-repository.ts');
  const { activeAccountCheck } = await import('../shared/data/caller-access.ts');
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: runtime.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  try {
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${runtime.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        json: (await response.json()) as Item,
        cost: parseCost(response.headers.get(COST_HEADER) ?? ''),
      };
    };
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, string>;
    const tokenResponse = await fetch(`${runtime.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${state.machineClientId}:${state.machineClientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const token = ((await tokenResponse.json()) as { access_token: string }).access_token;

    /**
     * Before each timed phase: the stream caught up with the previous one, then paused until the phase
     * ends, for every phase alike. In AWS the stream aggregator is a function of its own (its own
     * concurrency, a table that scales); locally it would share the two cores and the one DynamoDB
     * Local with whichever phase is being timed — most with the slowest, which would then measure the
     * aggregator too.
     */
    const quiet = async () => {
      await runtime.drainStream(600_000);
      await runtime.pauseStream();
    };
    const apiRates: number[] = [];
    const floorRates: number[] = [];
    const retryRates: number[] = [];
    const transactRates: number[] = [];
    const atomicRates: number[] = [];
    const ratios: number[] = [];
    const atomicRatios: number[] = [];
    const batchCosts: DynamoDbCost[] = [];

    /**
     * One run over `count` analyses, in slices of SLICE_BATCHES batches: each slice goes through every
     * path in turn — the API, the direct BatchWriteItem floor, the route's storage pattern sent
     * directly, and the atomic design — in an order that rotates from slice to slice (and starts one
     * further on each run), and each path's time is summed over the slices. So every path is timed all
     * through the run, side by side with the others, rather than in one block minutes away from them:
     * the machine's speed drifts by a third within minutes (a direct BatchWriteItem block measured
     * 1,581 and 2,448 items/s in one run), which the ratio of two blocks took for a difference between
     * the paths. Then every batch is retried with its key (replays only) and the records are counted.
     */
    const runOnce = async (count: number, rotation: number) => {
      const users: string[] = [];
      for (let u = 0; u < USERS; u++) {
        const registered = await post('/auth/register', {
          email: `bench-${randomUUID()}@example.com`,
          password: `Pw-${randomUUID().slice(0, 8)}-Aa1!`,
          fullName: `Bench ${u}`,
        });
        users.push(String(registered.json.id));
      }
      const batches = Array.from({ length: Math.ceil(count / BATCH) }, (_, b) => ({
        key: `bench-${randomUUID()}`,
        items: Array.from({ length: Math.min(BATCH, count - b * BATCH) }, (_, i) =>
          videoAnalysis(users[(b * BATCH + i) % USERS]!, b * BATCH + i),
        ),
      }));
      /** Sends a batch until it gets an answer that is not 409/5xx (a pipeline's retry loop). */
      const send = async (batch: (typeof batches)[number]) => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const response = await post(
            '/analyses/video/batch',
            { items: batch.items },
            { Authorization: `Bearer ${token}`, 'Idempotency-Key': batch.key },
          );
          if (response.status === 200) return response;
          if (response.status !== 409 && response.status < 500)
            throw new Error(`batch refused: ${response.status} ${JSON.stringify(response.json)}`);
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
        throw new Error('batch kept failing');
      };
      /** Times one phase between a quiet stream before it and the stream resumed after it. */
      const timed = async (phase: () => Promise<unknown>): Promise<number> => {
        await quiet();
        const started = performance.now();
        await phase();
        const seconds = (performance.now() - started) / 1000;
        runtime.resumeStream();
        return seconds;
      };

      // The floor's items: the same analyses (new ids, the same users, so the stream aggregator has the
      // same work behind them as behind the API's), written directly, 25 per BatchWriteItem.
      const rawItems = batches.map((batch) =>
        batch.items.map((item) => {
          const id = randomUUID();
          return {
            ...keys.analysis(String(item.userId), 'video', String(item.analyzedAt), id),
            entityType: 'VIDEO_ANALYSIS',
            ...item,
            id,
            type: 'video',
          } as Item;
        }),
      );
      const writeAll = async (requests: Item[]) => {
        let pending: Item[] | undefined = requests;
        while (pending && pending.length > 0) {
          const result: BatchWriteCommandOutput = await documents.send(
            new BatchWriteCommand({
              RequestItems: { [runtime.tableName]: pending },
              ReturnConsumedCapacity: METERED,
            }),
          );
          pending = result.UnprocessedItems?.[runtime.tableName];
        }
      };
      const inChunks = <T>(items: readonly T[], size: number): T[][] =>
        Array.from({ length: Math.ceil(items.length / size) }, (_, c) =>
          items.slice(c * size, c * size + size),
        );

      // The route's storage pattern without the API — the same items (in partitions of their own),
      // packed as the batch route packs them (analysis-repository.ts packBatch): per transaction one
      // audit-sized record per user naming the user's analyses, then the analyses themselves by
      // BatchWriteItem, 25 per call, all at once.
      const patterns = rawItems.map((items) =>
        packBatch(
          items.map((item) => ({
            planned: { analysis: { userId: String(item.userId) } } as PlannedAnalysis,
            alertItems: [],
            item,
          })),
        ).map((groups) => ({
          audits: groups.map((group) => ({
            Put: {
              TableName: runtime.tableName,
              Item: {
                PK: `BENCHAUDIT#${group.subjectId}`,
                SK: randomUUID(),
                action: 'analyses.store',
                ids: group.writes.map(({ item }) => item.id),
              },
            },
          })),
          analyses: groups.flatMap((group) =>
            group.writes.map(({ item }) => ({
              PutRequest: { Item: { ...item, PK: `BENCH#${group.subjectId}` } },
            })),
          ),
        })),
      );
      // Every analysis atomic with its audit record: per batch, each user's group — the account check,
      // the user's analyses (conditional puts, as a single store writes them) and one audit-sized record
      // naming them — in transactions of at most 99 actions (a group never split: 20 users of 5
      // analyses each make two transactions, of 98 and 42 actions), sent at once as the route sends its
      // transactions.
      const atomics = rawItems.map((items) => {
        const byUser = new Map<string, Item[]>();
        for (const item of items)
          byUser.set(String(item.userId), [...(byUser.get(String(item.userId)) ?? []), item]);
        const transactions: Array<Array<Record<string, unknown>>> = [];
        let current: Array<Record<string, unknown>> = [];
        for (const [user, own] of byUser) {
          const actions = [
            activeAccountCheck(user),
            ...own.map((item) => ({
              Put: {
                TableName: runtime.tableName,
                Item: { ...item, PK: `BENCHATOMIC#${user}` },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            })),
            {
              Put: {
                TableName: runtime.tableName,
                Item: {
                  PK: `BENCHAUDIT#${user}`,
                  SK: randomUUID(),
                  action: 'analyses.store',
                  ids: own.map((item) => item.id),
                },
              },
            },
          ];
          if (current.length + actions.length > 99 && current.length > 0) {
            transactions.push(current);
            current = [];
          }
          current.push(...actions);
        }
        if (current.length > 0) transactions.push(current);
        return transactions;
      });

      const answers: Array<Awaited<ReturnType<typeof send>>> = [];
      const paths = {
        api: (from: number, to: number) =>
          pool(
            batches.slice(from, to).map((batch) => () => send(batch)),
            CONCURRENCY,
          ).then((done) => answers.push(...done)),
        floor: (from: number, to: number) =>
          pool(
            inChunks(rawItems.slice(from, to).flat(), 25).map(
              (chunk) => () => writeAll(chunk.map((Item) => ({ PutRequest: { Item } }))),
            ),
            CONCURRENCY * 4,
          ),
        pattern: (from: number, to: number) =>
          pool(
            patterns
              .slice(from, to)
              .flat()
              .map(({ audits, analyses }) => async () => {
                await documents.send(
                  new TransactWriteCommand({ TransactItems: audits, ReturnConsumedCapacity: METERED }),
                );
                await Promise.all(inChunks(analyses, 25).map(writeAll));
              }),
            CONCURRENCY,
          ),
        atomic: (from: number, to: number) =>
          pool(
            atomics.slice(from, to).map(
              (transactions) => () =>
                Promise.all(
                  transactions.map((TransactItems) =>
                    documents.send(
                      new TransactWriteCommand({
                        TransactItems: TransactItems as never,
                        ReturnConsumedCapacity: METERED,
                      }),
                    ),
                  ),
                ),
            ),
            CONCURRENCY,
          ),
      };
      const names = Object.keys(paths) as Array<keyof typeof paths>;
      const seconds = { api: 0, floor: 0, pattern: 0, atomic: 0 };
      for (let slice = 0, from = 0; from < batches.length; slice++, from += SLICE_BATCHES) {
        const to = Math.min(batches.length, from + SLICE_BATCHES);
        for (let turn = 0; turn < names.length; turn++) {
          const name = names[(rotation + slice + turn) % names.length]!;
          seconds[name] += await timed(() => paths[name](from, to));
        }
      }
      const stored = answers.reduce((sum, answer) => sum + Number(answer.json.stored), 0);
      if (stored !== count) throw new Error(`API stored ${stored} of ${count}`);
      // The pipeline lost every answer and retries everything with the same keys: replays only.
      const retrySeconds = await timed(() =>
        pool(
          batches.map((batch) => () => send(batch)),
          CONCURRENCY,
        ),
      );
      // The API's and the floor's analyses share the users' partitions: exactly both counts.
      let records = 0;
      for (const user of users) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await documents.send(
            new QueryCommand({
              TableName: runtime.tableName,
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ExpressionAttributeValues: { ':pk': `USER#${user}`, ':prefix': keys.analysisPrefix('video') },
              Select: 'COUNT',
              ExclusiveStartKey: startKey,
            }),
          );
          records += page.Count ?? 0;
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      if (records !== 2 * count) throw new Error(`expected exactly ${2 * count} records, found ${records}`);
      return {
        apiSeconds: seconds.api,
        floorSeconds: seconds.floor,
        transactSeconds: seconds.pattern,
        atomicSeconds: seconds.atomic,
        retrySeconds,
        // What the first (storing) answers cost in DynamoDB and Lambda time: the cost model's figures.
        costs: answers.map((answer) => answer.cost),
      };
    };

    // The JVM compiles DynamoDB Local's hot paths during the first thousands of requests: a run on a
    // cold JVM measured whichever path went first at half its later rate. One uncounted run of every
    // path warms it; in the counted runs each run's API rate is divided by the floor measured beside it,
    // slice by slice.
    if (WARMUP_ITEMS > 0) {
      const warm = await runOnce(WARMUP_ITEMS, 0);
      console.log(
        `  warm-up (${WARMUP_ITEMS} analyses, not counted): API ${(WARMUP_ITEMS / warm.apiSeconds).toFixed(0)} items/s, ` +
          `direct BatchWriteItem ${(WARMUP_ITEMS / warm.floorSeconds).toFixed(0)} items/s`,
      );
    }
    for (let run = 1; run <= RUNS; run++) {
      const { apiSeconds, retrySeconds, floorSeconds, transactSeconds, atomicSeconds, costs } = await runOnce(
        ITEMS,
        run,
      );
      batchCosts.push(...costs);
      apiRates.push(ITEMS / apiSeconds);
      retryRates.push(ITEMS / retrySeconds);
      floorRates.push(ITEMS / floorSeconds);
      transactRates.push(ITEMS / transactSeconds);
      atomicRates.push(ITEMS / atomicSeconds);
      ratios.push(floorSeconds / apiSeconds);
      atomicRatios.push(floorSeconds / atomicSeconds);
      console.log(
        `  run ${run}: API ${(ITEMS / apiSeconds).toFixed(0)} items/s (${apiSeconds.toFixed(1)} s), ` +
          `retry of all batches (replays) ${(ITEMS / retrySeconds).toFixed(0)} items/s, ` +
          `direct BatchWriteItem ${(ITEMS / floorSeconds).toFixed(0)} items/s, ` +
          `direct audit transactions + BatchWriteItem ${(ITEMS / transactSeconds).toFixed(0)} items/s, ` +
          `direct atomic transactions ${(ITEMS / atomicSeconds).toFixed(0)} items/s (${(floorSeconds / atomicSeconds).toFixed(2)}×); ` +
          `API ${(floorSeconds / apiSeconds).toFixed(2)}× the floor; ${ITEMS} records ✓`,
      );
    }
    const api = median(apiRates);
    const floor = median(floorRates);
    const result = {
      items: ITEMS,
      concurrency: CONCURRENCY,
      runs: RUNS,
      apiItemsPerSecond: Math.round(api),
      replayItemsPerSecond: Math.round(median(retryRates)),
      directBatchWriteItemsPerSecond: Math.round(floor),
      // The median of the runs' own ratios (each run's API rate over its own floor).
      apiToFloorRatio: Number(median(ratios).toFixed(2)),
      apiToFloorRatios: ratios.map((ratio) => Number(ratio.toFixed(2))),
      warmupItems: WARMUP_ITEMS,
      directStoragePatternItemsPerSecond: Math.round(median(transactRates)),
      apiToStoragePatternRatio: Number((api / median(transactRates)).toFixed(2)),
      // Every analysis in a transaction with its audit record: the median of each run's own ratio.
      directAtomicItemsPerSecond: Math.round(median(atomicRates)),
      atomicToFloorRatio: Number(median(atomicRatios).toFixed(2)),
      atomicToFloorRatios: atomicRatios.map((ratio) => Number(ratio.toFixed(2))),
      // Per stored analysis, over every storing batch of every run (each batch of BATCH analyses).
      perAnalysis: {
        readUnits: batchCosts.reduce((sum, c) => sum + c.readUnits, 0) / (batchCosts.length * BATCH),
        writeUnits: batchCosts.reduce((sum, c) => sum + c.writeUnits, 0) / (batchCosts.length * BATCH),
      },
      batchHandlerMsMedian: median(batchCosts.map((c) => c.ms)),
      batchSize: BATCH,
      usersPerBatch: USERS,
    };
    console.log(JSON.stringify(result, null, 2));
    // `npm run bench` runs this file as a child process and reads the result from this file.
    if (process.env.BENCH_INGEST_OUT) writeFileSync(process.env.BENCH_INGEST_OUT, JSON.stringify(result));
  } finally {
    documents.destroy();
    await runtime.stop();
  }
};

await main();
