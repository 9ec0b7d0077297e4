import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../shared/contract/route.ts';
import { routeTable } from '../shared/contract/routes.ts';
import type { StageConfig } from './config/index.ts';
import { Api } from './constructs/api.ts';
import { Auth } from './constructs/auth.ts';
import { DataTable } from './constructs/data-table.ts';
import { PurgeJob } from './constructs/purge-job.ts';

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
 */
export class MhaStack extends Stack {
  readonly data: DataTable;
  readonly auth: Auth;
  readonly api: Api;
  readonly purgeJob: PurgeJob;

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
    this.auth = new Auth(this, 'Auth', { config, table: this.data.table });
    this.api = new Api(this, 'Api', {
      config,
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
  }
}
