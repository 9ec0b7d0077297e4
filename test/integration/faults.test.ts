import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Client from '../../shared/data/client.ts';
import type * as Departments from '../../shared/data/department-repository.ts';
import { lambdaContext, restEvent } from '../unit/support/lambda.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';

/**
 * Faults DynamoDB Local cannot produce on demand — throttling, unavailability, timeouts — injected into
 * the handlers' own document client (the only mocking the project allows), with everything else real.
 * Expected: 503 DEPENDENCY_UNAVAILABLE with Retry-After, and no partial write.
 */
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let client: typeof Client;
let departments: typeof Departments;
let createDepartment: Handler;
let updateUser: Handler;
let storeBatch: Handler;
let eraseMe: Handler;
let admin: Account;

let restoreEnv: () => void = () => undefined;
afterAll(() => restoreEnv());

beforeAll(async () => {
  restoreEnv = pointAtEmulators({ CURSOR_SECRET: 'fault-test-cursor-secret-0123456789abcdef' });
  client = await import('../../shared/data/client.ts');
  departments = await import('../../shared/data/department-repository.ts');
  ({ handler: createDepartment } = await import('../../functions/departments/create-department.ts'));
  ({ handler: updateUser } = await import('../../functions/users/update-user.ts'));
  ({ handler: storeBatch } = await import('../../functions/analyses/store-analysis-batch.ts'));
  ({ handler: eraseMe } = await import('../../functions/privacy/erase-me.ts'));
  admin = await registerAccount(['admin'], 'fault-admin');
});
afterEach(() => vi.restoreAllMocks());

/**
 * The authorizer's claims of the account's real access token (its sign-in, so the per-request caller
 * check judges it as in the API), with the groups as the authorizer passes them: one string.
 */
const claimsOf = (account: Account, groups: string) => {
  const payload = JSON.parse(
    Buffer.from(account.accessToken.split('.')[1]!, 'base64url').toString('utf8'),
  ) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({ ...payload, 'cognito:groups': groups }).map(([name, value]) => [name, String(value)]),
  );
};

/** The authorizer's claims of a client-credentials token (a pipeline's), as strings. */
const tokenClaims = (token: string) =>
  Object.fromEntries(
    Object.entries(
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>,
    ).map(([name, value]) => [name, String(value)]),
  );

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...extra });

const FAULTS = [
  [
    'throttling',
    () => named('ProvisionedThroughputExceededException', { $metadata: { httpStatusCode: 400 } }),
    '1',
  ],
  [
    'a transaction cancelled by throttling',
    () => named('TransactionCanceledException', { CancellationReasons: [{ Code: 'ThrottlingError' }] }),
    '1',
  ],
  ['unavailability', () => named('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), '5'],
  ['a timeout', () => named('TimeoutError'), '5'],
  [
    'a refused connection',
    () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    '5',
  ],
] as const;

describe('DynamoDB faults', () => {
  it.each(FAULTS)(
    '%s on a write → 503 with Retry-After, and nothing written',
    async (_name, fault, retryAfter) => {
      const name = `Fault ${randomUUID()}`;
      const realSend = client.documentClient.send.bind(client.documentClient);
      // Reads pass (the name check, manager lookups); the transaction that writes is the one that fails.
      vi.spyOn(client.documentClient, 'send').mockImplementation(((command: {
        constructor: { name: string };
      }) =>
        command.constructor.name === 'TransactWriteCommand'
          ? Promise.reject(fault())
          : realSend(command as never)) as never);
      const response = await createDepartment(
        restEvent({
          method: 'POST',
          path: '/departments',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
          claims: claimsOf(admin, 'admin'),
        }),
        lambdaContext(),
      );
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['Retry-After']).toBe(retryAfter);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'DEPENDENCY_UNAVAILABLE' } });
      expect(response.body).not.toMatch(/Exception|ECONNREFUSED|stack/);
      vi.restoreAllMocks();
      // Nothing half-written: the name is still free.
      const list = await departments.listDepartments(100, undefined);
      expect(list.items.some((d) => d.name === name)).toBe(false);
    },
  );

  it('a read that times out → 503, and the profile is untouched', async () => {
    const user = await registerAccount([], 'fault-user');
    vi.spyOn(client.documentClient, 'send').mockRejectedValue(named('TimeoutError') as never);
    const response = await updateUser(
      restEvent({
        method: 'PUT',
        path: `/users/${user.id}`,
        resource: '/users/{user_id}',
        pathParameters: { user_id: user.id },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: 1, fullName: 'Never Stored' }),
        claims: claimsOf(user, 'employee'),
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(503);
    vi.restoreAllMocks();
    const { getProfile } = await import('../../shared/data/user-repository.ts');
    expect((await getProfile(user.id))?.version).toBe(1);
  });

  describe('BatchGetItem leaving keys unprocessed (the department manager check)', () => {
    type BatchGet = { input: { RequestItems: Record<string, { Keys: unknown[] }> } };
    /** Answers the first `times` BatchGetItem calls with every key unprocessed, as a throttled table does. */
    const leaveUnprocessed = (times: number) => {
      const realSend = client.documentClient.send.bind(client.documentClient);
      let calls = 0;
      vi.spyOn(client.documentClient, 'send').mockImplementation(((command: {
        constructor: { name: string };
      }) => {
        if (command.constructor.name !== 'BatchGetCommand' || calls++ >= times)
          return realSend(command as never);
        const [table, request] = Object.entries((command as unknown as BatchGet).input.RequestItems)[0]!;
        return Promise.resolve({ Responses: { [table]: [] }, UnprocessedKeys: { [table]: request } });
      }) as never);
      return () => calls;
    };
    const create = (name: string, managerIds: string[]) =>
      createDepartment(
        restEvent({
          method: 'POST',
          path: '/departments',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, managerIds }),
          claims: claimsOf(admin, 'admin'),
        }),
        lambdaContext(),
      );

    it('retries the unprocessed keys: real managers are found, not reported unknown', async () => {
      const manager = await registerAccount(['manager'], 'fault-manager');
      const calls = leaveUnprocessed(3);
      const response = await create(`Retried ${randomUUID()}`, [manager.id]);
      expect(response.statusCode, response.body).toBe(201);
      expect(calls()).toBeGreaterThanOrEqual(4);
    });

    it('keys still unprocessed after the retries → 503 with Retry-After, never "unknown users", nothing written', async () => {
      const manager = await registerAccount(['manager'], 'fault-manager-throttled');
      const name = `Throttled ${randomUUID()}`;
      leaveUnprocessed(Number.POSITIVE_INFINITY);
      const response = await create(name, [manager.id]);
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers?.['Retry-After']).toBe('1');
      expect(response.body).not.toMatch(/managerIds|unknown|not found/i);
      vi.restoreAllMocks();
      const list = await departments.listDepartments(100, undefined);
      expect(list.items.some((d) => d.name === name)).toBe(false);
    });
  });
});

describe('batch ingestion writes the audit record before the analyses it names', () => {
  it('a BatchWriteItem that keeps failing → 503, the audit names the analyses and none is stored; the retry under the same key stores them once, under the same ids', async () => {
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const keys = await import('../../shared/data/dynamodb/keys.ts');
    const user = await registerAccount([], 'fault-batch');
    const claims = tokenClaims(await machineToken());
    const idempotencyKey = `fault-batch-${randomUUID()}`;
    const items = Array.from({ length: 3 }, (_, i) => ({
      userId: user.id,
      sentiment: { label: 'neutral', score: 0.5 },
      emotions: { neutral: 0.8, joy: 0.2 },
      model: { name: 'fault-model', version: '1.0.0' },
      analyzedAt: new Date().toISOString(),
      sourceId: `fault-batch-${i}`,
    }));
    const post = () =>
      storeBatch(
        restEvent({
          method: 'POST',
          path: '/analyses/chat/batch',
          resource: '/analyses/{type}/batch',
          pathParameters: { type: 'chat' },
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify({ items }),
          claims,
        }),
        lambdaContext(),
      );
    const query = async (pk: string, prefix: string) =>
      (
        await client.documentClient.send(
          new QueryCommand({
            TableName: client.tableName(),
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    const storedIds = async () =>
      (await query(`USER#${user.id}`, keys.analysisPrefix('chat'))).map((item) => String(item.id)).sort();
    const auditedIds = async () =>
      (await query(`AUDIT#${user.id}`, '20'))
        .filter((record) => record.action === 'analyses.storeBatch')
        .map((record) => [...((record.resource as { ids: string[] }).ids ?? [])].sort());

    // The table throttles every BatchWriteItem: the analyses cannot be written at all.
    const realSend = client.documentClient.send.bind(client.documentClient);
    vi.spyOn(client.documentClient, 'send').mockImplementation(((command: {
      constructor: { name: string };
    }) =>
      command.constructor.name === 'BatchWriteCommand'
        ? Promise.reject(
            named('ProvisionedThroughputExceededException', { $metadata: { httpStatusCode: 400 } }),
          )
        : realSend(command as never)) as never);
    const failed = await post();
    expect(failed.statusCode).toBe(503);
    vi.restoreAllMocks();
    expect(await storedIds()).toEqual([]);
    const [firstAudit, ...others] = await auditedIds();
    expect(others).toEqual([]);
    expect(firstAudit).toHaveLength(3);

    const retried = await post();
    expect(retried.statusCode, retried.body).toBe(200);
    const answer = JSON.parse(retried.body) as { stored: number; results: Array<{ id: string }> };
    expect(answer.stored).toBe(3);
    const ids = answer.results.map((result) => result.id).sort();
    // The ids derive from the key: the retry stores exactly the analyses the first record named.
    expect(ids).toEqual(firstAudit);
    expect(await storedIds()).toEqual(ids);
    expect(await auditedIds()).toEqual([ids, ids]);
  });
});

/**
 * Not a fault but an interleaving the emulator will not produce on demand: a second DELETE /users/me of
 * the same account that runs to completion between two of the first one's DynamoDB calls — after each
 * of them in turn. Both must answer 202 with the same request, whatever the order: the repeat of a
 * request that exists is answered with it, never refused because the competitor already ended the
 * sign-in (a 401 here was once seen in CI, from two DELETEs sent together).
 */
describe('two erasure requests of one account, the second between any two DynamoDB calls of the first', () => {
  const eraseEvent = (account: Account) =>
    restEvent({ method: 'DELETE', path: '/users/me', claims: claimsOf(account, 'employee') });

  /** The commands the handler sends when it runs alone (each run closes a fresh account). */
  const commandsAlone = async (): Promise<string[]> => {
    const account = await registerAccount([], 'erase-alone');
    const realSend = client.documentClient.send.bind(client.documentClient);
    const sent: string[] = [];
    vi.spyOn(client.documentClient, 'send').mockImplementation(((command: {
      constructor: { name: string };
    }) => {
      sent.push(command.constructor.name);
      return realSend(command as never);
    }) as never);
    const response = await eraseMe(eraseEvent(account), lambdaContext());
    vi.restoreAllMocks();
    expect(response.statusCode, response.body).toBe(202);
    return sent;
  };

  it('answers both 202 with the same request, one audit record, the account closed', async () => {
    const { getErasureRequest } = await import('../../shared/data/erasure-repository.ts');
    const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const alone = await commandsAlone();
    // Reads, then the closing transaction: at least the profile, the request and the transaction.
    expect(alone.length).toBeGreaterThanOrEqual(3);
    expect(alone).toContain('TransactWriteCommand');

    for (let after = 0; after < alone.length; after++) {
      const account = await registerAccount([], `erase-race-${after}`);
      const realSend = client.documentClient.send.bind(client.documentClient);
      let calls = 0;
      let raced = false;
      let competitor: Promise<APIGatewayProxyResult> | undefined;
      vi.spyOn(client.documentClient, 'send').mockImplementation((async (command: never) => {
        const result = await realSend(command);
        // Only the first request's calls are counted to `after`; the competitor's pass straight on.
        if (!raced && calls++ === after) {
          raced = true;
          competitor = eraseMe(eraseEvent(account), lambdaContext());
          await competitor;
        }
        return result;
      }) as never);
      const first = await eraseMe(eraseEvent(account), lambdaContext());
      vi.restoreAllMocks();
      expect(competitor, `a competitor after call ${after}`).toBeDefined();
      const second = await competitor!;
      expect([first.statusCode, second.statusCode], `competitor after call ${after}: ${first.body}`).toEqual([
        202, 202,
      ]);
      expect(JSON.parse(first.body)).toEqual(JSON.parse(second.body));
      const request = await getErasureRequest(account.id);
      expect(request).toMatchObject({ status: 'pending', ...JSON.parse(first.body) });
      const audits =
        (
          await client.documentClient.send(
            new QueryCommand({
              TableName: client.tableName(),
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': `AUDIT#${account.id}` },
              ConsistentRead: true,
            }),
          )
        ).Items ?? [];
      expect(audits.filter((record) => record.action === 'privacy.erase')).toHaveLength(1);
    }
  });
});
