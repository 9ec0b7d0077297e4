import {
  Aspects,
  CfnElement,
  CfnResource,
  Names,
  Stack,
  Validations,
  type IAspect,
  type IPolicyValidationPlugin,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { METHOD_NOT_ALLOWED_OPERATION } from './constructs/api.ts';
import type { StageConfig } from './config/index.ts';

/**
 * cdk-nag v3 packs are CDK validation plugins (`Validations.of(app).addPlugins`), not aspects. bin/app.ts
 * registers these on the app, so `cdk synth` / `cdk deploy` of any stage stops on an unacknowledged
 * finding; test/infra/nag.test.ts runs the same packs over every stage.
 */
export const compliancePacks = (): NagPack[] => [new AwsSolutionsChecks(), new HIPAASecurityChecks()];

export const addComplianceChecks = (app: IConstruct): void => {
  Validations.of(app).addPlugins(...(compliancePacks() as IPolicyValidationPlugin[]));
};

/** AWS managed policies we accept, with why. Keyed by the policy path after `arn:…:iam::aws:policy/`. */
const ACCEPTED_MANAGED_POLICIES: Readonly<Record<string, string>> = {
  'service-role/AWSLambdaBasicExecutionRole':
    'AWS-maintained policy limited to logs:CreateLogGroup/CreateLogStream/PutLogEvents; every function writes only to its own log group, which the stack creates with retention and KMS encryption.',
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs':
    'The account-level role API Gateway needs to write access and execution logs; AWS maintains its log-only permissions, and API Gateway allows exactly one such role per account and region.',
};

/** Actions without resource-level permissions (IAM requires `Resource: *`) that functions are granted, with why. */
const ACTIONS_WITHOUT_RESOURCES: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'Lambda active tracing (no resource-level permissions).',
  'xray:PutTelemetryRecords': 'Lambda active tracing (no resource-level permissions).',
  'dynamodb:ListStreams':
    'The table stream event source (the analytics aggregator) lists streams, which has no resource-level permissions; reading the stream is granted on the stage table’s stream ARN only.',
};

/** Names a `Fn::GetAtt` or `Ref` of another stack's resource as the synthesized template will have it. */
type CrossStackName = (logicalId: string, attribute: string) => string | undefined;

/**
 * `{"Fn::GetAtt":["T","Arn"]}` → `<T.Arn>`, as cdk-nag names IAM5 findings. A reference that the
 * synthesized template turns into a nested stack parameter is named by `crossStack` instead.
 */
const nagName = (value: unknown, crossStack: CrossStackName = () => undefined): string => {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return crossStack(String(v.Ref), 'Ref') ?? `<${String(v.Ref)}>`;
  if ('Fn::GetAtt' in v) {
    const [logicalId, attribute] = (v['Fn::GetAtt'] as string[]).map(String);
    return crossStack(String(logicalId), String(attribute)) ?? `<${logicalId}.${attribute}>`;
  }
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => nagName(part, crossStack)).join(separator);
  }
  return JSON.stringify(value);
};

/**
 * The ARN of a resource in the same stack (`<T.Arn>`), or of a resource of the parent stack as a nested
 * stack receives it (`<referenceto…Arn>`, see {@link AcceptedFindings}).
 */
const ARN_REFERENCE = String.raw`<(?:[A-Za-z0-9]+\.Arn|referenceto[A-Za-z0-9]+Arn)>`;
const ARN_OF_A_RESOURCE = new RegExp(`^${ARN_REFERENCE}$`);
const INDEXES_OF_A_TABLE = new RegExp(String.raw`^${ARN_REFERENCE}/index/\*$`);

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

/**
 * Acknowledges, on the narrowest resource, every cdk-nag finding this design accepts, with the reason.
 * Keyed on resource types and patterns rather than construct paths, so a new function, role or route
 * method is covered by the same reasoning without an entry of its own; anything new in kind (a queue that
 * is not a DLQ, a wildcard that is not a DynamoDB index, a second secret) still fails the checks.
 */
class AcceptedFindings implements IAspect {
  /** Per stack, its resources by logical id (for {@link crossStackNames}). */
  private readonly elements = new Map<Stack, Map<string, CfnElement>>();

  constructor(private readonly config: StageConfig) {}

  /**
   * Names references from a nested stack to its parent's resources as cdk-nag will see them. cdk-nag
   * checks the construct tree after the CDK has turned each such reference into a parameter of the nested
   * stack (`reference-to-<unique id of the target><attribute>`, alphanumerics only), but aspects run
   * before that, when the reference still reads `{"Fn::GetAtt":["T","Arn"]}`. The route functions live in
   * nested stacks (lib/constructs/route-functions.ts) and are granted the parent's table this way, so
   * their findings carry the parameter's name. test/infra/nag.test.ts fails if the CDK ever names these
   * parameters differently.
   */
  private crossStackNames(consumer: Stack): CrossStackName {
    return (logicalId, attribute) => {
      if (!consumer.nestedStackParent || this.elementsOf(consumer).has(logicalId)) return undefined;
      for (
        let stack: Stack | undefined = consumer.nestedStackParent;
        stack;
        stack = stack.nestedStackParent
      ) {
        const target = this.elementsOf(stack).get(logicalId);
        if (target) {
          return `<${`reference-to-${Names.nodeUniqueId(target.node)}${attribute}`.replace(/[^A-Za-z0-9]/g, '')}>`;
        }
      }
      return undefined;
    };
  }

  private elementsOf(stack: Stack): Map<string, CfnElement> {
    let elements = this.elements.get(stack);
    if (!elements) {
      elements = new Map(
        stack.node
          .findAll()
          .filter((node): node is CfnElement => CfnElement.isCfnElement(node) && Stack.of(node) === stack)
          .map((element) => [stack.resolve(element.logicalId) as string, element]),
      );
      this.elements.set(stack, elements);
    }
    return elements;
  }

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const stack = Stack.of(node);
    const props = (name: string): unknown =>
      stack.resolve((node as unknown as Record<string, unknown>)[name]) as unknown;
    const ack = (id: string, reason: string) => Validations.of(node).acknowledge({ id, reason });
    const { config } = this;

    switch (node.cfnResourceType) {
      case 'AWS::S3::Bucket': {
        if (!node.node.path.endsWith('/Console/Bucket/Resource')) break;
        const reason =
          'The console bucket holds only the public build of the web console (scripts, styles, index.html and the stage endpoints in config.json): no personal or health data. CloudFront is its only reader (origin access control, all public access blocked, TLS enforced); every deployment writes it again from the repository, which is its backup and history.';
        for (const id of [
          'AwsSolutions-S1',
          'HIPAA.Security-S3BucketLoggingEnabled',
          'HIPAA.Security-S3BucketReplicationEnabled',
          'HIPAA.Security-S3BucketVersioningEnabled',
          'HIPAA.Security-S3DefaultEncryptionKMS',
        ])
          ack(id, reason);
        break;
      }
      case 'AWS::CloudFront::Distribution': {
        ack(
          'AwsSolutions-CFR1',
          'The console is for every employee of the organisation, wherever they work; sign-in and the API decide who sees what.',
        );
        ack(
          'AwsSolutions-CFR2',
          'The distribution serves static files only; every request for data goes to the API, which has its own WAF (config waf) and throttles.',
        );
        ack(
          'AwsSolutions-CFR3',
          'Static files only: access to data is logged by the API (access logs and the audit trail); standard logging would need an ACL-enabled bucket.',
        );
        if (!config.consoleDomain) {
          ack(
            'AwsSolutions-CFR4',
            `Stage ${config.stage} serves the console at the distribution's cloudfront.net name, whose certificate CloudFront pins to its TLSv1 policy; with config consoleDomain the distribution uses TLSv1.2_2021.`,
          );
        }
        break;
      }
      case 'AWS::IAM::Role': {
        for (const arn of asArray(props('managedPolicyArns'))) {
          const name = nagName(arn);
          const path = name.replace(/^arn:<AWS::Partition>:iam::aws:policy\//, '');
          const reason = ACCEPTED_MANAGED_POLICIES[path];
          if (reason) ack(`AwsSolutions-IAM4[Policy::${name}]`, reason);
        }
        break;
      }
      case 'AWS::IAM::Policy': {
        if (node.node.path.includes('/Custom::CDKBucketDeployment')) {
          // The CDK's BucketDeployment handler: the grants its construct makes, to copy one asset.
          ack(
            'HIPAA.Security-IAMNoInlinePolicy',
            'The policy the CDK BucketDeployment construct attaches to its own handler role, and to no other.',
          );
          for (const finding of [
            'Action::s3:GetObject*',
            'Action::s3:GetBucket*',
            'Action::s3:List*',
            'Action::s3:Abort*',
            'Action::s3:DeleteObject*',
            'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
            'Resource::<ConsoleBucket86B6957C.Arn>/*',
            'Resource::*',
          ])
            ack(
              `AwsSolutions-IAM5[${finding}]`,
              'The CDK BucketDeployment handler that copies the console build: it reads the CDK assets bucket and writes the console bucket, with the object wildcards its construct grants; `*` is CloudFront invalidation, which has no resource-level permission.',
            );
          break;
        }
        ack(
          'HIPAA.Security-IAMNoInlinePolicy',
          'Each function role gets its own policy built from its route entry (least privilege per route); a customer-managed policy would be shared and so broader. The policies are attached to exactly one role each.',
        );
        const statements = asArray((props('policyDocument') as { Statement?: Statement[] }).Statement);
        for (const statement of statements) {
          if (statement.Effect === 'Deny') continue;
          const actions = asArray(statement.Action);
          const resources = asArray(statement.Resource as unknown[]).map((r) =>
            nagName(r, this.crossStackNames(stack)),
          );
          for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
            if (actions.includes(action) && resources.every((r) => ARN_OF_A_RESOURCE.test(r))) {
              ack(
                `AwsSolutions-IAM5[Action::${action}]`,
                `The CDK's DynamoDB grant: ${action} stands for the data-key variants of one customer-managed key, and the statement names that key only.`,
              );
            }
          }
          for (const resource of resources) {
            if (INDEXES_OF_A_TABLE.test(resource)) {
              ack(
                `AwsSolutions-IAM5[Resource::${resource}]`,
                'The indexes of the stage table (GSI1, GSI2: overloaded keys, one per access pattern); the grant reads or writes no other table.',
              );
            }
          }
        }
        // `Resource: *` only for actions IAM cannot scope to a resource, and only if every statement on `*`
        // (the CDK merges them: tracing and ListStreams share one) holds nothing else.
        const onAnyResource = statements
          .filter((statement) => statement.Effect !== 'Deny' && asArray(statement.Resource).includes('*'))
          .flatMap((statement) => asArray(statement.Action));
        if (
          onAnyResource.length > 0 &&
          onAnyResource.every((action) => action in ACTIONS_WITHOUT_RESOURCES)
        ) {
          ack(
            'AwsSolutions-IAM5[Resource::*]',
            [...new Set(onAnyResource)]
              .sort()
              .map((action) => `${action}: ${ACTIONS_WITHOUT_RESOURCES[action]}`)
              .join(' '),
          );
        }
        break;
      }
      case 'AWS::Lambda::Function': {
        if (node.node.path.includes('/Custom::CDKBucketDeployment')) {
          ack(
            'AwsSolutions-L1',
            'The CDK BucketDeployment handler: its runtime is the one aws-cdk-lib pins for it, updated with the library.',
          );
          ack(
            'HIPAA.Security-LambdaConcurrency',
            'The CDK BucketDeployment handler runs once per deployment, invoked by CloudFormation only.',
          );
        }
        ack(
          'HIPAA.Security-LambdaInsideVPC',
          'The functions reach only DynamoDB, Cognito, Secrets Manager and EventBridge over TLS with IAM; a VPC would add NAT or endpoint cost and cold-start time and protect nothing the functions can reach.',
        );
        ack(
          'HIPAA.Security-LambdaDLQ',
          'API routes and Cognito triggers are invoked synchronously: the caller gets the failure, there is no event to keep. Asynchronous functions (the purge job) send failed runs to an SQS dead-letter queue through an on-failure destination, which this rule does not look at.',
        );
        if (props('reservedConcurrentExecutions') === undefined && !config.lambda.reservedConcurrency) {
          ack(
            'HIPAA.Security-LambdaConcurrency',
            `Reserved concurrency is off in stage ${config.stage} (config lambda.reservedConcurrency): reserving on an account with a low concurrency limit fails the deployment. The API stage throttles bound the load instead.`,
          );
        }
        break;
      }
      case 'AWS::ApiGateway::Method': {
        if (props('authorizationType') !== 'NONE') break;
        const reason =
          props('httpMethod') === 'OPTIONS'
            ? 'CORS preflight: browsers send it without credentials by design; it answers headers only.'
            : props('operationName') === METHOD_NOT_ALLOWED_OPERATION
              ? 'Mock integration that answers 405 for unsupported methods; no backend, no data.'
              : 'A public route of the route table (health, docs, sign-up/sign-in/refresh): callable before a user has a token; the auth routes have the tighter method throttle and WAF in front.';
        ack('AwsSolutions-APIG4', reason);
        ack('AwsSolutions-COG4', reason);
        break;
      }
      case 'AWS::ApiGateway::Stage': {
        ack(
          'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
          'No API cache: responses are per-user health data, which must not be served from a shared cache.',
        );
        ack(
          'HIPAA.Security-APIGWSSLEnabled',
          'Every integration is a Lambda proxy (or a mock); backend client certificates only apply to HTTP integrations.',
        );
        if (!config.waf) {
          ack(
            'AwsSolutions-APIG3',
            `WAF is off in stage ${config.stage} (config waf): a development stage, throttled per method and (where enabled) per API key.`,
          );
        }
        if (!config.lambda.tracing) {
          ack(
            'HIPAA.Security-APIGWXrayEnabled',
            `Tracing is off in stage ${config.stage} (config lambda.tracing); staging and prod trace (see lib/constructs/observability.ts).`,
          );
        }
        break;
      }
      case 'AWS::SecretsManager::Secret': {
        if (!node.node.path.endsWith('/Api/CursorSecret/Resource')) break;
        const reason =
          'The list-cursor secret: rotating it would invalidate every open cursor and reach the functions only with the next deployment (see lib/constructs/api.ts); it seals short-lived pagination tokens, not credentials.';
        ack('AwsSolutions-SMG4', reason);
        ack('HIPAA.Security-SecretsManagerRotationEnabled', reason);
        ack(
          'HIPAA.Security-SecretsManagerUsingKMSKey',
          'Encrypted with the aws/secretsmanager key: CloudFormation resolves the value at deploy time without a key policy to maintain, and the secret guards pagination cursors only.',
        );
        break;
      }
      case 'AWS::SQS::Queue': {
        const name = props('queueName');
        if (typeof name === 'string' && name.endsWith('-dlq')) {
          ack('AwsSolutions-SQS3', 'This queue is itself a dead-letter queue (its depth is alarmed).');
        }
        break;
      }
      case 'AWS::DynamoDB::Table': {
        ack(
          'HIPAA.Security-DynamoDBInBackupPlan',
          'Point-in-time recovery (35 days, per second) is the backup of the table, with deletion protection and RETAIN in prod; AWS Backup plans are an account-level policy of the operator (tag-based), not per stack.',
        );
        if (!config.pointInTimeRecovery) {
          const reason = `Stage ${config.stage} holds test data only and is recreated at will (config pointInTimeRecovery).`;
          ack('AwsSolutions-DDB3', reason);
          ack('HIPAA.Security-DynamoDBPITREnabled', reason);
        }
        break;
      }
      case 'AWS::Cognito::UserPool': {
        if (config.cognito.mfa !== 'required') {
          ack(
            'AwsSolutions-COG2',
            `MFA is ${config.cognito.mfa} in stage ${config.stage} (config cognito.mfa) so test accounts can sign in unattended; prod requires it.`,
          );
        }
        if (config.cognito.featurePlan !== 'PLUS') {
          ack(
            'AwsSolutions-COG8',
            `Stage ${config.stage} uses the ${config.cognito.featurePlan} feature plan (config cognito.featurePlan): threat protection is billed per user and only staging and prod need it.`,
          );
        }
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Registers the accepted findings of a stage on its stack (see {@link AcceptedFindings}); aspects descend
 * into nested stacks, so the route functions' stacks are covered by the same reasoning.
 */
export const acknowledgeAcceptedFindings = (stack: Stack, config: StageConfig): void => {
  Aspects.of(stack).add(new AcceptedFindings(config));
};
