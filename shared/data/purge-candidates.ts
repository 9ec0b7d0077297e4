import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { sessionIdOf, type PurgeCandidate, type StoredKey } from '#domain/erasure.ts';
import { documentClient, tableName } from './client.ts';
import { batchGetItems, batchWriteItems } from './dynamodb/batch.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryAll } from './dynamodb/query.ts';

/**
 * What the purge of a user reads and deletes (shared/workflows/purge-erased-user.ts decides what and in
 * which order): the keys and entity types of stored items, never their content, and the batch delete.
 */

const candidateOf = (item: Record<string, unknown>): PurgeCandidate => ({
  PK: String(item.PK),
  SK: String(item.SK),
  entityType: item.entityType,
});

/** Up to `limit` items of one partition, by a consistent read (what is left of it). */
export const partitionCandidates = async (pk: string, limit: number): Promise<PurgeCandidate[]> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ExpressionAttributeNames: { '#pk': 'PK', '#sk': 'SK', '#type': 'entityType' },
      ProjectionExpression: '#pk, #sk, #type',
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return Items.map(candidateOf);
};

/** The user's EmoBuddy session ids, from the session items in the user's partition. */
export const emoSessionIdsOf = async (sub: string): Promise<string[]> => {
  const sessions = await queryAll({
    KeyConditionExpression: 'PK = :pk',
    FilterExpression: 'entityType = :session',
    ExpressionAttributeValues: { ':pk': partitions.user(sub), ':session': 'EMO_SESSION' },
    ConsistentRead: true,
  });
  return [...new Set(sessions.map(sessionIdOf).filter((id) => id !== undefined))];
};

/**
 * The risk events of the user where there is no EventBridge bus (the local runtime keeps them in one
 * partition instead; in AWS it holds nothing, and this reads nothing).
 */
export const localRiskEventsOf = async (sub: string): Promise<PurgeCandidate[]> =>
  (
    await queryAll({
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'detail.userId = :sub',
      ExpressionAttributeValues: { ':pk': partitions.localRiskEvents(), ':sub': sub },
      ProjectionExpression: 'PK, SK, entityType',
      ConsistentRead: true,
    })
  ).map(candidateOf);

/** The outbox items (risk-outbox.ts) of the user's risk alerts that are still stored. */
export const riskOutboxItemsOf = async (sub: string): Promise<PurgeCandidate[]> => {
  const alerts = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :alert)',
    ExpressionAttributeValues: { ':pk': partitions.user(sub), ':alert': keys.riskAlertPrefix },
    ProjectionExpression: 'id',
    ConsistentRead: true,
  });
  const outboxKeys = alerts.map((alert) => keys.riskOutbox(String(alert.id)));
  if (outboxKeys.length === 0) return [];
  const stored = await batchGetItems(outboxKeys, { consistent: true, projection: 'PK, SK, entityType' });
  return stored.map(candidateOf);
};

/** BatchWriteItem deletes (dynamodb/batch.ts: unprocessed items retried with the batch backoff). */
export const deleteStoredItems = (itemKeys: readonly StoredKey[]): Promise<void> =>
  batchWriteItems(itemKeys.map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } })));
