import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from '../config/index.ts';
import { removalPolicy, ServiceFunction } from './api-function.ts';

/** The stream handler that keeps the rollups (functions/streams). */
export const AGGREGATOR_ENTRY = 'functions/streams/aggregate-rollups.ts';

/**
 * How the table's stream reaches the aggregator. Records are applied one at a time in stream order and
 * each failure is reported on its own; a failing batch is halved until the poisoned record is alone, a
 * record is retried a few times and never after a day (the stream keeps 24 h), then its metadata goes to
 * the dead-letter queue and the shard moves on. LATEST: a new deployment starts with the writes after it
 * (`npm run admin -- rebuild-rollups` covers what came before).
 */
export const AGGREGATOR_STREAM = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  retryAttempts: 5,
  maxRecordAge: Duration.hours(24),
  parallelizationFactor: 1,
  startingPosition: lambda.StartingPosition.LATEST,
} as const;

/** A batch of 100 records is ~100 small transactions; well inside a minute. */
export const AGGREGATOR_TIMEOUT = Duration.minutes(1);

/** Any message in the dead-letter queue is a record the rollups are missing: alarm at once. */
export const AGGREGATOR_DLQ_ALARM_THRESHOLD = 1;

export interface AnalyticsProps {
  readonly config: StageConfig;
  /** The table; it must have its stream enabled (NEW_AND_OLD_IMAGES). */
  readonly table: dynamodb.ITable;
}

/**
 * Analytics rollups in AWS: the stream aggregator (a {@link ServiceFunction} with read-write table
 * access), its event source mapping on the table's stream, the on-failure destination (an encrypted,
 * TLS-only SQS queue: the mapping sends the failed batch's shard and sequence numbers, never item
 * images) and an alarm on the queue's depth. The stack's observability construct routes every alarm of
 * the stack, this one included, to the stage's alarm topic (routeAlarms).
 */
export class Analytics extends Construct {
  readonly aggregator: ServiceFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const { config, table } = props;
    const name = `mha-${config.stage}-aggregate-rollups`;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: removalPolicy(config),
    });

    this.aggregator = new ServiceFunction(this, 'Aggregator', {
      config,
      name: 'streams.aggregateRollups',
      entry: AGGREGATOR_ENTRY,
      description:
        'Table stream: keeps the per-user (day, ISO week, month), per-department and organisation (month) rollups exactly once per record',
      timeout: AGGREGATOR_TIMEOUT,
      // Which months are closed (a change to one marks its cells revised) follows the analysis window.
      environment: { [ENV.analysisTimeWindow]: JSON.stringify(config.analysisTimeWindow) },
    });
    this.aggregator.bindTable(table, 'RW');

    // Grants the stream read (and the table key's decrypt) and the queue send.
    this.aggregator.function.addEventSource(
      new sources.DynamoEventSource(table, {
        ...AGGREGATOR_STREAM,
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
      }),
    );

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmName: `${name}-dead-letters`,
      alarmDescription:
        'Stream records the rollup aggregator gave up on: the analytics are missing them. Read the queue message (shard and sequence numbers), fix the cause, then run `npm run admin -- rebuild-rollups --stage <stage>`.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: AGGREGATOR_DLQ_ALARM_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
