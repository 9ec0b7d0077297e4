import { AssetHashType, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type {
  EventFunctionDefinition,
  EventFunctionTableAccess,
} from '../../shared/contract/event-functions.ts';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/contract/runtime-env.ts';
import * as partitions from '../../shared/data/dynamodb/partitions.ts';
import { functionBundle, LAMBDA_HANDLER } from '../build/function-bundles.ts';
import type { StageConfig } from '../config/index.ts';
import {
  cognitoIssuerUrl,
  environmentSubset,
  runtimeEnvironment,
  type RuntimeResources,
} from '../config/runtime-environment.ts';

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

/**
 * `dynamodb:LeadingKeys` patterns of audit records: their partition key is `AUDIT#<subject>`
 * (partitions.audit in shared/data/dynamodb/keys.ts; the infra tests check the two agree).
 */
export const AUDIT_LEADING_KEYS = [partitions.AUDIT_PARTITION_PATTERN];

/** Every way to change or remove an existing item; IAM denies all of them on audit records. */
export const AUDIT_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

export interface ServiceFunctionProps {
  readonly config: StageConfig;
  /** Logical name, unique in the stage (`auth.register`, `trigger.postConfirmation`). */
  readonly name: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /**
   * The function's runtime environment, built by runtimeEnvironment (lib/config/runtime-environment.ts),
   * the stage included; the platform's variables (Powertools, source maps) are added here.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Defaults to the stage's Lambda timeout. */
  readonly timeout?: Duration;
  /** Defaults to the stage's Lambda memory. */
  readonly memoryMb?: number;
}

/**
 * Any Lambda of the service with the house defaults: Node 24 on arm64, its ESM
 * bundle (AWS SDK inside, source map beside it) from the one bundling pass over every function
 * (lib/build/function-bundles.ts), an explicit log group with the stage retention, and the part of
 * the runtime environment contract every function shares. API routes, Cognito triggers, scheduled jobs
 * and (later) stream processors are all built on it; each adds its own variables and permissions.
 */
export class ServiceFunction extends Construct {
  /** The handler module (relative to the repository root) whose bundle the function deploys. */
  readonly entry: string;
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { config } = props;
    const functionName = functionNameFor(config.stage, props.name);
    this.entry = props.entry;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });

    // The function's directory from the one bundling pass over every function (lib/build), deployed as
    // it is; its content hash is the asset hash, so an unchanged function keeps its asset.
    const bundle = functionBundle(props.entry);
    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: props.description.slice(0, 256),
      code: lambda.Code.fromAsset(bundle.dir, {
        assetHash: bundle.hash,
        assetHashType: AssetHashType.CUSTOM,
      }),
      handler: LAMBDA_HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? config.lambda.memoryMb,
      timeout: props.timeout ?? Duration.seconds(config.lambda.timeoutSeconds),
      tracing: config.lambda.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
  }

  /**
   * Sets TABLE_NAME and grants exactly the given access; the grants include the KMS key use they imply.
   * `PUT` is for writers of new items only (profiles, audit records): no update, no delete, no read.
   * Whatever the access, the function may put audit records and may never change or delete one
   * (docs/privacy.md, the audit trail): see {@link allowAuditPuts} and {@link denyAuditChanges}.
   */
  bindTable(table: dynamodb.ITable, access: TableAccess): void {
    this.function.addEnvironment(ENV.tableName, table.tableName);
    switch (access) {
      case 'RO':
        table.grantReadData(this.function);
        // Reads of another user's data and denied attempts are audited, by read-only routes too.
        this.allowAuditPuts(table);
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
    this.denyAuditChanges(table);
  }

  /**
   * PutItem of audit records and of nothing else, for functions that otherwise only read. The condition
   * is evaluated per item, also for each Put of a TransactWriteItems: `ForAllValues` holds when every
   * partition key of the request matches `AUDIT#*`. `ForAllValues` is also true when the request carries
   * no leading key at all, so the `Null` check requires one. The KMS actions are the ones the CDK grants
   * any table writer (a put stores data encrypted under the table's key).
   */
  private allowAuditPuts(table: dynamodb.ITable): void {
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutAuditRecordsOnly',
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': AUDIT_LEADING_KEYS },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
    table.encryptionKey?.grantEncrypt(this.function);
  }

  /**
   * Audit records are append-only at the IAM level: an explicit Deny (it beats every Allow, including
   * `grantReadWriteData`) of every update and delete when a partition key of the request matches
   * `AUDIT#*`. `ForAnyValue` is the right set operator for a Deny: it matches when AT LEAST ONE key is an
   * audit key, so a BatchWriteItem that slips one audit key in among others is refused as a whole, while
   * a batch without any (the purge deleting `USER#<sub>`, `EMOSESSION#…`, `AGG#USER#…`, `LOGIN#…`) is not
   * affected. (`ForAllValues` would be wrong twice over: a mixed batch would pass, and a request without
   * the key would be denied.) PartiQL is listed for completeness: no function is granted it.
   * What IAM cannot express: a PutItem that overwrites an existing audit record (there is no condition key
   * for a ConditionExpression); the audit repository puts with `attribute_not_exists(PK)`.
   */
  private denyAuditChanges(table: dynamodb.ITable): void {
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AuditRecordsAreAppendOnly',
        effect: iam.Effect.DENY,
        actions: AUDIT_DENIED_ACTIONS,
        resources: [table.tableArn],
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': AUDIT_LEADING_KEYS } },
      }),
    );
  }
}

export interface ApiFunctionProps {
  readonly route: RouteDefinition;
  readonly config: StageConfig;
  readonly table: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
  /** The first-party client the /auth routes sign users in through. */
  readonly apiClient: cognito.IUserPoolClient;
  /** The stage's list-cursor secret (CURSOR_SECRET). */
  readonly cursorSecret: secretsmanager.ISecret;
}

/**
 * One route's Lambda: a {@link ServiceFunction} with the API's runtime environment (CORS, the pool, its
 * issuer and API client, the stage's sign-up rules) and exactly the permissions the route entry declares.
 * A subclass rather than a wrapper, so the construct path (and every logical id) stays what it was.
 */
export class ApiFunction extends ServiceFunction {
  readonly route: RouteDefinition;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const { route, config, table, userPool, apiClient, cursorSecret } = props;
    const region = Stack.of(scope).region;
    super(scope, id, {
      config,
      name: route.id,
      entry: route.handler,
      description: `${route.method} ${route.path}: ${route.summary}`,
      environment: runtimeEnvironment(config, {
        userPoolId: userPool.userPoolId,
        cognitoIssuer: cognitoIssuerUrl(region, userPool.userPoolId),
        apiClientId: apiClient.userPoolClientId,
        // A CloudFormation dynamic reference ({{resolve:secretsmanager:…}}), never the value: the
        // template and the cloud assembly hold no secret, and the function role needs no Secrets Manager
        // access. The trade-off: CloudFormation resolves it at deploy time, so the plain value is part of
        // the function configuration, readable by whoever may call lambda:GetFunctionConfiguration, and a
        // rotated value reaches the functions only with the next deployment. The alternative, fetching
        // the secret at cold start (Parameters and Secrets extension or GetSecretValue, cached), keeps it
        // out of the configuration at the price of a network call in every cold start and a runtime
        // dependency on Secrets Manager. Cursors are short-lived tokens, so the simpler one is used.
        cursorSecret: cursorSecret.secretValue.unsafeUnwrap(),
      }),
    });

    this.route = route;
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

/** The table access of an event function entry as a {@link TableAccess} grant. */
const EVENT_TABLE_ACCESS: Record<Exclude<EventFunctionTableAccess, 'none'>, TableAccess> = {
  read: 'RO',
  'read-write': 'RW',
  put: 'PUT',
};

export interface EventFunctionProps {
  readonly config: StageConfig;
  /** The function's entry in the event function table (shared/contract/event-functions.ts). */
  readonly definition: EventFunctionDefinition;
  /** Required when the entry declares table access. */
  readonly table?: dynamodb.ITable;
  /** What its settings name from the stack (e.g. the pool id of the purge). */
  readonly resources?: RuntimeResources;
}

/**
 * A function no route names (stream aggregator, scheduled job, Cognito trigger), built from its entry
 * in the event function table: name, entry, description, timeout and memory, the settings it lists and
 * the table access it declares. Its trigger, and any Cognito grant, are wired by the construct it
 * belongs to (analytics, purge-job, safety, auth).
 */
export class EventFunction extends ServiceFunction {
  readonly definition: EventFunctionDefinition;

  constructor(scope: Construct, id: string, props: EventFunctionProps) {
    const { config, definition } = props;
    super(scope, id, {
      config,
      name: definition.id,
      entry: definition.entry,
      description: definition.description,
      environment: environmentSubset(runtimeEnvironment(config, props.resources ?? {}), definition.settings),
      ...(definition.timeoutSeconds === undefined
        ? {}
        : { timeout: Duration.seconds(definition.timeoutSeconds) }),
      ...(definition.memoryMb === undefined ? {} : { memoryMb: definition.memoryMb }),
    });
    this.definition = definition;
    if (definition.table !== 'none') {
      if (!props.table) throw new Error(`${definition.id} declares table access but was given no table`);
      this.bindTable(props.table, EVENT_TABLE_ACCESS[definition.table]);
    }
  }
}

/** `AdminDeleteUser` → `cognito-idp:AdminDeleteUser`: an entry's Cognito admin calls as IAM actions. */
export const cognitoAdminActionsOf = (definition: EventFunctionDefinition): string[] =>
  (definition.cognitoAdmin ?? []).map((action) => `cognito-idp:${action}`);
