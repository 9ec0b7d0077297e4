import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RiskAlert, RiskReason } from '#contract/risk-alert.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import { openAlert } from '#domain/risk.ts';
import { metrics } from '#observability/powertools.ts';
import { auditPut, newAuditRecord } from './audit-repository.ts';
import { tableName } from './client.ts';
import { keys } from './keys.ts';
import { publishRiskAlert } from './risk-events.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The alert item, for the transaction that stores its source (a survey response, an analysis, a
 * message): the signal and its alert are written together or not at all. While open (and while
 * acknowledged but unresolved) it is listed under GSI1 ALERTS#OPEN by creation time; once resolved,
 * under GSI1 ALERTS#RESOLVED by resolution time.
 */
export const alertItem = (alert: RiskAlert) => ({
  ...keys.riskAlert(alert.userId, alert.createdAt, alert.id),
  ...keys.riskAlertById(alert.id),
  ...(alert.status === 'resolved'
    ? keys.resolvedAlerts(alert.resolvedAt ?? alert.updatedAt)
    : keys.openAlerts(alert.createdAt)),
  entityType: 'RISK_ALERT',
  ...alert,
});

export const riskAlertPut = (alert: RiskAlert): TransactItem => ({
  Put: { TableName: tableName(), Item: alertItem(alert), ConditionExpression: 'attribute_not_exists(PK)' },
});

/** A new open alert with a fresh id, for a signal of `userId` (ids and reasons only, never content). */
export const newRiskAlert = (input: {
  userId: string;
  source: RiskAlert['source'];
  reasons: RiskReason[];
  now: Date;
}): RiskAlert => openAlert({ ...input, id: randomUUID() });

/**
 * What a transaction that stores a risk signal adds to raise its alert: the alert item and the audit
 * record of its creation (docs/privacy.md: every alert state change is audited). The record names the
 * alert by id only, never why it fired: the reason is the alert's, for clinicians. Put these in the SAME
 * TransactWriteCommand as the response/analysis/message that raised it, then call
 * {@link announceRiskAlerts} after the commit:
 *
 *   const alert = newRiskAlert({ userId, source: { type: 'chat_analysis', id }, reasons, now });
 *   await documentClient.send(new TransactWriteCommand({
 *     TransactItems: [analysisPut, ...alertTransactItems(alert, request, systemClock)],
 *   }));
 *   await announceRiskAlerts([alert]);
 */
export const alertTransactItems = (
  alert: RiskAlert,
  context: AuditRequestContext,
  clock: Clock,
): TransactItem[] => [
  riskAlertPut(alert),
  auditPut(
    newAuditRecord(
      {
        action: 'alerts.raise',
        resourceType: 'risk_alert',
        resourceId: alert.id,
        subjectId: alert.userId,
        outcome: 'allowed',
        status: 201,
      },
      context,
      clock,
    ),
  ),
];

/**
 * After the alert's transaction committed: the risk event (EventBridge in AWS, a stored RISK_EVENT
 * locally) and the AlertsRaised metric per reason. Never throws: an unpublished alert is still in the
 * clinicians' queue (GET /alerts), and the overdue-alert alarm covers a notification that never came.
 */
export const announceRiskAlerts = async (alerts: readonly RiskAlert[]): Promise<void> => {
  for (const alert of alerts) {
    await publishRiskAlert(alert);
    for (const reason of alert.reasons) {
      const metric = metrics.singleMetric();
      metric.addDimension('reason', reason);
      metric.addMetric('RiskAlertsRaised', MetricUnit.Count, 1);
    }
  }
};
