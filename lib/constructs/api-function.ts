import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from '../config/index.ts';

/** Repository root: route handler paths and the lock file are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** How a function may use the table: `RO` reads, `RW` reads and writes, `PUT` only puts new items. */
export type TableAccess = 'RO' | 'RW' | 'PUT';

export interface ServiceFunctionProps {
  readonly config: StageConfig;
  /** Logical name, unique in the stage (`auth.register`, `trigger.postConfirmation`). */
  readonly name: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Variables beyond the ones every function gets (stage, Powertools, source maps). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Defaults to the stage's Lambda timeout. */
  readonly timeout?: Duration;
}

/**
 * Any Lambda of the service with the house defaults (ARCHITECTURE.md §4): Node 24 on arm64, ESM bundle
 * with the AWS SDK inside, source maps, an explicit log group with the stage retention, and the part of
 * the runtime environment contract every function shares. API routes, Cognito triggers and (later)
 * stream processors are all built on it; each adds its own variables and permissions.
 */
export class ServiceFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;
    const functionName = functionNameFor(config.stage, props.name);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: props.description.slice(0, 256),
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: config.lambda.memoryMb,
      timeout: props.timeout ?? Duration.seconds(config.lambda.timeoutSeconds),
      tracing: config.lambda.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup: this.logGroup,
      environment: {
        [ENV.stage]: config.stage,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
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
  }

  /**
   * Sets TABLE_NAME and grants exactly the given access; the grants include the KMS key use they imply.
   * `PUT` is for writers of new items only (profiles, audit records): no update, no delete, no read.
   */
  bindTable(table: dynamodb.ITable, access: TableAccess): void {
    this.function.addEnvironment(ENV.tableName, table.tableName);
    switch (access) {
      case 'RO':
        table.grantReadData(this.function);
        break;
      case 'RW':
        table.grantReadWriteData(this.function);
        break;
      case 'PUT':
        // PutItem also covers the puts of a TransactWriteItems; the table only (indexes take no writes).
        this.function.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
        );
        table.encryptionKey?.grantEncryptDecrypt(this.function);
        break;
      default:
        throw new Error(`Unknown table access ${String(access satisfies never)}`);
    }
  }
}

export interface ApiFunctionProps {
  readonly route: RouteDefinition;
  readonly config: StageConfig;
  readonly table: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
  /** The first-party client the /auth routes sign users in through. */
  readonly apiClient: cognito.IUserPoolClient;
}

/**
 * One route's Lambda: a {@link ServiceFunction} with the API's runtime environment (CORS, the pool, its
 * issuer and API client, the stage's sign-up rules) and exactly the permissions the route entry declares.
 * A subclass rather than a wrapper, so the construct path (and every logical id) stays what it was.
 */
export class ApiFunction extends ServiceFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const { route, config, table, userPool, apiClient } = props;
    const region = Stack.of(scope).region;
    super(scope, id, {
      config,
      name: route.id,
      entry: route.handler,
      description: `${route.method} ${route.path}: ${route.summary}`,
      environment: {
        [ENV.corsOrigins]: config.api.corsOrigins.join(','),
        [ENV.userPoolId]: userPool.userPoolId,
        [ENV.cognitoIssuer]: `https://cognito-idp.${region}.amazonaws.com/${userPool.userPoolId}`,
        [ENV.apiClientId]: apiClient.userPoolClientId,
        [ENV.allowedEmailDomains]: config.cognito.allowedEmailDomains.join(','),
        [ENV.autoConfirm]: String(config.cognito.autoConfirm),
        [ENV.refreshTokenRotation]: String(config.cognito.refreshTokenRotation),
      },
    });

    // Least privilege from the route entry.
    switch (route.data) {
      case 'none':
        break;
      case 'read':
        this.bindTable(table, 'RO');
        break;
      case 'read-write':
        this.bindTable(table, 'RW');
        break;
      default:
        throw new Error(`Route ${route.id}: unknown data access ${String(route.data satisfies never)}`);
    }
    switch (route.identity) {
      case 'none':
      case 'jwks': // the signing keys are a public URL
        break;
      default:
        // Exactly the admin calls the route declares, on this stage's pool only.
        userPool.grant(
          this.function,
          ...route.identity.cognitoAdmin.map((action) => `cognito-idp:${action}`),
        );
    }
  }
}
