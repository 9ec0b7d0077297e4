import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RiskAlert } from '#contract/risk-alert.ts';
import { tableName } from './client.ts';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The alert item, for the transaction that stores its source (a survey response, an analysis, a
 * message): the signal and its alert are written together or not at all. While open (and while
 * acknowledged but unresolved) it is listed under GSI1 ALERTS#OPEN by creation time.
 */
export const alertItem = (alert: RiskAlert) => ({
  ...keys.riskAlert(alert.userId, alert.createdAt, alert.id),
  ...keys.riskAlertById(alert.id),
  ...(alert.status === 'resolved' ? {} : keys.openAlerts(alert.createdAt)),
  entityType: 'RISK_ALERT',
  ...alert,
});

export const riskAlertPut = (alert: RiskAlert): TransactItem => ({
  Put: { TableName: tableName(), Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(PK)' },
});
