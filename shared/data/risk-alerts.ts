import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RiskAlert, RiskReason } from '#contract/risk-alert.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import { openAlert } from '#domain/risk.ts';
import { logger, metrics } from '#observability/powertools.ts';
import { auditPut, auditRecord } from './audit-repository.ts';
import { tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import type { TransactAction } from './dynamodb/transaction.ts';
import { riskOutboxItem } from './risk-outbox.ts';

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

export const riskAlertPut = (alert: RiskAlert): TransactAction => ({
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
 * What a transaction that stores a risk signal adds to raise its alert: the alert item, the audit
 * record of its creation (docs/privacy.md: every alert state change is audited; the record names the
 * alert by id only, never why it fired — the reason is the alert's, for clinicians) and the outbox item
 * that publishes its risk event (risk-outbox.ts: the stage's pipe sends it from the table's stream to
 * the risk event bus). Put these in the SAME transaction as the response/analysis/message that raised
 * it, then call {@link recordRiskAlertsRaised} after the commit:
 *
 *   const alert = newRiskAlert({ userId, source: { type: 'chat_analysis', id }, reasons, now });
 *   await transaction()
 *     .put('analysis', analysisPut)
 *     .addAll('alert', alertTransactItems(alert, request, systemClock))
 *     .send();
 *   recordRiskAlertsRaised([alert]);
 */
export const alertTransactItems = (
  alert: RiskAlert,
  context: AuditRequestContext,
  clock: Clock,
): TransactAction[] => [
  riskAlertPut(alert),
  auditPut(
    auditRecord(
      {
        action: 'alerts.raise',
        resourceType: 'risk_alert',
        resourceId: alert.id,
        subjectId: alert.userId,
        status: 201,
      },
      context,
      clock,
    ),
  ),
  {
    Put: {
      TableName: tableName(),
      Item: riskOutboxItem(alert, clock.now()),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  },
];

/**
 * After the alert's transaction committed: the RiskAlertsRaised metric per reason and a log line (ids
 * and reasons only). Publishing needs nothing here: the outbox item in the same transaction is the
 * event. Never throws; an alert is in the clinicians' queue (GET /alerts) either way, and the
 * overdue-alert alarm covers a notification that never came.
 */
export const recordRiskAlertsRaised = (alerts: readonly RiskAlert[]): void => {
  for (const alert of alerts) {
    logger.info('risk alert raised', {
      alertId: alert.id,
      reasons: alert.reasons,
      sourceType: alert.source.type,
    });
    for (const reason of alert.reasons) {
      const metric = metrics.singleMetric();
      metric.addDimension('reason', reason);
      metric.addMetric('RiskAlertsRaised', MetricUnit.Count, 1);
    }
  }
};
