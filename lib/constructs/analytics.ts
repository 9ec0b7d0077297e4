import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventFunctions } from '../../shared/contract/event-functions.ts';
import type { StageConfig } from '../config/index.ts';
import { deadLetterAlarm, deadLetterQueue } from './dead-letters.ts';
import { EventFunction } from './api-function.ts';

const { aggregateRollups } = eventFunctions;

/** The stream handler that keeps the rollups (functions/streams). */
export const AGGREGATOR_ENTRY = aggregateRollups.entry;

/**
 * The event source mapping from the table's stream to the aggregator, in CDK terms: the values of its
 * entry in the event function table, which the local stream poller runs on too.
 */
const { mapping } = aggregateRollups.trigger;
export const AGGREGATOR_STREAM = {
  batchSize: mapping.batchSize,
  maxBatchingWindow: Duration.seconds(mapping.maxBatchingWindowSeconds),
  bisectBatchOnError: mapping.bisectBatchOnError,
  reportBatchItemFailures: mapping.reportBatchItemFailures,
  retryAttempts: mapping.retryAttempts,
  maxRecordAge: Duration.seconds(mapping.maxRecordAgeSeconds),
  parallelizationFactor: mapping.parallelizationFactor,
  startingPosition: lambda.StartingPosition[mapping.startingPosition],
} as const;

/** Any message in the dead-letter queue is a record the rollups are missing: alarm at once. */
export const AGGREGATOR_DLQ_ALARM_THRESHOLD = 1;

export interface AnalyticsProps {
  readonly config: StageConfig;
  /** The table; it must have its stream enabled (NEW_AND_OLD_IMAGES). */
  readonly table: dynamodb.ITable;
}

/**
 * Analytics rollups in AWS: the stream aggregator (an {@link EventFunction} from its table entry), its event source mapping on the table's stream, the on-failure destination (an encrypted,
 * TLS-only SQS queue: the mapping sends the failed batch's shard and sequence numbers, never item
 * images) and an alarm on the queue's depth. The stack's observability construct routes every alarm of
 * the stack, this one included, to the stage's alarm topic (routeAlarms).
 */
export class Analytics extends Construct {
  readonly aggregator: EventFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    const { config, table } = props;
    const name = `mha-${config.stage}-aggregate-rollups`;

    this.deadLetterQueue = deadLetterQueue(this, name, config);

    this.aggregator = new EventFunction(this, 'Aggregator', { config, definition: aggregateRollups, table });

    // Grants the stream read (and the table key's decrypt) and the queue send.
    this.aggregator.function.addEventSource(
      new sources.DynamoEventSource(table, {
        ...AGGREGATOR_STREAM,
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
      }),
    );

    this.deadLetterAlarm = deadLetterAlarm(this, this.deadLetterQueue, {
      name,
      description:
        'Stream records the rollup aggregator gave up on: the analytics are missing them. Read the queue message (shard and sequence numbers), fix the cause, then run `npm run admin -- rebuild-rollups --stage <stage>`.',
      threshold: AGGREGATOR_DLQ_ALARM_THRESHOLD,
    });
  }
}
