import { BatchWriteCommand, paginatedBatchGet } from '@aws-sdk/lib-dynamodb';
import { foldCallerCheckIntoBatchGets } from '../caller-access.ts';
import { documentClient, tableName } from '../client.ts';
import { BATCH_MAX_ATTEMPTS, batchBackoff } from './backoff.ts';
import type { Key } from './keys.ts';
import type { Item } from './query.ts';

/** DynamoDB's limits: 100 keys per BatchGetItem, 25 requests per BatchWriteItem. */
const MAX_KEYS_PER_GET = 100;
const MAX_REQUESTS_PER_WRITE = 25;

/**
 * DynamoDB kept leaving keys or writes unprocessed: it does that when the table (or a partition) is
 * over its throughput, so the error carries a throttling cause and the error mapper answers 503 with
 * Retry-After — never a result that silently lacks the unread items or a write half done unnoticed.
 */
export class UnprocessedKeysError extends Error {
  override name = 'UnprocessedKeysError';
  constructor(
    readonly unprocessed: number,
    operation: 'BatchGetItem' | 'BatchWriteItem' = 'BatchGetItem',
  ) {
    super(
      `${operation} left ${unprocessed} ${operation === 'BatchGetItem' ? 'keys' : 'requests'} unprocessed after ${BATCH_MAX_ATTEMPTS} attempts`,
      { cause: { name: 'ProvisionedThroughputExceededException' } },
    );
  }
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
};

/**
 * Every item of `keys` that exists (100 keys per call, duplicates read once). The SDK's
 * paginatedBatchGet sends the unprocessed keys again; between its calls the batch backoff waits
 * (backoff.ts), and after BATCH_MAX_ATTEMPTS calls for one chunk UnprocessedKeysError ends it.
 */
export const batchGetItems = async (
  keys: readonly Key[],
  options: { consistent?: boolean; projection?: string } = {},
): Promise<Item[]> => {
  foldCallerCheckIntoBatchGets();
  const table = tableName();
  const found: Item[] = [];
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, { PK: k.PK, SK: k.SK }])).values()];
  for (const chunk of chunks(unique, MAX_KEYS_PER_GET)) {
    const pages = paginatedBatchGet(
      { client: documentClient },
      {
        RequestItems: {
          [table]: {
            Keys: chunk,
            ConsistentRead: options.consistent === true,
            ...(options.projection ? { ProjectionExpression: options.projection } : {}),
          },
        },
      },
    );
    for (let attempt = 1; ; attempt++) {
      const page = await pages.next();
      if (page.done) break;
      found.push(...(page.value.Responses?.[table] ?? []));
      const left = page.value.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
      if (left === 0) break;
      if (attempt >= BATCH_MAX_ATTEMPTS) throw new UnprocessedKeysError(left);
      await batchBackoff(attempt);
    }
  }
  return found;
};

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

/**
 * BatchWriteItem of any number of puts and deletes, 25 per call; unprocessed requests are sent again
 * after the batch backoff, and after BATCH_MAX_ATTEMPTS calls for one chunk UnprocessedKeysError ends
 * it. Not atomic: for idempotent writes only (a purge, a rebuild, a batch's analyses once the record that
 * names them has committed: analysis-repository.ts), never for a use case's change. The chunks go one
 * after another, or all at once with `parallel` (the caller's writes must not depend on each other's
 * order).
 */
export const batchWriteItems = async (
  requests: readonly WriteRequest[],
  options: { parallel?: boolean } = {},
): Promise<void> => {
  const table = tableName();
  const writeChunk = async (chunk: readonly WriteRequest[]) => {
    let pending: readonly WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_MAX_ATTEMPTS) throw new UnprocessedKeysError(pending.length, 'BatchWriteItem');
      await batchBackoff(attempt);
      const result = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [table]: [...pending] } }),
      );
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  };
  const all = chunks(requests, MAX_REQUESTS_PER_WRITE);
  if (options.parallel) await Promise.all(all.map(writeChunk));
  else for (const chunk of all) await writeChunk(chunk);
};

/** A key with nothing but PK and SK (a projected or full item reduced to what a delete needs). */
export const keyOf = (item: Item): Key => ({ PK: String(item.PK), SK: String(item.SK) });
