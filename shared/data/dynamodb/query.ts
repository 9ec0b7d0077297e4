import { paginateQuery, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../client.ts';

export type Item = Record<string, unknown>;

/** A query on the table (the table name and the paging are the toolkit's). */
export type TableQuery = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/**
 * The pages of a query, following LastEvaluatedKey with the SDK's paginator: for reads that walk a
 * whole partition or index range page by page (a purge, a rebuild, a migration). `pageSize` is the
 * Limit of each call. API lists page with sealed cursors instead (one page per request).
 */
export async function* queryPages(
  input: TableQuery,
  options: { pageSize?: number; startKey?: Record<string, unknown> | undefined } = {},
): AsyncGenerator<QueryCommandOutput> {
  yield* paginateQuery(
    {
      client: documentClient,
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.startKey ? { startingToken: options.startKey } : {}),
    },
    { ...input, TableName: tableName() },
  );
}

/**
 * Every item a query matches, page by page (at most `max` items): for the reads that need a whole
 * result (a user's managed departments, due erasures, a survey series).
 */
export const queryAll = async (input: TableQuery, max = Number.POSITIVE_INFINITY): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of queryPages(input)) {
    items.push(...(page.Items ?? []));
    if (items.length >= max) break;
  }
  return items.slice(0, max);
};
