/**
 * Analytics reads at 100 vs 10,000 users (docs/testing.md): the same organisation of 10 departments is
 * filled with N users' analyses through the real stream aggregator, then the dashboard overview and a
 * user summary are served in-process against DynamoDB Local. Reported: latency p50/p99, DynamoDB
 * round trips and consumed read capacity per request. Reads come from rollups only, so both should
 * stay flat as N grows.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, DynamoDBStreamEvent } from 'aws-lambda';
import { installDynamoDbMeter, itemBytes, metered, transactWriteUnits } from '../lib/local/dynamodb-meter.ts';
import { lambdaContext, restEvent, userClaims } from '../test/unit/support/lambda.ts';
import { percentile, runChild, startBenchTable } from './support.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const DEPARTMENTS = 10;

/** What the stream aggregator spends on one source item (a chat analysis) while seeding: the rollup write amplification. */
export interface AggregatorCost {
  records: number;
  readUnitsPerRecord: number;
  writeUnitsPerRecord: number;
  msPerRecord: number;
}

export interface AnalyticsScale {
  users: number;
  route: string;
  p50Ms: number;
  p99Ms: number;
  roundTrips: number;
  readCapacity: number;
}

/** One measurement run in its own table, so the two sizes cannot share caches or items. */
const measure = async (
  users: number,
  log: (line: string) => void,
): Promise<{ scales: AnalyticsScale[]; aggregator: AggregatorCost }> => {
  const tableName = `mha-bench-${users}`;
  const dynamo = await startBenchTable(tableName);
  // Each size runs in its own process (see benchmarkAnalytics): the clients read the environment at import.
  const { documentClient, dynamodb } = await import('../shared/data/client.ts');
  try {
    const { createAggregatorHandler } = await import('../functions/streams/aggregate-rollups.ts');
    const overview: Handler = (await import('../functions/analytics/get-dashboard-overview.ts')).handler;
    const summary: Handler = (await import('../functions/analytics/get-user-summary.ts')).handler;
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');

    // The organisation: departments and user profiles, written directly (setup, not measured).
    const departmentIds = Array.from({ length: DEPARTMENTS }, () => randomUUID());
    const now = new Date().toISOString();
    const items: Record<string, unknown>[] = departmentIds.map((id, i) => ({
      PK: `DEPT#${id}`,
      SK: 'META',
      GSI1PK: 'DEPTS',
      GSI1SK: `dept ${i}`,
      entityType: 'DEPARTMENT',
      id,
      name: `Dept ${i}`,
      managerIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    }));
    const userIds = Array.from({ length: users }, () => randomUUID());
    // The admin who reads the dashboard: an active account (the per-request caller check reads it).
    const adminSub = randomUUID();
    items.push({
      PK: `USER#${adminSub}`,
      SK: 'PROFILE',
      entityType: 'USER',
      id: adminSub,
      email: 'admin@example.com',
      fullName: 'Bench Admin',
      roles: ['employee', 'admin'],
      accountState: 'active',
      isActive: true,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    userIds.forEach((id, i) =>
      items.push({
        PK: `USER#${id}`,
        SK: 'PROFILE',
        GSI1PK: `DEPT#${departmentIds[i % DEPARTMENTS]}`,
        GSI1SK: `USER#u${i}#${id}`,
        GSI2PK: 'USERS',
        GSI2SK: `u${i}#${id}`,
        entityType: 'USER',
        id,
        email: `u${i}@example.com`,
        fullName: `U ${i}`,
        departmentId: departmentIds[i % DEPARTMENTS],
        roles: ['employee'],
        isActive: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      }),
    );
    for (let i = 0; i < items.length; i += 25) {
      await documentClient.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }

    // One chat analysis per user, through the real aggregator, as stream records — in the latest closed
    // month (the one the overview serves by default), applied while that month was still open; metered,
    // and its transactions kept so their write units can be counted at the rollups' real sizes afterwards.
    const { latestClosedMonth } = await import('../shared/domain/reporting-window.ts');
    const { DEFAULT_ANALYSIS_TIME_WINDOW } = await import('../shared/contract/analysis-window.ts');
    const month = latestClosedMonth(new Date(), DEFAULT_ANALYSIS_TIME_WINDOW);
    const analyzedAt = `${month}-15T12:00:00.000Z`;
    installDynamoDbMeter(dynamodb);
    const aggregatorCost = { records: 0, readUnits: 0, writeUnits: 0, ms: 0 };
    const transactions: Array<Array<Record<string, { Key?: Record<string, unknown> }>>> = [];
    let keepTransactions = true;
    dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (keepTransactions && context.commandName === 'TransactWriteItemsCommand')
          transactions.push((args.input as { TransactItems: (typeof transactions)[number] }).TransactItems);
        return next(args);
      },
      { step: 'initialize', name: 'benchTransactions' },
    );
    const aggregate = createAggregatorHandler({ now: () => new Date(analyzedAt) });
    // Batches as full as the cost model takes Lambda's to be (the mapping's batching window at the
    // modelled arrival rate), of consecutive users: each of a batch's records in another department.
    const { ASSUMPTIONS } = await import('./cost-model.ts');
    const batchSize = ASSUMPTIONS.recordsPerAggregatorInvocation;
    for (let start = 0; start < users; start += batchSize) {
      const Records = userIds.slice(start, start + batchSize).map((userId, j) => {
        const id = randomUUID();
        const image = {
          PK: `USER#${userId}`,
          SK: `CHAT#${analyzedAt}#${id}`,
          entityType: 'CHAT_ANALYSIS',
          id,
          userId,
          type: 'chat',
          sentiment: { label: j % 3 === 0 ? 'negative' : 'positive', score: 0.8 },
          emotions: { joy: 0.6, sadness: 0.4 },
          model: { name: 'bench', version: '1' },
          analyzedAt,
          createdAt: analyzedAt,
          updatedAt: analyzedAt,
        };
        return {
          eventID: randomUUID(),
          eventName: 'INSERT' as const,
          eventSource: 'aws:dynamodb',
          dynamodb: {
            Keys: marshall({ PK: image.PK, SK: image.SK }),
            NewImage: marshall(image, { removeUndefinedValues: true }),
            SequenceNumber: String(start + j),
          },
        };
      });
      const { result, cost } = await metered(() =>
        aggregate({ Records } as unknown as DynamoDBStreamEvent, lambdaContext()),
      );
      aggregatorCost.records += Records.length;
      aggregatorCost.readUnits += cost.readUnits;
      aggregatorCost.writeUnits += cost.writeUnits;
      aggregatorCost.ms += cost.ms;
      if (result.batchItemFailures.length > 0)
        throw new Error(`aggregator failed ${result.batchItemFailures.length} records`);
      if (start % 2000 === 0) log(`    ${users} users: aggregated ${Math.min(start + batchSize, users)}`);
    }

    keepTransactions = false;
    // The items the rollup updates wrote, at their final size (counters only ever get added).
    const { BatchGetCommand } = await import('@aws-sdk/lib-dynamodb');
    const keyOf = (key: Record<string, unknown>) => JSON.stringify({ PK: key.PK, SK: key.SK });
    const updated = new Map<string, Record<string, unknown>>();
    for (const actions of transactions)
      for (const action of actions)
        if (action.Update?.Key) updated.set(keyOf(action.Update.Key), action.Update.Key);
    const sizes = new Map<string, number>();
    const keysToRead = [...updated.values()];
    for (let i = 0; i < keysToRead.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keysToRead.slice(i, i + 100);
      while (pending && pending.length > 0) {
        const page: BatchGetCommandOutput = await documentClient.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
        );
        for (const item of page.Responses?.[tableName] ?? []) sizes.set(keyOf(item), itemBytes(item));
        pending = page.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
    const exactWriteUnits = transactions.reduce(
      (sum, actions) => sum + transactWriteUnits(actions as never, (key) => sizes.get(keyOf(key))),
      0,
    );

    // Count round trips and consumed capacity of the measured requests.
    let trips = 0;
    let capacity = 0;
    // On the base client: every document-client command ends up there.
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        trips += 1;
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity = 'TOTAL';
        const output = await next(args);
        const consumed = (
          output.output as {
            ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }>;
          }
        ).ConsumedCapacity;
        for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : [])
          capacity += c.CapacityUnits ?? 0;
        return output;
      },
      { step: 'initialize', name: 'benchCounter' },
    );

    // A signed-in admin whose account and sign-in the per-request caller check accepts.
    const adminClaims = userClaims(adminSub, 'admin');
    const subject = userIds[0]!;
    const routes: Array<[string, () => APIGatewayProxyEvent, Handler]> = [
      [
        'GET /analytics/dashboard/overview',
        () => restEvent({ path: '/analytics/dashboard/overview', claims: adminClaims }),
        overview,
      ],
      [
        'GET /analytics/user/{user_id}/summary',
        () =>
          restEvent({
            path: `/analytics/user/${subject}/summary`,
            resource: '/analytics/user/{user_id}/summary',
            pathParameters: { user_id: subject },
            claims: { ...adminClaims, sub: subject, username: subject, 'cognito:groups': 'employee' },
          }),
        summary,
      ],
    ];
    const results: AnalyticsScale[] = [];
    for (const [route, event, handler] of routes) {
      for (let i = 0; i < 20; i++) await handler(event(), lambdaContext()); // warm up
      const sample = JSON.parse((await handler(event(), lambdaContext())).body) as {
        departments?: { suppressed: boolean }[];
      };
      if (sample.departments && sample.departments.every((d) => d.suppressed))
        throw new Error(`${route}: every department suppressed — the bench data did not reach the month`);
      const latencies: number[] = [];
      trips = 0;
      capacity = 0;
      // Enough requests that the p50 of a few-millisecond read is not one noisy moment of the machine.
      const runs = Number(process.env.BENCH_ANALYTICS_RUNS ?? 300);
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const response = await handler(event(), lambdaContext());
        latencies.push(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`${route}: ${response.statusCode} ${response.body}`);
      }
      results.push({
        users,
        route,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        roundTrips: trips / runs,
        readCapacity: capacity / runs,
      });
    }
    const per = (total: number) => Math.round((total / aggregatorCost.records) * 1000) / 1000;
    return {
      scales: results,
      aggregator: {
        records: aggregatorCost.records,
        readUnitsPerRecord: per(aggregatorCost.readUnits),
        writeUnitsPerRecord: per(exactWriteUnits),
        msPerRecord: per(aggregatorCost.ms),
      },
    };
  } finally {
    documentClient.destroy();
    await dynamo.stop();
  }
};

/** Runs each size in a fresh process (tsx), collecting its JSON result. */
export const benchmarkAnalytics = async (
  log: (line: string) => void,
  sizes: readonly number[] = [100, 10_000],
) => {
  const all: AnalyticsScale[] = [];
  let aggregator: AggregatorCost | undefined;
  for (const users of sizes) {
    log(`  ${users} users: seeding through the aggregator and measuring…`);
    const measured = runChild<{ scales: AnalyticsScale[]; aggregator: AggregatorCost }>(
      fileURLToPath(import.meta.url),
      [String(users)],
    );
    all.push(...measured.scales);
    // The largest organisation's seeding: the most records, the steadiest per-record figures.
    aggregator = measured.aggregator;
  }
  return { scales: all, aggregator: aggregator! };
};

// As a child process: `node --import tsx bench/analytics.ts <users>` prints one JSON line.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  measure(Number(process.argv[2]), (line) => process.stderr.write(`${line}\n`))
    .then((results) => {
      process.stdout.write(`${JSON.stringify(results)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
      process.exit(1);
    });
}
