import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';

type Item = Record<string, unknown>;

/** BatchGetItem reads at most this many keys per call. */
const MAX_KEYS_PER_CALL = 100;
/** Calls per chunk before giving up: the first and six retries, about 1.3 s of backoff in all. */
const MAX_ATTEMPTS = 7;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DynamoDB kept returning keys as unprocessed: it does that when the table (or a partition) is over
 * its throughput, so the error carries a throttling cause and the error mapper answers 503 with
 * Retry-After — never a result that silently lacks the unread items.
 */
export class UnprocessedKeysError extends Error {
  override name = 'UnprocessedKeysError';
  constructor(readonly unprocessed: number) {
    super(`BatchGetItem left ${unprocessed} keys unprocessed after ${MAX_ATTEMPTS} attempts`, {
      cause: { name: 'ProvisionedThroughputExceededException' },
    });
  }
}

/**
 * Every item of `keys` that exists (100 keys per call, duplicates read once), with unprocessed keys
 * retried with exponential backoff (20, 40 … 640 ms) until read or MAX_ATTEMPTS is spent
 * (UnprocessedKeysError). The one BatchGetItem loop of the data layer.
 */
export const batchGetItems = async (
  keys: readonly { PK: string; SK: string }[],
  options: { consistent?: boolean; projection?: string } = {},
): Promise<Item[]> => {
  const found: Item[] = [];
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, { PK: k.PK, SK: k.SK }])).values()];
  for (let start = 0; start < unique.length; start += MAX_KEYS_PER_CALL) {
    let pending: Item[] = unique.slice(start, start + MAX_KEYS_PER_CALL);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new UnprocessedKeysError(pending.length);
      if (attempt > 0) await sleep(2 ** attempt * 10);
      const result: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: pending,
              ConsistentRead: options.consistent === true,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
            },
          },
        }),
      );
      found.push(...(result.Responses?.[tableName()] ?? []));
      pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return found;
};
