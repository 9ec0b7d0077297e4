import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrisisResources } from '../../shared/contract/risk-alert.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import { OVERDUE_ALERTS_METRIC } from '../../shared/contract/survey.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stageConfigs } from '../../lib/config/stages.ts';
import { REPO_ROOT } from '../../lib/constructs/api-function.ts';
import { OVERDUE_ALERTS_JOB_ENTRY } from '../../lib/constructs/safety.ts';
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

  it('names the bus to every API function, and lets only the alert-raising routes put events, on it alone', () => {
    const raisers = routeTable.filter((route) => route.events === 'risk').map((route) => route.id);
    expect(raisers).toContain('surveys.submit');
    for (const route of routeTable) {
      const id = functionLogicalIdOfRoute(template, route);
      expect(refTo(environmentOf(template, id)[ENV.eventBusName]), route.id).toBe(busId);
      const puts = grantedStatementsOf(template, id).filter((s) =>
        s.actions.some((a) => a.startsWith('events:')),
      );
      if (raisers.includes(route.id)) {
        expect(
          puts.flatMap((s) => s.actions),
          route.id,
        ).toEqual(['events:PutEvents']);
        for (const statement of puts) expect(getAttTo(statement.resource), route.id).toBe(busId);
      } else {
        expect(puts, route.id).toEqual([]);
      }
    }
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
