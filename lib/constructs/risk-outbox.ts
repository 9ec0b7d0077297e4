import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_ENTITY_TYPE, RISK_EVENT } from '../../shared/data/risk-outbox.ts';
import type { StageConfig } from '../config/index.ts';
import { deadLetterAlarm, deadLetterQueue } from './dead-letters.ts';
import { logRetention, removalPolicy } from './api-function.ts';

/**
 * Which stream records the pipe takes: new outbox items only. Updates, the TTL's deletes and every
 * other item of the table are filtered out before the pipe is billed for them.
 */
export const OUTBOX_FILTER_PATTERN = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY_TYPE] } } },
} as const;

/** `<$.dynamodb.NewImage.<attribute>.<type>>`: a value of the new item's image in an input template. */
const image = (attribute: string, type: 'S' | 'SS') => `<$.dynamodb.NewImage.${attribute}.${type}>`;

/**
 * The event detail, rebuilt from the outbox item's stream image: the shape riskEventOf
 * (shared/data/risk-outbox.ts) gives locally. Strings are quoted in the template, the reasons (a string
 * set) are inserted as the JSON array the image holds.
 */
export const RISK_EVENT_INPUT_TEMPLATE = `{"alertId":"${image('alertId', 'S')}","userId":"${image('userId', 'S')}","reasons":${image('reasons', 'SS')},"source":{"type":"${image('sourceType', 'S')}","id":"${image('sourceId', 'S')}"},"createdAt":"${image('createdAt', 'S')}"}`;

/**
 * How the pipe reads the stream: small batches without waiting (a clinician notification should not
 * wait for a batch to fill), a failing batch halved until the bad record is alone, a record retried a
 * few times and never after a day (the stream keeps 24 h); then its metadata goes to the dead-letter
 * queue. LATEST: a new pipe starts with the writes after it.
 */
export const RISK_EVENT_PIPE_SOURCE = {
  batchSize: 10,
  maximumRetryAttempts: 5,
  maximumRecordAgeInSeconds: 86_400,
  onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
  startingPosition: 'LATEST',
} as const;

export interface RiskEventPipeProps {
  readonly config: StageConfig;
  /** The table; its stream (NEW_AND_OLD_IMAGES) carries the outbox items. */
  readonly table: dynamodb.ITable;
  /** The stage's risk event bus. */
  readonly bus: events.IEventBus;
}

/**
 * The transactional outbox's publisher: an EventBridge pipe from the table's stream to the stage's risk
 * event bus. A route that raises a risk alert writes an outbox item in the same transaction as the
 * alert (shared/data/risk-alerts.ts); the pipe filters the stream down to those items and puts one
 * `RiskAlertRaised` event per item on the bus. So an event exists exactly when its alert does, and no
 * route function carries an EventBridge client or may put events.
 *
 * With it: the pipe's role (stream read and the key's decrypt, PutEvents on this bus, send to the
 * dead-letter queue), an encrypted TLS-only dead-letter queue (the stream record's metadata, never the
 * item), an error log group, and alarms on the queue's depth and on failed executions. The stack's
 * observability construct routes both alarms to the stage's alarm topic.
 */
export class RiskEventPipe extends Construct {
  readonly pipe: pipes.CfnPipe;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RiskEventPipeProps) {
    super(scope, id);
    const { config, table, bus } = props;
    const name = `mha-${config.stage}-risk-outbox`;
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error('The risk event pipe needs the table stream');

    this.deadLetterQueue = deadLetterQueue(this, name, config);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/pipes/${name}`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Reads the ${table.tableName} stream and puts risk events on ${bus.eventBusName}`,
    });
    table.grantStreamRead(this.role);
    bus.grantPutEventsTo(this.role);
    this.deadLetterQueue.grantSendMessages(this.role);
    this.logGroup.grantWrite(this.role);

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      name,
      description: 'Risk alerts: outbox items of the table stream to the risk event bus',
      roleArn: this.role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          ...RISK_EVENT_PIPE_SOURCE,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(OUTBOX_FILTER_PATTERN) }] },
      },
      target: bus.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: { source: RISK_EVENT.source, detailType: RISK_EVENT.detailType },
        inputTemplate: RISK_EVENT_INPUT_TEMPLATE,
      },
      // Errors only, and never the event's data: the log says which record failed and why.
      logConfiguration: {
        level: 'ERROR',
        cloudwatchLogsLogDestination: { logGroupArn: this.logGroup.logGroupArn },
      },
    });
    // The role's policy must exist before the pipe starts reading.
    this.pipe.node.addDependency(this.role);

    this.deadLetterAlarm = deadLetterAlarm(this, this.deadLetterQueue, {
      name,
      description:
        'Outbox records the risk event pipe gave up on: clinicians were not notified of these alerts by event (they are still in GET /alerts). Read the queue message (shard and sequence numbers) and the pipe log group.',
      threshold: 1,
    });
    this.failureAlarm = new cloudwatch.Alarm(this, 'Failures', {
      alarmName: `${name}-failures`,
      alarmDescription:
        'The risk event pipe failed to deliver outbox records to the risk event bus (it retries; see its log group).',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/EventBridge/Pipes',
        metricName: 'ExecutionFailed',
        dimensionsMap: { PipeName: name },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
