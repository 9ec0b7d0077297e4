import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { EventFunctionTrigger } from '../shared/contract/event-functions.ts';
import type { RouteDefinition } from '../shared/contract/route.ts';
import { routeTable } from '../shared/contract/routes.ts';
import { acknowledgeAcceptedFindings } from './compliance.ts';
import type { StageConfig } from './config/index.ts';
import { CLIENT_TIERS } from './config/usage-plans.ts';
import { Analytics } from './constructs/analytics.ts';
import { Api } from './constructs/api.ts';
import { EventFunction } from './constructs/api-function.ts';
import { Auth } from './constructs/auth.ts';
import { ConsoleHosting, withConsoleOrigin } from './constructs/console.ts';
import { DataTable } from './constructs/data-table.ts';
import { dashboardUrl, Observability } from './constructs/observability.ts';
import { Protection, type FunctionClass } from './constructs/protection.ts';
import { PurgeJob } from './constructs/purge-job.ts';
import { Safety } from './constructs/safety.ts';

/** Predictable per stage, so operators, scripts and the black-box tests can find the stack. */
export const stackNameFor = (stage: string): string => `mha-${stage}`;

export interface MhaStackProps extends StackProps {
  readonly config: StageConfig;
  /** The API's routes; the route table unless a test substitutes its own. */
  readonly routes?: readonly RouteDefinition[];
}

/**
 * One stage of the system: data table, identity, the API and the scheduled erasure purge, composed from
 * the stage config.
 *
 * One stack per stage, deployed as one (`cdk deploy -c stage=<stage>`), with the route functions in
 * nested stacks, one per route area (lib/constructs/route-functions.ts): CloudFormation allows 500
 * resources per template, and a route costs about eight. The top-level stack keeps everything else: the
 * table, Cognito and its triggers, the REST API (resources, methods, authorizer, stage, gateway responses),
 * usage plans and WAF, the scheduled jobs, the safety pipeline, the analytics stream aggregator, alarms and
 * the dashboard. Pre-production note: this split changed the logical ids of the route functions, roles,
 * policies, log groups and permissions once (no stage had been deployed yet); everything in the top-level
 * stack kept its id.
 */
export class MhaStack extends Stack {
  readonly data: DataTable;
  readonly auth: Auth;
  readonly api: Api;
  readonly purgeJob: PurgeJob;
  readonly safety: Safety;
  readonly analytics: Analytics;
  readonly protection: Protection;
  readonly observability: Observability;
  /** The web console (absent on the local stage, which LocalStack deploys without CloudFront). */
  readonly console?: ConsoleHosting;

  constructor(scope: Construct, id: string, props: MhaStackProps) {
    const { config, routes = routeTable, ...stackProps } = props;
    super(scope, id, {
      stackName: stackNameFor(config.stage),
      description: `Mental Health Analytics (${config.stage})`,
      env: config.env,
      terminationProtection: config.retainData,
      ...stackProps,
    });
    Tags.of(this).add('app', 'mental-health-analytics');
    Tags.of(this).add('stage', config.stage);

    this.data = new DataTable(this, 'Data', { config });
    // The console first: its origin decides the API's CORS and the web client's URLs (withConsoleOrigin).
    if (config.stage !== 'local') this.console = new ConsoleHosting(this, 'Console', { config });
    const served = this.console ? withConsoleOrigin(config, this.console.origin) : config;
    this.auth = new Auth(this, 'Auth', { config: served, table: this.data.table });
    this.api = new Api(this, 'Api', {
      config: served,
      routes,
      table: this.data.table,
      userPool: this.auth.userPool,
      apiClient: this.auth.apiClient,
    });
    this.purgeJob = new PurgeJob(this, 'PurgeJob', {
      config,
      table: this.data.table,
      userPool: this.auth.userPool,
    });
    this.safety = new Safety(this, 'Safety', { config, table: this.data.table });
    this.analytics = new Analytics(this, 'Analytics', { config, table: this.data.table });

    this.protection = new Protection(this, 'Protection', { config, restApi: this.api.restApi });
    this.observability = new Observability(this, 'Observability', {
      config,
      restApi: this.api.restApi,
      table: this.data.table,
      userPool: this.auth.userPool,
      userPoolClients: { api: this.auth.apiClient, web: this.auth.webClient },
      deadLetterQueues: [this.purgeJob.deadLetterQueue],
      ...(this.protection.webAcl ? { webAcl: this.protection.webAcl } : {}),
    });
    this.console?.publish(
      {
        stage: config.stage,
        // The stage URL ends with `/`; the console drops it (web/src/api/client.ts).
        apiUrl: this.api.restApi.url,
        authUrl: this.auth.domain.baseUrl(),
        clientId: this.auth.webClient.userPoolClientId,
        mfa: config.cognito.mfa,
        erasureGraceDays: config.retention.erasureGraceDays,
        privacyThreshold: config.anonymity.kActivity,
      },
      config,
    );
    // Alarms of other constructs (the safety construct's overdue risk alert alarm) need no wiring of
    // their own: routeAlarms in finishStage sends every alarm of the stack to the alarm topic.
    acknowledgeAcceptedFindings(this, config);

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Base URL of the API stage' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'ApiClientId', {
      value: this.auth.apiClient.userPoolClientId,
      description: 'First-party client for /auth/login (USER_PASSWORD_AUTH)',
    });
    new CfnOutput(this, 'WebClientId', {
      value: this.auth.webClient.userPoolClientId,
      description: 'Browser client (authorization code + PKCE)',
    });
    new CfnOutput(this, 'MachineClientId', {
      value: this.auth.machineClient.userPoolClientId,
      description: 'Analysis pipelines (client credentials); the secret stays in Cognito',
    });
    new CfnOutput(this, 'AuthDomain', {
      value: this.auth.domain.baseUrl(),
      description: 'Cognito OAuth endpoints (token, authorize)',
    });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'DashboardUrl', { value: dashboardUrl(this.observability.dashboard) });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topicArn });
    for (const tier of CLIENT_TIERS) {
      new CfnOutput(this, `ApiKeyId${tier.charAt(0).toUpperCase()}${tier.slice(1)}`, {
        value: this.protection.apiKeys[tier].keyId,
        description: `API key of the ${tier} tier: aws apigateway get-api-key --include-value --api-key <id>`,
      });
    }

    this.finishStage(routes);
  }

  /**
   * Cross-cutting settings that apply to every function, alarm and log group of the stage, including ones
   * constructs add later and the ones in nested stacks (`findAll` descends into them): keep this call the
   * constructor's last statement.
   */
  private finishStage(routes: readonly RouteDefinition[]): void {
    // The service's functions; not the CDK's BucketDeployment handler, which runs only while
    // CloudFormation uploads the console (CloudFormation reports its failures).
    const functions = this.node
      .findAll()
      .filter((node): node is lambda.Function => node instanceof lambda.Function)
      .filter((fn) => !fn.node.path.includes('/Custom::CDKBucketDeployment'));
    // The class of an event function follows its trigger in the event function table: Cognito triggers
    // share the auth routes' class, scheduled jobs have their own, the stream aggregator counts as api.
    const eventFunctions = this.node
      .findAll()
      .filter((node): node is EventFunction => node instanceof EventFunction);
    const ofTrigger = (kind: EventFunctionTrigger['kind']) =>
      eventFunctions.filter((fn) => fn.definition.trigger.kind === kind).map((fn) => fn.function);
    const authFunctions = new Set<lambda.Function>([
      ...ofTrigger('cognito'),
      ...routes
        .filter((route) => route.throttle === 'auth')
        .flatMap((route) => this.api.functions.get(route.id)?.function ?? []),
    ]);
    const jobFunctions = new Set<lambda.Function>(ofTrigger('schedule'));
    const classOf = (fn: lambda.Function): FunctionClass =>
      authFunctions.has(fn) ? 'auth' : jobFunctions.has(fn) ? 'jobs' : 'api';
    this.protection.reserveConcurrency(functions.map((fn) => ({ fn, functionClass: classOf(fn) })));
    this.observability.monitorFunctions(functions);
    this.observability.routeAlarms(this);
    this.observability.encryptLogGroups(this);
  }
}
