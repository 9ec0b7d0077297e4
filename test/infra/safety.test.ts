import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrisisResources } from '../../shared/contract/risk-alert.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import { OVERDUE_ALERTS_METRIC } from '../../shared/contract/survey.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stageConfigs } from '../../lib/config/stages.ts';
import { OVERDUE_ALERTS_JOB_ENTRY } from '../../lib/constructs/safety.ts';
import {
  isOutboxItem,
  OUTBOX_ENTITY_TYPE,
  RISK_EVENT,
  riskEventOf,
  riskOutboxItem,
} from '../../shared/data/risk-outbox.ts';
import { openAlert } from '../../shared/domain/risk.ts';
import { RISK_EVENT_INPUT_TEMPLATE, RISK_EVENT_PIPE_SOURCE } from '../../lib/constructs/risk-outbox.ts';
import {
  environmentOf,
  functionLogicalIdOfRoute,
  getAttTo,
  grantedStatementsOf,
  refTo,
  resourcesOf,
  scheduledFunctionIdsOf,
  STAGES,
  synthStage,
  type CfnResource,
} from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

const single = (resources: Record<string, CfnResource>): [string, CfnResource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

describe.each(STAGES)('safety pipeline of stage %s', (stage) => {
  const { template, config } = synthStage(stage);
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const [busId, bus] = single(resourcesOf(template, 'AWS::Events::EventBus'));
  const jobEntry = Object.entries(functions).find(
    ([, fn]) => fn.Properties.FunctionName === `mha-${stage}-job-countOverdueAlerts`,
  );
  if (!jobEntry) throw new Error('no overdue alert job');
  const [jobId] = jobEntry;

  it('has one risk event bus per stage, archived', () => {
    expect(bus.Properties.Name).toBe(`mha-${stage}-risk-events`);
    const [, archive] = single(resourcesOf(template, 'AWS::Events::Archive'));
    expect(getAttTo(archive.Properties.SourceArn)).toBe(busId);
    expect(archive.Properties.RetentionDays).toBe(30);
  });

  it('lets no function put events: risk events leave through the pipe only', () => {
    expect(routeTable.filter((route) => route.events === 'risk').map((route) => route.id)).toContain(
      'surveys.submit',
    );
    for (const id of Object.keys(functions)) {
      const puts = grantedStatementsOf(template, id).flatMap((s) =>
        s.actions.filter((a) => a.startsWith('events:')),
      );
      expect(puts, String(functions[id]?.Properties.FunctionName)).toEqual([]);
    }
  });

  const [pipeId, pipe] = single(resourcesOf(template, 'AWS::Pipes::Pipe'));
  const [tableId] = single(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const pipeQueueArn = (
    pipe.Properties.SourceParameters as { DynamoDBStreamParameters: { DeadLetterConfig: { Arn: unknown } } }
  ).DynamoDBStreamParameters.DeadLetterConfig.Arn;
  const [queueId] = single(
    Object.fromEntries(
      Object.entries(resourcesOf(template, 'AWS::SQS::Queue')).filter(
        ([, queue]) => queue.Properties.QueueName === `mha-${stage}-risk-outbox-dlq`,
      ),
    ),
  );

  it('publishes new outbox items of the table stream, and nothing else, to the risk event bus', () => {
    expect(pipe.Properties).toMatchObject({
      Name: `mha-${stage}-risk-outbox`,
      Source: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      Target: { 'Fn::GetAtt': [busId, 'Arn'] },
      TargetParameters: {
        EventBridgeEventBusParameters: { Source: RISK_EVENT.source, DetailType: RISK_EVENT.detailType },
        InputTemplate: RISK_EVENT_INPUT_TEMPLATE,
      },
      // Errors only, without the events' data.
      LogConfiguration: { Level: 'ERROR' },
    });
    expect(
      (pipe.Properties.LogConfiguration as Record<string, unknown>).IncludeExecutionData,
    ).toBeUndefined();
    const source = pipe.Properties.SourceParameters as {
      FilterCriteria: { Filters: { Pattern: string }[] };
      DynamoDBStreamParameters: Record<string, unknown>;
    };
    expect(source.FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY_TYPE] } } } },
    ]);
    expect(source.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: 'LATEST',
      OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
      MaximumRetryAttempts: RISK_EVENT_PIPE_SOURCE.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: 86_400,
    });
    expect(getAttTo(pipeQueueArn)).toBe(queueId);
  });

  it("lets the pipe's role read the stream, put on this bus and send to its queue, nothing more", () => {
    const roleId = getAttTo(pipe.Properties.RoleArn);
    const role = resourcesOf(template, 'AWS::IAM::Role')[roleId ?? ''];
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain('pipes.amazonaws.com');
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => refTo(r) === roleId))
      .flatMap(
        (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
    const actions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action as string[]));
    expect(new Set(actions)).toEqual(
      new Set([
        'dynamodb:ListStreams',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        // The CDK's stream grant: the table's key decrypts the stream records.
        'kms:Decrypt',
        'kms:DescribeKey',
        'events:PutEvents',
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]),
    );
    for (const statement of statements) {
      const acts = ([] as string[]).concat(statement.Action as string[]);
      if (acts.includes('events:PutEvents')) expect(getAttTo(statement.Resource)).toBe(busId);
      if (acts.includes('dynamodb:GetRecords'))
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
      // Only ListStreams, which IAM cannot scope to a stream, is granted on every resource.
      if (statement.Resource === '*') expect(acts).toEqual(['dynamodb:ListStreams']);
    }
  });

  it('alarms on a dead-lettered outbox record and on failed deliveries', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    const deadLetters = alarms.find(
      (a) => a.Properties.AlarmName === `mha-${stage}-risk-outbox-dead-letters`,
    );
    expect(JSON.stringify(deadLetters?.Properties.Dimensions)).toContain(queueId);
    expect(deadLetters?.Properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
    const failures = alarms.find((a) => a.Properties.AlarmName === `mha-${stage}-risk-outbox-failures`);
    expect(failures?.Properties).toMatchObject({
      Namespace: 'AWS/EventBridge/Pipes',
      MetricName: 'ExecutionFailed',
      Dimensions: [{ Name: 'PipeName', Value: `mha-${stage}-risk-outbox` }],
      Threshold: 1,
    });
    // Both go to the stage's alarm topic like every alarm of the stack.
    for (const alarm of [deadLetters, failures]) expect(alarm?.Properties.AlarmActions).toHaveLength(1);
    expect(pipeId).toBeDefined();
  });

  it('gives every API function the stage crisis resources, valid under the contract', () => {
    for (const route of routeTable) {
      const value = environmentOf(template, functionLogicalIdOfRoute(template, route))[ENV.crisisResources];
      expect(typeof value, route.id).toBe('string');
      const parsed = CrisisResources.parse(JSON.parse(String(value)));
      expect(parsed).toEqual(config.safety.crisisResources);
    }
  });

  it('counts overdue alerts every 5 minutes with the stage limit, reading the table only', () => {
    const rule = Object.entries(scheduledFunctionIdsOf(template)).find(([, ids]) => ids.includes(jobId));
    if (!rule) throw new Error('no rule targets the job');
    const [ruleId] = rule;
    const ruleProps = resourcesOf(template, 'AWS::Events::Rule')[ruleId]?.Properties ?? {};
    expect(ruleProps.ScheduleExpression).toBe('rate(5 minutes)');
    const [target] = ruleProps.Targets as {
      InputTransformer?: { InputTemplate: string; InputPathsMap: Record<string, string> };
    }[];
    // The job gets the event's time and the stage's limit, nothing else.
    const input = target?.InputTransformer?.InputTemplate ?? '';
    expect(input).toBe(`{"time":<time>,"ackLimitMinutes":${config.safety.alertAckMinutes}}`);
    expect(target?.InputTransformer?.InputPathsMap).toEqual({ time: '$.time' });
    const entry = path.join(REPO_ROOT, OVERDUE_ALERTS_JOB_ENTRY);
    expect(existsSync(entry)).toBe(true);
    expect(readFileSync(entry, 'utf8')).toMatch(/export const handler\b/);
    const statements = grantedStatementsOf(template, jobId);
    const unconditionalWrites = statements
      .filter((s) => s.condition === undefined)
      .flatMap((s) => s.actions)
      .filter((a) =>
        [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ].includes(a),
      );
    expect(unconditionalWrites).toEqual([]);
    expect(statements.flatMap((s) => s.actions)).toEqual(expect.arrayContaining(['dynamodb:Query']));
  });

  it('alarms at one overdue alert, and when the count stops arriving', () => {
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === OVERDUE_ALERTS_METRIC,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      AlarmName: `mha-${stage}-overdue-risk-alerts`,
      Namespace: METRICS_NAMESPACE,
      Dimensions: expect.arrayContaining([
        { Name: 'service', Value: SERVICE_NAME },
        { Name: 'stage', Value: stage },
      ]),
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
    expect(String(alarms[0]?.Properties.AlarmDescription)).toContain(
      `${config.safety.alertAckMinutes} minutes`,
    );
  });
});

/**
 * The pipe's input template, applied the way EventBridge Pipes does to a stream record: each
 * `<$.dynamodb.NewImage.x.T>` replaced by the image's value (a quoted placeholder by the string's
 * characters, an unquoted one by the JSON of the value).
 */
const applyInputTemplate = (template: string, record: { dynamodb: { NewImage: Record<string, unknown> } }) =>
  JSON.parse(
    template.replace(
      /("?)<\$\.dynamodb\.NewImage\.([A-Za-z]+)\.(S|SS)>("?)/g,
      (_all, open, name, type, close) => {
        const value = (record.dynamodb.NewImage[name] as Record<string, unknown>)[type];
        return open ? `${open}${JSON.stringify(value).slice(1, -1)}${close}` : JSON.stringify(value);
      },
    ),
  ) as unknown;

describe('risk outbox', () => {
  const alert = openAlert({
    id: randomUUID(),
    userId: randomUUID(),
    source: { type: 'survey_response', id: randomUUID() },
    reasons: ['suicidal_ideation', 'crisis'],
    now: new Date('2026-11-02T10:00:00.000Z'),
  });
  const item = riskOutboxItem(alert, new Date('2026-11-02T10:00:00.000Z'));

  it("the pipe's input template gives exactly the event detail the outbox item announces", () => {
    const image = marshall(item);
    const detail = applyInputTemplate(RISK_EVENT_INPUT_TEMPLATE, { dynamodb: { NewImage: image } }) as {
      reasons: string[];
    };
    expect({ ...detail, reasons: [...detail.reasons].sort() }).toEqual(riskEventOf(item).detail);
    expect(riskEventOf(item).detail).toEqual({
      alertId: alert.id,
      userId: alert.userId,
      reasons: ['crisis', 'suicidal_ideation'],
      source: alert.source,
      createdAt: alert.createdAt,
    });
  });

  it('announces nothing for an item that does not hold an alert: it throws instead of sending a half-read event', () => {
    expect(() => riskEventOf({ ...item, reasons: new Set(['crisis', 'bored']) })).toThrow();
    expect(() => riskEventOf({ ...item, reasons: new Set() })).toThrow();
    expect(() => riskEventOf({ ...item, sourceType: 'rumour' })).toThrow();
    const { alertId: _alertId, ...withoutAlert } = item;
    expect(() => riskEventOf(withoutAlert)).toThrow();
  });

  it('holds ids and reasons only, and expires after the stream has let go of it', () => {
    expect(Object.keys(item).sort()).toEqual(
      [
        'PK',
        'SK',
        'entityType',
        'alertId',
        'userId',
        'reasons',
        'sourceType',
        'sourceId',
        'createdAt',
        'expiresAt',
      ].sort(),
    );
    expect(item.expiresAt - Date.parse('2026-11-02T10:00:00.000Z') / 1000).toBeGreaterThan(86_400);
    expect(isOutboxItem(item)).toBe(true);
    expect(isOutboxItem({ entityType: 'RISK_ALERT' })).toBe(false);
  });
});

describe('safety config', () => {
  it('has crisis resources and an acknowledgement limit in every stage (prod tighter)', () => {
    for (const stage of STAGES) {
      expect(stageConfigs[stage].safety.crisisResources.contacts.length).toBeGreaterThan(0);
      expect(stageConfigs[stage].safety.alertAckMinutes).toBeGreaterThanOrEqual(5);
    }
    expect(stageConfigs.prod.safety.alertAckMinutes).toBe(30);
    expect(stageConfigs.dev.safety.alertAckMinutes).toBe(60);
  });

  it.each([
    ['an acknowledgement limit below 5 minutes', { alertAckMinutes: 4 }, 'safety.alertAckMinutes'],
    [
      'crisis resources without contacts',
      { crisisResources: { message: 'x', contacts: [] } },
      'safety.crisisResources.contacts',
    ],
  ])('rejects %s', (_what, override, field) => {
    const config = { ...stageConfigs.dev, safety: { ...stageConfigs.dev.safety, ...override } };
    const result = StageConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});
