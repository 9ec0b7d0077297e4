import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_NAMESPACE } from '../../shared/contract/runtime-env.ts';
import { BUSINESS_METRIC_GROUPS, FUNCTIONS_PER_ERROR_ALARM } from '../../lib/constructs/observability.ts';
import { getAttTo, resourcesOf, serviceFunctionsOf, STAGES, synthStage } from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/** A Fn::Join of the dashboard body, with every token as a placeholder string: JSON again. */
const renderJoin = (value: unknown): string => {
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
};

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][] };
}

const businessMetricNames = BUSINESS_METRIC_GROUPS.flatMap((group) =>
  group.metrics.map((metric) => (typeof metric === 'string' ? metric : metric.name)),
);

describe.each(STAGES)('observability of stage %s', (stage) => {
  const { template, config, stack } = synthStage(stage);
  const topics = resourcesOf(template, 'AWS::SNS::Topic');
  const topicId = Object.keys(topics)[0];
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
  // Every function of the stage, the nested stacks' included (`template` is the whole stage).
  const functionIds = Object.keys(serviceFunctionsOf(template));
  const functionNames = Object.values(serviceFunctionsOf(template)).map((fn) =>
    String(fn.Properties.FunctionName),
  );

  it('has one KMS-encrypted, SSL-only alarm topic with the stage e-mail subscribed where set', () => {
    expect(Object.keys(topics)).toHaveLength(1);
    const topic = Object.values(topics)[0]?.Properties;
    expect(topic?.TopicName).toBe(`mha-${stage}-alarms`);
    expect(topic?.KmsMasterKeyId).toBeDefined();
    const policies = JSON.stringify(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
    expect(policies).toContain('"aws:SecureTransport":"false"');
    const subscriptions = Object.values(resourcesOf(template, 'AWS::SNS::Subscription'));
    if (config.alarmEmail) {
      expect(subscriptions.map((s) => s.Properties)).toEqual([
        expect.objectContaining({
          Protocol: 'email',
          Endpoint: config.alarmEmail,
          TopicArn: { Ref: topicId },
        }),
      ]);
    } else {
      expect(subscriptions).toEqual([]);
    }
  });

  it('lets CloudWatch publish to the topic and CloudWatch Logs use the key', () => {
    const key = Object.values(resourcesOf(template, 'AWS::KMS::Key')).find((k) =>
      JSON.stringify(k.Properties.Description).includes('alarm topic'),
    );
    const policy = JSON.stringify(key?.Properties.KeyPolicy);
    expect(policy).toContain('"Service":"cloudwatch.amazonaws.com"');
    expect(policy).toMatch(/logs\.",\{"Ref":"AWS::Region"\},"\.amazonaws\.com/);
    expect(key?.Properties.EnableKeyRotation).toBe(true);
  });

  it('encrypts every log group of the stage, the nested stacks’ included, with the observability key', () => {
    const [keyId] =
      Object.entries(resourcesOf(template, 'AWS::KMS::Key')).find(([, k]) =>
        JSON.stringify(k.Properties.Description).includes('alarm topic'),
      ) ?? [];
    expect(keyId).toBeDefined();
    const groups = Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(functionIds.length);
    for (const [id, group] of groups) expect(getAttTo(group.Properties.KmsKeyId), id).toBe(keyId);
  });

  it('sends every alarm, the safety construct’s overdue risk alert alarm included, to the topic', () => {
    expect(alarms.length).toBeGreaterThan(5);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
    }
    expect(alarms.map((a) => a.Properties.AlarmName)).toContain(`mha-${stage}-overdue-risk-alerts`);
  });

  it('alarms on 5xx rate, p99 latency, DynamoDB throttles, dead letters and lockout spikes', () => {
    const byName = new Map(alarms.map((a) => [String(a.Properties.AlarmName), a.Properties]));
    const rate = byName.get(`mha-${stage}-Api5xxRate`);
    expect(JSON.stringify(rate?.Metrics)).toContain('100 * errors / requests');
    expect(JSON.stringify(rate?.Metrics)).toContain('"MetricName":"5XXError"');
    const latency = byName.get(`mha-${stage}-ApiP99Latency`);
    const latencyStat = (
      latency?.Metrics as { MetricStat: { Metric: Record<string, unknown>; Stat: string } }[]
    )[0]?.MetricStat;
    expect(latencyStat).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency' },
      Stat: 'p99',
    });
    expect(latency?.Threshold).toBeGreaterThan(0);
    const throttles = JSON.stringify(byName.get(`mha-${stage}-DynamoThrottles`)?.Metrics);
    expect(throttles).toContain('ReadThrottleEvents');
    expect(throttles).toContain('WriteThrottleEvents');
    expect(throttles).toContain('"GlobalSecondaryIndexName"');
    const dlq = byName.get(`mha-${stage}-DeadLetters`);
    expect(dlq).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
    const queueId = stack.getLogicalId(stack.purgeJob.deadLetterQueue.node.defaultChild as never);
    expect(JSON.stringify(dlq?.Dimensions)).toContain(queueId);
    const lockouts = (
      byName.get(`mha-${stage}-AccountLockouts`)?.Metrics as { MetricStat: Record<string, unknown> }[]
    )[0]?.MetricStat;
    expect(lockouts).toMatchObject({
      Metric: {
        MetricName: 'AccountLocked',
        Namespace: METRICS_NAMESPACE,
        Dimensions: expect.arrayContaining([
          { Name: 'service', Value: 'mha-api' },
          { Name: 'stage', Value: stage },
        ]),
      },
      Period: 900,
      Stat: 'Sum',
    });
  });

  it('alarms on the errors of every function, in groups the alarm math allows', () => {
    const errorAlarms = alarms.filter((a) =>
      String(a.Properties.AlarmName).startsWith(`mha-${stage}-FunctionErrors`),
    );
    expect(errorAlarms).toHaveLength(Math.ceil(functionIds.length / FUNCTIONS_PER_ERROR_ALARM));
    const watched = errorAlarms.flatMap((alarm) =>
      (
        alarm.Properties.Metrics as {
          MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } };
        }[]
      )
        .filter((m) => m.MetricStat)
        .map((m) => m.MetricStat?.Metric.Dimensions),
    );
    // By literal name: most functions are in nested stacks, whose ids the top-level stack cannot Ref.
    expect(watched.map((dimensions) => dimensions?.[0]?.Name)).toEqual(watched.map(() => 'FunctionName'));
    expect(watched.map((dimensions) => dimensions?.[0]?.Value).sort()).toEqual([...functionNames].sort());
    expect(new Set(functionNames).size).toBe(functionIds.length);
  });

  it('has a dashboard with API, function, DynamoDB, Cognito and business metrics', () => {
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.Properties.DashboardName).toBe(`mha-${stage}`);
    const body = JSON.parse(renderJoin(dashboards[0]?.Properties.DashboardBody)) as { widgets: Widget[] };
    const text = JSON.stringify(body);
    const titles = body.widgets.map((w) => w.properties.title).filter(Boolean);
    expect(titles).toEqual(
      expect.arrayContaining([
        'API requests',
        'API errors (4xx, 5xx)',
        'API latency (ms)',
        'Function errors',
        'Function duration p99 (ms)',
        'Function throttles',
        'Function concurrency (max)',
        'DynamoDB consumed capacity',
        'DynamoDB throttles',
        'DynamoDB latency (ms, average)',
        'Cognito sign-ins',
        'Cognito sign-in failures',
        ...BUSINESS_METRIC_GROUPS.map((g) => g.title),
      ]),
    );
    for (const metric of [
      'Count',
      '4XXError',
      '5XXError',
      'ConsumedReadCapacityUnits',
      'ConsumedWriteCapacityUnits',
      'SuccessfulRequestLatency',
      'SignInSuccesses',
      'SignInThrottles',
    ]) {
      expect(text, metric).toContain(`"${metric}"`);
    }
    for (const p of ['p50', 'p90', 'p99']) expect(text).toContain(`"stat":"${p}"`);
    const functionWidget = body.widgets.find((w) => w.properties.title === 'Function errors');
    expect(functionWidget?.properties.metrics).toHaveLength(functionIds.length);
    for (const name of businessMetricNames) expect(text, name).toContain(name);
    expect(text).toContain(`stage=\\"${stage}\\"`); // SEARCH of metrics with extra dimensions, this stage only
    expect(Object.keys(resourcesOf(template, 'AWS::WAFv2::WebACL')).length > 0).toBe(
      text.includes('AWS/WAFV2'),
    );
  });
});

/** Every file under a folder. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });

describe('business metrics', () => {
  it('puts every metric the handlers publish on the dashboard', () => {
    const sources = [
      ...filesUnder(path.join(REPO_ROOT, 'functions')),
      ...filesUnder(path.join(REPO_ROOT, 'shared')),
    ].map((file) => readFileSync(file, 'utf8'));
    const all = sources.join('\n');
    const constants = new Map(
      [...all.matchAll(/export const ([A-Z][A-Z0-9_]*) = '([A-Za-z]+)'/g)].map((m) => [m[1], m[2]]),
    );
    const published = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(
        /addMetric\(\s*(?:'([A-Za-z]+)'|([A-Z][A-Z0-9_]*)\b|([^,]+\?[^,]+))/g,
      )) {
        if (match[1]) published.add(match[1]);
        else if (match[2]) published.add(constants.get(match[2]) ?? `unresolved constant ${match[2]}`);
        else
          for (const literal of (match[3] ?? '').matchAll(/'([A-Za-z]+)'/g)) published.add(literal[1] ?? '');
      }
    }
    // The grep finds what the code holds today (login, purge, surveys, …), not an empty list.
    expect(published).toContain('AccountLocked');
    expect(published).toContain('InternalError');
    const missing = [...published].filter((name) => !businessMetricNames.includes(name));
    expect(missing, 'add these to BUSINESS_METRIC_GROUPS in lib/constructs/observability.ts').toEqual([]);
  });
});
