import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
});
