import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RiskAlert } from '#contract/risk-alert.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { logger } from '#observability/powertools.ts';
import { documentClient, tableName } from './client.ts';
import { keys } from './keys.ts';

/** EventBridge source and detail type of risk events; clinician notification rules match on them. */
export const RISK_EVENT = { source: 'mha.safety', detailType: 'RiskAlertRaised' } as const;

/**
 * Created with the first alert, not at import: most invocations of the functions that can raise one
 * never do, and functions that only import this module's neighbours leave the client out of their
 * bundle (nothing here runs at import).
 */
let eventBridge: EventBridgeClient | undefined;
const eventBridgeClient = (): EventBridgeClient => (eventBridge ??= new EventBridgeClient({}));

/** The event: ids and reasons only, never the answers or text that raised it. */
export const riskEventDetail = (alert: RiskAlert) => ({
  alertId: alert.id,
  userId: alert.userId,
  reasons: alert.reasons,
  source: alert.source,
  createdAt: alert.createdAt,
});

/**
 * Announces a new alert so clinicians are notified: to EventBridge in AWS; locally (no bus) it is
 * logged and stored as a `RISK_EVENT` item, queryable like the bus's archive would be. Called after
 * the alert's transaction committed; a failure here is logged and the alert stays in the clinicians'
 * queue (GET /alerts), so no signal is lost.
 */
export const publishRiskAlert = async (alert: RiskAlert): Promise<void> => {
  const detail = riskEventDetail(alert);
  const { eventBusName } = runtimeEnv();
  try {
    if (eventBusName) {
      const result = await eventBridgeClient().send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: eventBusName,
              Source: RISK_EVENT.source,
              DetailType: RISK_EVENT.detailType,
              Detail: JSON.stringify(detail),
            },
          ],
        }),
      );
      if (result.FailedEntryCount)
        throw new Error(`EventBridge refused the event: ${result.Entries?.[0]?.ErrorCode}`);
    } else {
      await documentClient.send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.localRiskEvent(alert.createdAt, alert.id),
            entityType: 'RISK_EVENT',
            ...RISK_EVENT,
            detail,
          },
        }),
      );
    }
    logger.info('risk alert published', {
      alertId: alert.id,
      reasons: alert.reasons,
      sourceType: alert.source.type,
    });
  } catch (error) {
    logger.error('risk alert not published; it stays in the clinicians’ queue', { alertId: alert.id, error });
  }
};
