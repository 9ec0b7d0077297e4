import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from '../config/index.ts';

/** Repository root: route handler paths and the lock file are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Cognito admin actions a `user-admin` route may call, on the stage's own pool only. */
export const USER_ADMIN_ACTIONS = [
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminConfirmSignUp',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
] as const;

/**
 * Lets a CommonJS dependency `require()` inside the ESM bundle (esbuild's shim otherwise throws
 * "Dynamic require of ... is not supported"). Aliased so it cannot clash with bundled names.
 */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __mhaCreateRequire } from 'node:module'; const require = __mhaCreateRequire(import.meta.url);";

export const logRetention = (config: StageConfig): logs.RetentionDays =>
  config.logRetentionDays as logs.RetentionDays;

export const removalPolicy = (config: StageConfig): RemovalPolicy =>
  config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

/** `health.database` → `HealthDatabase`: a stable construct id per route. */
export const routeConstructId = (routeId: string): string =>
  routeId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

export const functionNameFor = (stage: string, routeId: string): string => {
  const name = `mha-${stage}-${routeId.replace(/[^A-Za-z0-9-_]/g, '-')}`;
  if (name.length > 64) throw new Error(`Function name ${name} is longer than Lambda's 64 characters`);
  return name;
};

export interface ApiFunctionProps {
  readonly route: RouteDefinition;
  readonly config: StageConfig;
  readonly table: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
}

/**
 * One route's Lambda with the house defaults (ARCHITECTURE.md §4): Node 24 on arm64, ESM bundle with the
 * AWS SDK inside, source maps, an explicit log group, the runtime environment contract, and exactly the
 * permissions the route entry declares.
 */
export class ApiFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const { route, config, table, userPool } = props;
    const functionName = functionNameFor(config.stage, route.id);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });

    const region = Stack.of(this).region;
    const environment: Record<string, string> = {
      [ENV.stage]: config.stage,
      [ENV.corsOrigins]: config.api.corsOrigins.join(','),
      [ENV.userPoolId]: userPool.userPoolId,
      [ENV.cognitoIssuer]: `https://cognito-idp.${region}.amazonaws.com/${userPool.userPoolId}`,
      ...(route.data === 'none' ? {} : { [ENV.tableName]: table.tableName }),
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      entry: path.join(REPO_ROOT, route.handler),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: config.lambda.memoryMb,
      timeout: Duration.seconds(config.lambda.timeoutSeconds),
      tracing: config.lambda.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup: this.logGroup,
      environment,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Bundle the AWS SDK v3 too: tree-shaken clients start faster than the runtime's full copy.
        externalModules: [],
        banner: ESM_REQUIRE_SHIM,
        logLevel: nodejs.LogLevel.WARNING,
      },
    });

    // Least privilege from the route entry; the table grants include the KMS key use they imply.
    switch (route.data) {
      case 'none':
        break;
      case 'read':
        table.grantReadData(this.function);
        break;
      case 'read-write':
        table.grantReadWriteData(this.function);
        break;
      default:
        throw new Error(`Route ${route.id}: unknown data access ${String(route.data satisfies never)}`);
    }
    switch (route.identity) {
      case 'none':
      case 'jwks': // the signing keys are a public URL
        break;
      case 'user-admin':
        userPool.grant(this.function, ...USER_ADMIN_ACTIONS);
        break;
      default:
        throw new Error(
          `Route ${route.id}: unknown identity access ${String(route.identity satisfies never)}`,
        );
    }
  }
}
