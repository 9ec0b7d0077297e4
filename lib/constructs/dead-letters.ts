import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/index.ts';
import { removalPolicy } from './api-function.ts';

/**
 * Where an asynchronous consumer (the stream aggregator, the risk event pipe, the purge job) puts what it
 * gave up on: one SQS queue per consumer, encrypted, TLS only, kept 14 days, removed with the stage's
 * data policy. The construct id stays `DeadLetterQueue`, so its logical id does not move.
 */
export const deadLetterQueue = (scope: Construct, name: string, config: StageConfig): sqs.Queue =>
  new sqs.Queue(scope, 'DeadLetterQueue', {
    queueName: `${name}-dlq`,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: removalPolicy(config),
  });

/**
 * The alarm `<name>-dead-letters` on a dead-letter queue: `threshold` or more visible messages in five
 * minutes (construct id `DeadLetters`); missing data (an empty queue reports nothing) is not breaching.
 */
export const deadLetterAlarm = (
  scope: Construct,
  queue: sqs.IQueue,
  props: { name: string; description: string; threshold: number },
): cloudwatch.Alarm =>
  new cloudwatch.Alarm(scope, 'DeadLetters', {
    alarmName: `${props.name}-dead-letters`,
    alarmDescription: props.description,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    }),
    threshold: props.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
