import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import { OVERDUE_ALERTS_METRIC } from '../../shared/contract/survey.ts';
import type { StageConfig } from '../config/index.ts';
import { ServiceFunction } from './api-function.ts';
import { RiskEventPipe } from './risk-outbox.ts';

/** The scheduled count of overdue risk alerts (functions/jobs). */
export const OVERDUE_ALERTS_JOB_ENTRY = 'functions/jobs/count-overdue-alerts.ts';

/** How often the overdue alerts are counted; also the alarm's period. */
export const OVERDUE_ALERTS_RATE = Duration.minutes(5);

/** Risk events are archived this long (ids and reasons only), so a missed notification can be replayed. */
export const RISK_EVENT_ARCHIVE_RETENTION = Duration.days(30);

export interface SafetyProps {
  readonly config: StageConfig;
  /** The table; its stream carries the risk outbox items the pipe publishes. */
  readonly table: dynamodb.ITable;
}

/**
 * The safety pipeline's infrastructure (docs/privacy.md, crisis and risk escalation):
 * - an EventBridge bus per stage for risk events (clinician notification rules attach to it), with an
 *   archive, and the pipe that publishes them from the table's stream (risk-outbox.ts: the outbox items
 *   written in the same transaction as each alert); no function may put events;
 * - a scheduled function that counts the alerts still unacknowledged after `safety.alertAckMinutes`
 *   and publishes OverdueRiskAlerts (zero included);
 * - an alarm on that metric at ≥ 1. Missing data is breaching: no data means the count did not run,
 *   and an unwatched alert queue is exactly what the alarm exists to catch. The observability
 *   construct routes every alarm of the stack to the stage's alarm topic.
 */
export class Safety extends Construct {
  readonly eventBus: events.EventBus;
  readonly riskEventPipe: RiskEventPipe;
  readonly overdueJob: ServiceFunction;
  readonly overdueRule: events.Rule;
  readonly overdueMetric: cloudwatch.Metric;
  readonly overdueAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SafetyProps) {
    super(scope, id);
    const { config, table } = props;
    const { stage } = config;

    this.eventBus = new events.EventBus(this, 'RiskEvents', {
      eventBusName: `mha-${stage}-risk-events`,
      description: 'Risk alerts raised by the API (ids and reasons only), for clinician notification',
    });
    this.eventBus.archive('Archive', {
      archiveName: `mha-${stage}-risk-events`,
      description: 'Every risk event of the stage, for replay',
      // The bus carries risk events only: match everything sent from this account.
      eventPattern: { account: [Stack.of(this).account] },
      retention: RISK_EVENT_ARCHIVE_RETENTION,
    });
    this.riskEventPipe = new RiskEventPipe(this, 'RiskEventPipe', { config, table, bus: this.eventBus });

    this.overdueJob = new ServiceFunction(this, 'OverdueAlerts', {
      config,
      name: 'job.countOverdueAlerts',
      entry: OVERDUE_ALERTS_JOB_ENTRY,
      description: `Scheduled: counts risk alerts unacknowledged for more than ${config.safety.alertAckMinutes} minutes`,
      timeout: Duration.minutes(1),
    });
    this.overdueJob.bindTable(table, 'RO');

    this.overdueRule = new events.Rule(this, 'OverdueSchedule', {
      ruleName: `mha-${stage}-count-overdue-alerts`,
      description: 'Counts overdue risk alerts for the OverdueRiskAlerts alarm',
      schedule: events.Schedule.rate(OVERDUE_ALERTS_RATE),
      targets: [
        new targets.LambdaFunction(this.overdueJob.function, {
          event: events.RuleTargetInput.fromObject({
            time: events.EventField.time,
            ackLimitMinutes: config.safety.alertAckMinutes,
          }),
          // A run that is late is useless: the next one comes in five minutes.
          retryAttempts: 2,
          maxEventAge: OVERDUE_ALERTS_RATE,
        }),
      ],
    });

    // Powertools publishes with the dimensions service + stage (shared/observability/powertools.ts).
    this.overdueMetric = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: OVERDUE_ALERTS_METRIC,
      dimensionsMap: { service: SERVICE_NAME, stage },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: OVERDUE_ALERTS_RATE,
    });
    this.overdueAlarm = new cloudwatch.Alarm(this, 'OverdueAlertsAlarm', {
      alarmName: `mha-${stage}-overdue-risk-alerts`,
      alarmDescription: `A risk alert has been open (unacknowledged) for more than ${config.safety.alertAckMinutes} minutes, or the count did not run. Clinicians: GET /alerts?status=open.`,
      metric: this.overdueMetric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
