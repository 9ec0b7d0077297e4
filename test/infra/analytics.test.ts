import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { describe, expect, it } from 'vitest';
import { loadStageConfig, STAGES } from '../../lib/config/index.ts';
import { AGGREGATOR_ENTRY, AGGREGATOR_STREAM, Analytics } from '../../lib/constructs/analytics.ts';
import { DataTable } from '../../lib/constructs/data-table.ts';
import { AGGREGATOR_ENTRY as LOCAL_AGGREGATOR_ENTRY } from '../../lib/local/stream-poller.ts';
import { getAttTo, policyStatementsOf, refTo, resourcesOf } from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/**
 * The analytics construct on its own, in a minimal stack (table + construct): the full stage stack is
 * at CloudFormation's 500-resource limit until the route functions move into nested stacks, so these
 * assertions do not depend on it.
 */
const synth = (stage: (typeof STAGES)[number]) => {
  const app = new App({ context: { 'aws:cdk:disable-asset-staging': true } });
  const stack = new Stack(app, `analytics-${stage}`);
  const config = loadStageConfig(stage);
  const data = new DataTable(stack, 'Data', { config });
  const analytics = new Analytics(stack, 'Analytics', { config, table: data.table });
  // What the stack's observability construct does with every alarm (routeAlarms).
  const topic = new sns.Topic(stack, 'Alarms');
  analytics.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
  return { template: Template.fromStack(stack), config, stack };
};

describe.each(STAGES)('analytics aggregator of stage %s', (stage) => {
  const { template } = synth(stage);
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const [aggregatorId] = Object.entries(functions).find(
    ([, fn]) => fn.Properties.FunctionName === `mha-${stage}-streams-aggregateRollups`,
  ) ?? [undefined];

  it('is a house-default function on the aggregator handler module the local runtime also runs', () => {
    expect(aggregatorId).toBeDefined();
    const fn = functions[aggregatorId!]!;
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(LOCAL_AGGREGATOR_ENTRY).toBe(AGGREGATOR_ENTRY);
    expect(readFileSync(path.join(REPO_ROOT, AGGREGATOR_ENTRY), 'utf8')).toMatch(/export const handler/);
  });

  it('reads the table stream in batches with bisect, partial failures, bounded retries and a DLQ', () => {
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    const [mapping] = Object.values(mappings);
    expect(Object.keys(mappings)).toHaveLength(1);
    const tableId = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'))[0]!;
    expect(mapping?.Properties).toMatchObject({
      BatchSize: AGGREGATOR_STREAM.batchSize,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: AGGREGATOR_STREAM.retryAttempts,
      MaximumRecordAgeInSeconds: 86_400,
      ParallelizationFactor: 1,
      StartingPosition: 'LATEST',
    });
    expect(getAttTo(mapping?.Properties.EventSourceArn)).toBe(tableId);
    expect(refTo(mapping?.Properties.FunctionName)).toBe(aggregatorId);
    const destination = (mapping?.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const queueId = getAttTo(destination)!;
    expect(queues[queueId]?.Properties).toMatchObject({
      QueueName: `mha-${stage}-aggregate-rollups-dlq`,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('may read and write the table and read its stream, and never change an audit record', () => {
    const statements = policyStatementsOf(template, aggregatorId!);
    const allowed = statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.actions);
    expect(allowed).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
    );
    expect(allowed).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator']));
    expect(allowed).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    expect(statements.find((s) => s.sid === 'AuditRecordsAreAppendOnly')?.effect).toBe('Deny');
  });

  it('alarms on the first message in the dead-letter queue, to the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `mha-${stage}-aggregate-rollups-dead-letters`,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
  });
});
