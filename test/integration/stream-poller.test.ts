import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { eventFunctions } from '#contract/event-functions.ts';
import { localDynamoClient } from '../../lib/local/dynamodb-local.ts';
import { ensureTable } from '../../lib/local/provision.ts';
import { startStreamPoller, type StreamPoller } from '../../lib/local/stream-poller.ts';

/**
 * The local stream poller on the aggregator's stream mapping (shared/contract/event-functions.ts), with
 * a substitute handler, on a table of its own (same definition, fresh stream): a batch whose invocation
 * throws is halved until the poisoned record is alone, that record is retried as often as the mapping
 * says and then dead-lettered, and every other record is delivered.
 */
const { mapping } = eventFunctions.aggregateRollups.trigger;
const client = localDynamoClient(inject('dynamodbEndpoint'));
const tableName = `stream-poller-${randomUUID()}`;
const RECORDS = 9;
const POISON = 'ITEM#5';

const batches: string[][] = [];
let poller: StreamPoller | undefined;
const log: string[] = [];

beforeAll(async () => {
  await ensureTable(client, tableName);
  for (let i = 0; i < RECORDS; i++) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { PK: { S: `ITEM#${i}` }, SK: { S: 'ITEM' }, entityType: { S: 'TEST' } },
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await poller?.stop();
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  client.destroy();
});

describe('local stream poller', () => {
  it('bisects a throwing batch down to the poisoned record, retries it as the mapping says, then moves on', async () => {
    expect(mapping.bisectBatchOnError).toBe(true);
    const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const keys = event.Records.map((record) => String(record.dynamodb?.Keys?.PK?.S));
      batches.push(keys);
      if (keys.includes(POISON)) throw new Error('poisoned batch');
      return { batchItemFailures: [] };
    };
    poller = await startStreamPoller({
      endpoint: inject('dynamodbEndpoint'),
      tableName,
      log: (line) => log.push(line),
      handler,
      intervalMs: 50,
    });
    await poller.drain(30_000);

    // Every record but the poisoned one was delivered in a batch that succeeded, each exactly once.
    const succeeded = batches.filter((keys) => !keys.includes(POISON)).flat();
    expect(succeeded.sort()).toEqual(
      Array.from({ length: RECORDS }, (_, i) => `ITEM#${i}`)
        .filter((key) => key !== POISON)
        .sort(),
    );
    // Throwing batches were halved until the poisoned record was alone; alone, it was tried once and
    // retried `retryAttempts` times before it was dead-lettered.
    const failing = batches.filter((keys) => keys.includes(POISON));
    for (let i = 1; i < failing.length; i++)
      expect(failing[i]!.length).toBeLessThanOrEqual(failing[i - 1]!.length);
    expect(failing.filter((keys) => keys.length === 1)).toHaveLength(mapping.retryAttempts + 1);
    expect(poller.stats.deadLettered).toBe(1);
    expect(log.some((line) => line.includes('dead-lettered'))).toBe(true);
  });

  it('reads on from the last finished record when DynamoDB Local refuses a kept iterator as trimmed', async () => {
    // The first poller is done; only this one reads from here on (the fault is injected client-wide).
    await poller?.stop();
    poller = undefined;
    const table = `stream-poller-trimmed-${randomUUID()}`;
    await ensureTable(client, table);
    const put = (i: number) =>
      client.send(
        new PutItemCommand({
          TableName: table,
          Item: { PK: { S: `ITEM#${i}` }, SK: { S: 'ITEM' }, entityType: { S: 'TEST' } },
        }),
      );
    for (let i = 0; i < 3; i++) await put(i);
    // What DynamoDB Local answers now and then (not an emulator fault the test can provoke): a read with
    // the iterator kept from the last, empty, page is refused as past the oldest record.
    let refuseReads = 0;
    let refused = 0;
    const send = DynamoDBStreamsClient.prototype.send;
    const spy = vi.spyOn(DynamoDBStreamsClient.prototype, 'send').mockImplementation(function (
      this: DynamoDBStreamsClient,
      ...args: Parameters<typeof send>
    ) {
      if (refuseReads > 0 && args[0] instanceof GetRecordsCommand) {
        refuseReads -= 1;
        refused += 1;
        const error = new Error('The operation attempted to read past the oldest stream record in a shard.');
        error.name = 'TrimmedDataAccessException';
        return Promise.reject(error);
      }
      return send.apply(this, args) as never;
    } as never);
    const delivered: string[] = [];
    const lines: string[] = [];
    const trimmedPoller = await startStreamPoller({
      endpoint: inject('dynamodbEndpoint'),
      tableName: table,
      log: (line) => lines.push(line),
      handler: async (event) => {
        delivered.push(...event.Records.map((record) => String(record.dynamodb?.Keys?.PK?.S)));
        return { batchItemFailures: [] };
      },
      intervalMs: 50,
    });
    try {
      await trimmedPoller.drain(30_000);
      expect(delivered).toEqual(['ITEM#0', 'ITEM#1', 'ITEM#2']);
      refuseReads = 1;
      for (let i = 3; i < 6; i++) await put(i);
      await trimmedPoller.drain(30_000);
      expect(refused).toBe(1);
      // Every record once, in order: nothing skipped, nothing delivered again, nothing logged.
      expect(delivered).toEqual(['ITEM#0', 'ITEM#1', 'ITEM#2', 'ITEM#3', 'ITEM#4', 'ITEM#5']);
      expect(lines).toEqual([]);
      // Refused twice in a row: the poller reads on from the oldest record left, and skips what it
      // finished before (a record delivered again after its item was purged would be counted again).
      refuseReads = 2;
      for (let i = 6; i < 8; i++) await put(i);
      await trimmedPoller.drain(30_000);
      expect(refused).toBe(3);
      expect(delivered).toEqual(Array.from({ length: 8 }, (_, i) => `ITEM#${i}`));
      expect(lines.some((line) => line.includes('records trimmed, reading on from the oldest left'))).toBe(
        true,
      );
      // An outbox item that does not hold an alert announces nothing and holds nothing back.
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { PK: { S: 'OUTBOX#broken' }, SK: { S: 'OUTBOX' }, entityType: { S: 'OUTBOX' } },
        }),
      );
      await put(8);
      await trimmedPoller.drain(30_000);
      expect(delivered.slice(8)).toEqual(['OUTBOX#broken', 'ITEM#8']);
      expect(lines.some((line) => line.includes('OUTBOX#broken does not hold an alert'))).toBe(true);
    } finally {
      await trimmedPoller.stop();
      spy.mockRestore();
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    }
  });
});
