import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RiskAlert } from '#contract/risk-alert.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { documentClient, tableName } from './client.ts';
import { replaceVersioned } from './versioned-write.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryPages } from './dynamodb/query.ts';
import { alertItem } from './risk-alerts.ts';

/**
 * Risk alerts for clinicians. Items are written by risk-alerts.ts (in the transaction of their source);
 * here they are listed and moved through open → acknowledged → resolved. Access patterns (dynamodb/keys.ts):
 * - unresolved (open and acknowledged), oldest first: Query GSI1 ALERTS#OPEN (sparse, by createdAt);
 * - resolved, most recently resolved first: Query GSI1 ALERTS#RESOLVED (by resolvedAt);
 * - one alert by id: Query GSI2 ALERT#<id>, then a strongly consistent GetItem of its item.
 */

type Item = Record<string, unknown>;

const toAlert = (item: Item): RiskAlert => {
  const { entityType: _type, ...rest } = keys.stripKeys(item);
  return RiskAlert.parse(rest);
};

export type AlertListStatus = 'unresolved' | 'open' | 'acknowledged' | 'resolved';

/**
 * One page of alerts by status. `excludeUserId` leaves out the alerts about that user (a clinician's
 * own): filtered after the read, so a page may hold fewer than `limit` items, but the cursor still
 * continues exactly where the read stopped — nothing is skipped and nothing repeats.
 */
export const listAlerts = async (query: {
  status: AlertListStatus;
  limit: number;
  startKey: Record<string, unknown> | undefined;
  excludeUserId: string;
}) => {
  const resolved = query.status === 'resolved';
  const byStatus = query.status === 'open' || query.status === 'acknowledged';
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: {
        ':pk': resolved ? partitions.resolvedAlerts() : partitions.openAlerts(),
        ':me': query.excludeUserId,
        ...(byStatus ? { ':status': query.status } : {}),
      },
      FilterExpression: byStatus ? '#status = :status AND #user <> :me' : '#user <> :me',
      ExpressionAttributeNames: { '#user': 'userId', ...(byStatus ? { '#status': 'status' } : {}) },
      ScanIndexForward: !resolved,
      Limit: query.limit,
      ExclusiveStartKey: query.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toAlert), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** One alert by id, read consistently (its version is compared on update); undefined when none. */
export const getAlert = async (id: string): Promise<RiskAlert | undefined> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK = :sk',
      ExpressionAttributeValues: {
        ':pk': keys.riskAlertById(id).GSI2PK,
        ':sk': keys.riskAlertById(id).GSI2SK,
      },
      ProjectionExpression: 'PK, SK',
    }),
  );
  const found = Items[0];
  if (!found) return undefined;
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: { PK: found.PK, SK: found.SK }, ConsistentRead: true }),
  );
  return Item ? toAlert(Item) : undefined;
};

/** The alert changed since it was read (optimistic locking): 409. */
export class StaleAlertError extends Error {
  override name = 'StaleAlertError';
}

/** Replaces the alert (its list keys follow its status) and writes the audit record, in one transaction. */
export const replaceAlert = async (
  next: RiskAlert,
  previousVersion: number,
  audit: AuditRecord,
): Promise<void> => {
  if (!(await replaceVersioned(alertItem(next), previousVersion, audit)))
    throw new StaleAlertError('alert changed');
};

/** Open (unacknowledged) alerts created before `createdBefore`: the overdue count for the alarm. */
export const countOverdueAlerts = async (createdBefore: string): Promise<number> => {
  let count = 0;
  const pages = queryPages({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :before',
    FilterExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':pk': partitions.openAlerts(), ':before': createdBefore, ':open': 'open' },
    Select: 'COUNT',
  });
  for await (const page of pages) count += page.Count ?? 0;
  return count;
};
