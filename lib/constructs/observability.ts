import { Aws, Duration, Token } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, type IConstruct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import { TABLE_DEFINITION } from '../../shared/data/table-definition.ts';
import type { StageConfig } from '../config/index.ts';
import { removalPolicy } from './api-function.ts';

/**
 * A business metric: its name, the dimensions it carries beyond service + stage (a Powertools
 * singleMetric with `addDimension`: the dashboard sums it over them with a SEARCH), and the statistic.
 */
export interface BusinessMetric {
  readonly name: string;
  readonly by?: readonly string[];
  readonly statistic?: string;
}

/**
 * The business metrics on the dashboard, by widget. Every `metrics.addMetric('<Name>', …)` in functions/
 * and shared/ must appear here: test/infra/observability.test.ts greps the code and fails on a metric
 * nobody would see. To add one, put it in a group (or add a group). Powertools publishes them in
 * METRICS_NAMESPACE with the dimensions service + stage (+ `by`).
 */
export const BUSINESS_METRIC_GROUPS: ReadonlyArray<{
  title: string;
  metrics: ReadonlyArray<string | BusinessMetric>;
}> = [
  {
    title: 'Sign-ins (/auth/login)',
    metrics: ['LoginSucceeded', 'LoginFailed', 'LoginLocked', 'AccountLocked'],
  },
  { title: 'Handler outcomes', metrics: ['InternalError', 'DependencyUnavailable', 'IdempotentReplays'] },
  {
    title: 'Surveys',
    metrics: [
      { name: 'SurveyResponses', by: ['instrument'] },
      { name: 'SurveyResponsesByBand', by: ['instrument', 'band'] },
    ],
  },
  {
    title: 'Analyses',
    metrics: [
      { name: 'AnalysesStored', by: ['analysisType'] },
      'AnalysisBatchSize',
      'AnalysisBatchItemsRejected',
    ],
  },
  { title: 'EmoBuddy', metrics: ['EmoBuddySessionsStarted', 'EmoBuddySessionsEnded', 'EmoBuddyMessages'] },
  {
    title: 'Risk alerts',
    metrics: [
      { name: 'RiskAlertsRaised', by: ['reason'] },
      'RiskAlertsAcknowledged',
      'RiskAlertsResolved',
      { name: 'OverdueRiskAlerts', statistic: 'Maximum' },
    ],
  },
  {
    title: 'Risk alert time to acknowledge (s)',
    metrics: [
      { name: 'RiskAlertTimeToAcknowledge', statistic: 'p50' },
      { name: 'RiskAlertTimeToAcknowledge', statistic: 'Maximum' },
    ],
  },
  { title: 'Erasure purge', metrics: ['UsersPurged', 'PurgeFailures'] },
];

/** Alarm thresholds; each alarm's description says what it means and where to look. */
export const ALARM_THRESHOLDS = {
  /** 5xx answers as a percentage of requests, over 5 minutes with at least 20 requests, 2 of 3 periods. */
  api5xxPercent: 2,
  api5xxMinRequests: 20,
  /** p99 latency in ms, 3 consecutive 5-minute periods (the functions time out at 10 s). */
  apiP99LatencyMs: 2500,
  /**
   * Unhandled errors of one function in 5 minutes. The handler chain answers every error itself, so a
   * Lambda error is a crash or a timeout: one is already a bug.
   */
  functionErrors: 1,
  /** Read + write throttle events of the table and its indexes in 5 minutes (on-demand should be 0). */
  dynamoThrottles: 1,
  /** Messages waiting in a dead-letter queue (any is a failed job run). */
  dlqMessages: 1,
  /** Accounts locked in 15 minutes: a few is forgetfulness, a spike is credential stuffing. */
  accountsLocked: 5,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

/** CloudWatch alarm metric math allows 10 metrics. */
export const FUNCTIONS_PER_ERROR_ALARM = 10;

/** DynamoDB operations whose latency the dashboard shows (the ones the repositories use). */
const DYNAMO_OPERATIONS = [
  'GetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'TransactWriteItems',
  'BatchWriteItem',
];

export interface ObservabilityProps {
  readonly config: StageConfig;
  readonly restApi: apigw.RestApi;
  readonly table: dynamodb.Table;
  readonly userPool: cognito.IUserPool;
  /** The pool's app clients whose sign-ins the dashboard shows, by label. */
  readonly userPoolClients: Readonly<Record<string, cognito.IUserPoolClient>>;
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly webAcl?: wafv2.CfnWebACL;
}

/**
 * What an operator watches: one SNS topic per stage (the stage's alarm e-mail subscribed), one dashboard
 * per stage and the alarms, all going to the topic. Also the stage's observability KMS key, which encrypts
 * the topic and every log group of the stack.
 *
 * Call order: build it after the other constructs, then {@link monitorFunctions} with every function of
 * the stack and {@link routeAlarms} last, so alarms of other constructs (the overdue risk alert alarm of
 * the safety construct, say) go to the same topic without any wiring of their own.
 *
 * X-Ray: `lambda.tracing` in the stage config turns on Lambda active tracing and API Gateway tracing
 * (staging, prod). Active tracing adds no code to the bundles and no module-init work: the Lambda service
 * records the invocation segments and the runtime's daemon ships them, so the bundle/init benchmark has
 * nothing to measure against; the cost is the X-Ray bill and a few ms of segment flushing after the
 * response. The X-Ray SDK / Powertools Tracer (subsegments per AWS SDK call) is what would cost cold-start
 * time (it must be bundled and initialised) and is not used: DynamoDB and Cognito calls already show as
 * downstream latency in the service map. Off in dev and local, where nobody reads traces.
 */
export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly key: kms.Key;
  readonly dashboard: cloudwatch.Dashboard;
  private readonly config: StageConfig;
  private readonly routed = new Set<cloudwatch.Alarm>();
  private readonly alarmAction: actions.SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, restApi, table, userPool, userPoolClients, deadLetterQueues, webAcl } = props;
    this.config = config;
    const stage = config.stage;

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/mha-${stage}-observability`,
      description: `Encrypts the log groups and the alarm topic of mha-${stage}`,
      enableKeyRotation: true,
      removalPolicy: removalPolicy(config),
      pendingWindow: Duration.days(config.retainData ? 30 : 7),
    });
    // CloudWatch Logs encrypts with the key on behalf of the log groups of this account and region.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic (the AWS-managed SNS key would refuse them).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `mha-${stage}-alarms`,
      displayName: `MHA ${stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    }
    this.alarmAction = new actions.SnsAction(this.alarmTopic);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `mha-${stage}`,
      defaultInterval: Duration.hours(3),
    });

    // API Gateway, per stage (ApiName + Stage dimensions).
    const apiStage = restApi.deploymentStage;
    const requests = apiStage.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Requests' });
    const errors4xx = apiStage.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' });
    const errors5xx = apiStage.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' });
    const latency = (statistic: string) =>
      apiStage.metricLatency({ period: FIVE_MINUTES, statistic, label: `Latency ${statistic}` });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# mha-${stage}\nAPI, functions, table, sign-ins and business metrics. Alarms go to SNS topic \`mha-${stage}-alarms\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests', left: [requests], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API errors (4xx, 5xx)', left: [errors4xx, errors5xx], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: [latency('p50'), latency('p90'), latency('p99')],
        width: 8,
      }),
    );

    const errorRate = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${ALARM_THRESHOLDS.api5xxMinRequests}, 100 * errors / requests, 0)`,
      usingMetrics: { requests, errors: errors5xx },
      period: FIVE_MINUTES,
      label: '5xx %',
    });
    this.alarm('Api5xxRate', {
      metric: errorRate,
      threshold: ALARM_THRESHOLDS.api5xxPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      description: `More than ${ALARM_THRESHOLDS.api5xxPercent}% of API requests answered 5xx (INTERNAL, or 503 when DynamoDB throttles): see the "Handler failures" widget and the function logs.`,
    });
    this.alarm('ApiP99Latency', {
      metric: latency('p99'),
      threshold: ALARM_THRESHOLDS.apiP99LatencyMs,
      evaluationPeriods: 3,
      description: `API p99 latency above ${ALARM_THRESHOLDS.apiP99LatencyMs} ms for 15 minutes: see function duration and DynamoDB latency.`,
    });

    // DynamoDB: the table and its indexes.
    const tableMetric = (metricName: string, statistic: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName, ...dimensions },
        statistic,
        period: FIVE_MINUTES,
      });
    const indexes = TABLE_DEFINITION.globalSecondaryIndexes.map((gsi) => gsi.indexName);
    const throttleMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const [i, scope] of [undefined, ...indexes].entries()) {
      const dims: Record<string, string> = scope ? { GlobalSecondaryIndexName: scope } : {};
      throttleMetrics[`r${i}`] = tableMetric('ReadThrottleEvents', 'Sum', dims);
      throttleMetrics[`w${i}`] = tableMetric('WriteThrottleEvents', 'Sum', dims);
    }
    const throttles = new cloudwatch.MathExpression({
      expression: Object.keys(throttleMetrics).join(' + '),
      usingMetrics: throttleMetrics,
      period: FIVE_MINUTES,
      label: 'Throttle events (table + indexes)',
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'DynamoDB consumed capacity',
        left: [
          tableMetric('ConsumedReadCapacityUnits', 'Sum').with({ label: 'Read' }),
          tableMetric('ConsumedWriteCapacityUnits', 'Sum').with({ label: 'Write' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB throttles',
        left: [throttles, tableMetric('ThrottledRequests', 'Sum').with({ label: 'Throttled requests' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB latency (ms, average)',
        left: DYNAMO_OPERATIONS.map((operation) =>
          tableMetric('SuccessfulRequestLatency', 'Average', { Operation: operation }).with({
            label: operation,
          }),
        ),
        width: 8,
      }),
    );
    this.alarm('DynamoThrottles', {
      metric: throttles,
      threshold: ALARM_THRESHOLDS.dynamoThrottles,
      evaluationPeriods: 1,
      description:
        'DynamoDB throttled reads or writes (the API answers 503 + Retry-After): check for a hot partition or an on-demand scaling limit.',
    });

    // Cognito sign-ins per app client. SignInSuccesses: Sum = successes, SampleCount = attempts.
    const cognitoMetric = (metricName: string, clientId: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Cognito',
        metricName,
        dimensionsMap: { UserPool: userPool.userPoolId, UserPoolClient: clientId },
        statistic,
        period: FIVE_MINUTES,
      });
    const signIns: cloudwatch.IMetric[] = [];
    const failures: cloudwatch.IMetric[] = [];
    for (const [label, client] of Object.entries(userPoolClients)) {
      const successes = cognitoMetric('SignInSuccesses', client.userPoolClientId, 'Sum');
      const attempts = cognitoMetric('SignInSuccesses', client.userPoolClientId, 'SampleCount');
      signIns.push(successes.with({ label: `${label}: sign-ins` }));
      failures.push(
        new cloudwatch.MathExpression({
          expression: `attempts_${label} - successes_${label}`,
          usingMetrics: { [`attempts_${label}`]: attempts, [`successes_${label}`]: successes },
          period: FIVE_MINUTES,
          label: `${label}: failed sign-ins`,
        }),
        cognitoMetric('SignInThrottles', client.userPoolClientId, 'Sum').with({
          label: `${label}: throttled`,
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Cognito sign-ins', left: signIns, width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Cognito sign-in failures', left: failures, width: 12 }),
    );

    // Business metrics (Powertools EMF).
    this.dashboard.addWidgets(
      ...BUSINESS_METRIC_GROUPS.map(
        (group) =>
          new cloudwatch.GraphWidget({
            title: group.title,
            left: group.metrics.map((metric) => this.businessMetricWidgetLine(metric)),
            width: 6,
          }),
      ),
    );
    this.alarm('AccountLockouts', {
      metric: this.businessMetric('AccountLocked').with({ period: Duration.minutes(15) }),
      threshold: ALARM_THRESHOLDS.accountsLocked,
      evaluationPeriods: 1,
      description: `${ALARM_THRESHOLDS.accountsLocked}+ accounts locked in 15 minutes: likely credential stuffing. Check the WAF and access logs for the sources.`,
    });

    // Dead-letter queues: a message is a job run (or its scheduled event) that failed for good.
    for (const [i, queue] of deadLetterQueues.entries()) {
      this.alarm(`DeadLetters${i === 0 ? '' : i + 1}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: ALARM_THRESHOLDS.dlqMessages,
        evaluationPeriods: 1,
        description: `Messages in ${queue.node.path}: a scheduled job failed after its retries. Read the message and the job's log.`,
      });
    }

    if (webAcl) {
      const wafMetric = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/WAFV2',
          metricName,
          dimensionsMap: { WebACL: webAcl.name ?? '', Region: Aws.REGION, Rule: 'ALL' },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'WAF',
          left: [wafMetric('AllowedRequests'), wafMetric('BlockedRequests'), wafMetric('CountedRequests')],
          width: 24,
        }),
      );
    }
  }

  /** One line of a business metric widget; a metric with extra dimensions is summed over them. */
  private businessMetricWidgetLine(entry: string | BusinessMetric): cloudwatch.IMetric {
    const { name, by = [], statistic = 'Sum' } = typeof entry === 'string' ? { name: entry } : entry;
    if (by.length === 0) return this.businessMetric(name).with({ statistic, label: `${name} ${statistic}` });
    const schema = [METRICS_NAMESPACE, ...[...by, 'service', 'stage'].sort()].join(',');
    const search = `SEARCH('{${schema}} MetricName="${name}" service="${SERVICE_NAME}" stage="${this.config.stage}"', '${statistic}', ${FIVE_MINUTES.toSeconds()})`;
    return new cloudwatch.MathExpression({
      expression: `SUM(${search})`,
      period: FIVE_MINUTES,
      label: `${name} (all ${by.join(', ')})`,
    });
  }

  /** A Powertools business metric of this stage (namespace, service and stage as the handlers set them). */
  businessMetric(name: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { service: SERVICE_NAME, stage: this.config.stage },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label: name,
    });
  }

  /**
   * Errors, p99 duration, throttles and concurrency of every given function on the dashboard, and error
   * alarms over groups of at most 10 functions.
   */
  monitorFunctions(functions: readonly lambda.Function[]): void {
    const label = (fn: lambda.Function) => functionLabel(fn);
    // By the literal function name where there is one (every function of the stage has one): most
    // functions live in nested stacks (lib/constructs/route-functions.ts), and `fn.metric` would name them
    // through a nested stack output each, for nothing.
    const metric = (fn: lambda.Function, metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: literalFunctionName(fn) ?? fn.functionName },
        period: FIVE_MINUTES,
        statistic,
        label: label(fn),
      });
    const graph = (title: string, metricName: string, statistic: string) =>
      new cloudwatch.GraphWidget({
        title,
        left: functions.map((fn) => metric(fn, metricName, statistic)),
        width: 12,
        height: 8,
        legendPosition: cloudwatch.LegendPosition.RIGHT,
      });
    this.dashboard.addWidgets(
      graph('Function errors', 'Errors', 'Sum'),
      graph('Function duration p99 (ms)', 'Duration', 'p99'),
    );
    this.dashboard.addWidgets(
      graph('Function throttles', 'Throttles', 'Sum'),
      graph('Function concurrency (max)', 'ConcurrentExecutions', 'Maximum'),
    );
    // One alarm per function would add ~50 resources to the top-level stack (500 at most, see
    // lib/stack.ts). Alarm metric math takes at most 10 metrics, so the functions are alarmed in groups of
    // 10, each alarm naming its functions.
    const sorted = [...functions].sort((a, b) => label(a).localeCompare(label(b)));
    for (let start = 0; start < sorted.length; start += FUNCTIONS_PER_ERROR_ALARM) {
      const group = sorted.slice(start, start + FUNCTIONS_PER_ERROR_ALARM);
      const usingMetrics = Object.fromEntries(group.map((fn, i) => [`e${i}`, metric(fn, 'Errors', 'Sum')]));
      this.alarm(`FunctionErrors${start / FUNCTIONS_PER_ERROR_ALARM + 1}`, {
        metric: new cloudwatch.MathExpression({
          expression: `SUM([${Object.keys(usingMetrics).join(',')}])`,
          usingMetrics,
          period: FIVE_MINUTES,
          label: 'Errors',
        }),
        threshold: ALARM_THRESHOLDS.functionErrors,
        evaluationPeriods: 1,
        description:
          `A function crashed or timed out (the handler chain answers every error itself), one of: ${group.map(label).join(', ')}. The "Function errors" widget names it; then read its log group.`.slice(
            0,
            1024,
          ),
      });
    }
  }

  /**
   * Sends every alarm in `scope` that this construct did not create to the stage's topic too (state
   * changes to ALARM and back to OK). Call it last, after every construct that may have alarms.
   */
  routeAlarms(scope: IConstruct): void {
    for (const node of scope.node.findAll()) {
      if (node instanceof cloudwatch.Alarm && !this.routed.has(node)) {
        node.addAlarmAction(this.alarmAction);
        node.addOkAction(this.alarmAction);
        this.routed.add(node);
      }
    }
  }

  /** Every log group in `scope` encrypted with the stage's observability key. Call it last. */
  encryptLogGroups(scope: IConstruct): void {
    for (const node of scope.node.findAll()) {
      if (node instanceof logs.CfnLogGroup && node.kmsKeyId === undefined) {
        node.kmsKeyId = this.key.keyArn;
        node.node.addDependency(this.key);
      }
    }
  }

  private alarm(
    id: string,
    props: {
      metric: cloudwatch.IMetric;
      threshold: number;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
      description: string;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `mha-${this.config.stage}-${id}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods,
      ...(props.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: props.datapointsToAlarm }),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    this.routed.add(alarm);
    return alarm;
  }
}

/** The function's name where it is a literal in the template (`mha-prod-auth-login`). */
const literalFunctionName = (fn: lambda.Function): string | undefined => {
  const name = (fn.node.defaultChild as lambda.CfnFunction).functionName;
  return name !== undefined && !Token.isUnresolved(name) ? name : undefined;
};

/** The function's name where it is a literal, its construct path otherwise. */
const functionLabel = (fn: lambda.Function): string => literalFunctionName(fn) ?? fn.node.path;

/** The stack's dashboard in the console (for the stack output). */
export const dashboardUrl = (dashboard: cloudwatch.Dashboard): string =>
  `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${dashboard.dashboardName}`;
