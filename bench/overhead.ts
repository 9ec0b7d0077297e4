/**
 * Handler overhead (docs/testing.md): the real handler from functions/ — the whole Middy chain of
 * shared/http/handler-factory.ts (route state, correlation + logger, metrics, CORS, security headers,
 * serialization and the error mapper, header normalization, claims → principal, the role gate, JSON
 * body, zod validation) and the repository code under it — against a bare handler that sends the same
 * DynamoDB commands directly (bench/fixtures/bare-*.ts: no Middy, no zod, no Powertools), for one read
 * and one write route, in-process against DynamoDB Local.
 *
 *   read:  GET /users/{user_id} by the user themself (one GetItem; self-reads are not audited)
 *   write: POST /departments by an admin, name + description only (one TransactWriteItems: the name
 *          claim, the department and the audit record)
 *
 * Before measuring, one request of each variant is recorded by a middleware on the base clients and
 * the sequences of DynamoDB commands (tables, keys, attribute names, conditions) must be identical, or
 * the run fails. Then both variants are warmed up and measured interleaved (full/bare, bare/full, …)
 * so machine noise hits both alike. Reported: p50/p99 of each and full ÷ bare at p50 and p99. Target
 * (reported, not asserted): ≤ 1.15× at p50.
 *
 *   BENCH_OVERHEAD_RUNS=500 BENCH_OVERHEAD_WARMUP=50 npx tsx bench/overhead.ts
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext, restEvent, userClaims } from '../test/unit/support/lambda.ts';
import { percentile, runChild, startBenchTable } from './support.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export const OVERHEAD_TARGET_P50 = 1.15;

/**
 * The per-request caller check on its own, where no call of a route can carry it: one strongly
 * consistent GetItem of the caller's profile (shared/data/caller-access.ts verifyCallerAccess).
 */
export interface CallerCheckCost {
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OverheadRun {
  routes: OverheadResult[];
  callerCheck: CallerCheckCost;
}

export interface OverheadResult {
  route: string;
  kind: 'read' | 'write';
  /** The DynamoDB commands one request sends (identical for both variants, checked in the run). */
  calls: string[];
  /** Measured requests per variant. */
  runs: number;
  fullP50Ms: number;
  fullP99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  ratioP50: number;
  ratioP99: number;
}

/** `USER#3f…` → `USER#…`: the key's shape without the ids, so both variants compare equal. */
const keyShape = (value: unknown) =>
  typeof value === 'string' && value.includes('#') ? `${value.slice(0, value.indexOf('#'))}#…` : '…';

type Loose = Record<string, unknown>;

/** One line per item operation: table, key shape, attribute names, condition, read consistency. */
const describeOperation = (operation: string, body: Loose) => {
  const item = (body.Item ?? body.Key) as Loose | undefined;
  const parts = [operation, String(body.TableName)];
  if (item) {
    parts.push(`PK=${keyShape(item.PK)}`, `[${Object.keys(item).sort().join(',')}]`);
  }
  if (body.ConditionExpression) parts.push(`if ${String(body.ConditionExpression)}`);
  if (body.ConsistentRead) parts.push('consistent');
  return parts.join(' ');
};

/** What one command sends, independent of ids and timestamps (inputs are still unmarshalled here). */
const describeCommand = (commandName: string, input: Loose): string => {
  const transact = input.TransactItems as Array<Record<string, Loose>> | undefined;
  if (transact) {
    const operations = transact.map((entry) => {
      const [operation, body] = Object.entries(entry)[0]!;
      return describeOperation(operation, body);
    });
    return `${commandName} ×${transact.length}: ${operations.join(' | ')}`;
  }
  return `${commandName}: ${describeOperation('', input).trim()}`;
};

const measure = async (log: (line: string) => void): Promise<OverheadRun> => {
  const runs = Number(process.env.BENCH_OVERHEAD_RUNS ?? 500);
  const warmup = Number(process.env.BENCH_OVERHEAD_WARMUP ?? 50);
  if (!(runs > 0) || !(warmup >= 0)) throw new Error('BENCH_OVERHEAD_RUNS/BENCH_OVERHEAD_WARMUP: numbers');

  const tableName = 'mha-bench-overhead';
  const dynamo = await startBenchTable(tableName);
  // This runs in its own process (see benchmarkOverhead): the clients read the environment at import.
  const { documentClient, dynamodb } = await import('../shared/data/client.ts');
  const bareRead = await import('./fixtures/bare-read.ts');
  const bareWrite = await import('./fixtures/bare-write.ts');
  try {
    const fullRead: Handler = (await import('../functions/users/get-user.ts')).handler;
    const fullWrite: Handler = (await import('../functions/departments/create-department.ts')).handler;
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const keys = await import('../shared/data/dynamodb/keys.ts');

    // The reader's and the admin's profiles (setup, not measured), shaped as the user repository
    // writes them: every request checks its caller's account (shared/data/caller-access.ts).
    const userId = randomUUID();
    const adminSub = randomUUID();
    const now = new Date().toISOString();
    for (const [id, name, roles] of [
      [userId, 'Bench Reader', ['employee']],
      [adminSub, 'Bench Admin', ['employee', 'admin']],
    ] as const)
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.userProfile(id),
            ...keys.userListing(name.toLowerCase(), id),
            entityType: 'USER',
            id,
            email: `${id}@example.com`,
            fullName: name,
            jobTitle: 'Analyst',
            roles,
            accountState: 'active',
            createdAt: now,
            updatedAt: now,
            version: 1,
          },
        }),
      );

    // Records the commands sent while `recording` is set, on every base client in play.
    let recording: string[] | undefined;
    const record = (client: DynamoDBClient) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          recording?.push(describeCommand(String(context.commandName), args.input as Loose));
          return next(args);
        },
        { step: 'initialize', name: 'benchOverheadRecorder' },
      );
    record(dynamodb);
    record(bareRead.dynamodb);
    record(bareWrite.dynamodb);

    let written = 0;
    const routes: Array<{
      route: string;
      kind: OverheadResult['kind'];
      status: number;
      event: () => APIGatewayProxyEvent;
      full: Handler;
      bare: Handler;
    }> = [
      {
        route: 'GET /users/{user_id}',
        kind: 'read',
        status: 200,
        event: () =>
          restEvent({
            path: `/users/${userId}`,
            resource: '/users/{user_id}',
            pathParameters: { user_id: userId },
            headers: { 'user-agent': 'bench', accept: 'application/json' },
            claims: userClaims(userId, '[employee]'),
          }),
        full: fullRead,
        bare: bareRead.handler,
      },
      {
        route: 'POST /departments',
        kind: 'write',
        status: 201,
        // A new name every request, so the unique-name condition never fails.
        event: () =>
          restEvent({
            method: 'POST',
            path: '/departments',
            resource: '/departments',
            headers: { 'content-type': 'application/json', 'user-agent': 'bench' },
            body: JSON.stringify({
              name: `Bench department ${++written} ${randomUUID().slice(0, 8)}`,
              description: 'Created by the handler overhead benchmark',
            }),
            claims: userClaims(adminSub, '[admin]'),
          }),
        full: fullWrite,
        bare: bareWrite.handler,
      },
    ];

    const call = async (route: (typeof routes)[number], handler: Handler, variant: string) => {
      const event = route.event();
      const context = lambdaContext();
      const started = performance.now();
      const response = await handler(event, context);
      const elapsed = performance.now() - started;
      if (response.statusCode !== route.status) {
        throw new Error(`${route.route} (${variant}): ${response.statusCode} ${response.body}`);
      }
      return elapsed;
    };

    const results: OverheadResult[] = [];
    for (const route of routes) {
      // Sameness: one request of each, recorded.
      recording = [];
      await call(route, route.full, 'full');
      const fullCalls = recording;
      recording = [];
      await call(route, route.bare, 'bare');
      const bareCalls = recording;
      recording = undefined;
      if (JSON.stringify(fullCalls) !== JSON.stringify(bareCalls)) {
        throw new Error(
          `${route.route}: the bare handler does not send what the full one does\n  full: ${fullCalls.join('\n        ')}\n  bare: ${bareCalls.join('\n        ')}`,
        );
      }
      log(`  ${route.route}: DynamoDB calls per request (full = bare, checked):`);
      for (const line of fullCalls) log(`    ${line}`);

      for (let i = 0; i < warmup; i++) {
        await call(route, route.full, 'full');
        await call(route, route.bare, 'bare');
      }
      const full: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Alternate which goes first, so neither always follows the other.
        if (i % 2 === 0) {
          full.push(await call(route, route.full, 'full'));
          bare.push(await call(route, route.bare, 'bare'));
        } else {
          bare.push(await call(route, route.bare, 'bare'));
          full.push(await call(route, route.full, 'full'));
        }
      }
      const result: OverheadResult = {
        route: route.route,
        kind: route.kind,
        calls: fullCalls,
        runs,
        fullP50Ms: percentile(full, 50),
        fullP99Ms: percentile(full, 99),
        bareP50Ms: percentile(bare, 50),
        bareP99Ms: percentile(bare, 99),
        ratioP50: percentile(full, 50) / percentile(bare, 50),
        ratioP99: percentile(full, 99) / percentile(bare, 99),
      };
      log(
        `  ${route.route}: full p50 ${result.fullP50Ms.toFixed(2)} ms, bare p50 ${result.bareP50Ms.toFixed(2)} ms → ${result.ratioP50.toFixed(2)}× (${runs} each)`,
      );
      results.push(result);
    }

    // The caller check alone, as the handler chain makes it when nothing in the route carried it.
    const access = await import('../shared/data/caller-access.ts');
    const { principalFromClaims } = await import('../shared/http/claims.ts');
    const principal = principalFromClaims(userClaims(userId, '[employee]'));
    const check = async () => {
      const started = performance.now();
      await access.withCallerAccess(async () => {
        access.requireCallerAccess(principal);
        await access.verifyCallerAccess();
      });
      return performance.now() - started;
    };
    for (let i = 0; i < warmup; i++) await check();
    const checks: number[] = [];
    for (let i = 0; i < runs; i++) checks.push(await check());
    const callerCheck = { runs, p50Ms: percentile(checks, 50), p99Ms: percentile(checks, 99) };
    log(
      `  caller check alone (one strongly consistent GetItem): p50 ${callerCheck.p50Ms.toFixed(2)} ms, p99 ${callerCheck.p99Ms.toFixed(2)} ms (${runs})`,
    );
    return { routes: results, callerCheck };
  } finally {
    documentClient.destroy();
    bareRead.dynamodb.destroy();
    bareWrite.dynamodb.destroy();
    await dynamo.stop();
  }
};

/** Runs the measurement in a fresh process (tsx), collecting its JSON result; progress goes to stderr. */
export const benchmarkOverhead = async (log: (line: string) => void): Promise<OverheadRun> => {
  log(
    `  full Middy chain vs bare handler, ${process.env.BENCH_OVERHEAD_RUNS ?? 500} interleaved requests each…`,
  );
  return runChild<OverheadRun>(fileURLToPath(import.meta.url), ['--child']);
};

/** A markdown table of the results. */
export const overheadTable = (results: readonly OverheadResult[]): string =>
  [
    '| route | kind | full p50 ms | bare p50 ms | p50 × bare | full p99 ms | bare p99 ms | p99 × bare | within p50 target |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.route} | ${r.kind} | ${r.fullP50Ms.toFixed(2)} | ${r.bareP50Ms.toFixed(2)} | ${r.ratioP50.toFixed(2)} | ${r.fullP99Ms.toFixed(2)} | ${r.bareP99Ms.toFixed(2)} | ${r.ratioP99.toFixed(2)} | ${r.ratioP50 <= OVERHEAD_TARGET_P50 ? 'yes' : 'no'} |`,
    ),
  ].join('\n');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fail = (error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  };
  if (process.argv[2] === '--child') {
    // As a child process: prints one JSON line on stdout.
    measure((line) => process.stderr.write(`${line}\n`))
      .then((results) => {
        process.stdout.write(`${JSON.stringify(results)}\n`);
        process.exit(0);
      })
      .catch(fail);
  } else {
    // Alone: `npx tsx bench/overhead.ts` prints the table.
    benchmarkOverhead((line) => process.stderr.write(`${line}\n`))
      .then((results) => {
        console.log(overheadTable(results.routes));
        console.log(`Target: full ≤ ${OVERHEAD_TARGET_P50}× bare at p50 (reported, not asserted).`);
      })
      .catch(fail);
  }
}
