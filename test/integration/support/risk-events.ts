import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import * as keys from '#data/dynamodb/keys.ts';
import { localDynamoClient } from '../../../lib/local/dynamodb-local.ts';
import { localRiskEventKey } from '../../../lib/local/stream-poller.ts';

let client: DynamoDBDocumentClient | undefined;
const documents = () =>
  (client ??= DynamoDBDocumentClient.from(localDynamoClient(inject('dynamodbEndpoint'))));

const getItem = async (key: Record<string, string>) =>
  (await documents().send(new GetCommand({ TableName: inject('tableName'), Key: key, ConsistentRead: true })))
    .Item;

/** The alert's outbox item: written in the same transaction as the alert, so there as soon as it is. */
export const outboxItemOf = (alertId: string) => getItem(keys.riskOutbox(alertId));

/**
 * The risk event published for an alert. The stream poller publishes outbox items as the stage's pipe
 * does, about a second after the write (longer when the machine is busy): polled until it is there.
 */
export const publishedRiskEvent = async (
  alert: { id: string; createdAt: string },
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const item = await getItem(localRiskEventKey({ alertId: alert.id, createdAt: alert.createdAt }));
    if (item) return item;
    if (Date.now() > deadline) throw new Error(`no risk event for alert ${alert.id} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
