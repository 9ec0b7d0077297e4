import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { OVERDUE_ALERTS_METRIC } from '#contract/survey.ts';
import { countOverdueAlerts } from '#data/alert-repository.ts';
import { logger, metrics } from '#observability/powertools.ts';

/**
 * What the schedule delivers (lib/constructs/safety.ts): the rule's time and the stage's limit
 * (safety.alertAckMinutes), so the job needs no configuration of its own.
 */
export interface OverdueAlertsEvent {
  time: string;
  ackLimitMinutes: number;
}

export interface OverdueAlertsSummary {
  asOf: string;
  createdBefore: string;
  overdue: number;
}

/**
 * Scheduled: counts the alerts still open (unacknowledged) longer than the stage's limit and publishes
 * the count as a metric — zero included, so the alarm can tell "none overdue" from "the job did not
 * run". Query GSI1 ALERTS#OPEN (created before now − limit), never a Scan.
 */
export const handler = async (event: OverdueAlertsEvent): Promise<OverdueAlertsSummary> => {
  const asOf = new Date(event.time);
  const limit = Number(event.ackLimitMinutes);
  if (Number.isNaN(asOf.getTime()) || !Number.isInteger(limit) || limit < 1)
    throw new Error('scheduled event needs a valid time and a positive ackLimitMinutes');
  const createdBefore = new Date(asOf.getTime() - limit * 60_000).toISOString();
  const overdue = await countOverdueAlerts(createdBefore);
  metrics.addMetric(OVERDUE_ALERTS_METRIC, MetricUnit.Count, overdue);
  metrics.publishStoredMetrics();
  logger.info('overdue risk alerts counted', { overdue, ackLimitMinutes: limit });
  return { asOf: asOf.toISOString(), createdBefore, overdue };
};
