import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { POST_CONFIRMATION_ACTIONS } from '../../lib/constructs/auth.ts';
import {
  getAttTo,
  grantedStatementsOf,
  refTo,
  resourcesOf,
  STAGES,
  synthStage,
  triggerFunctionIdsOf,
  type Synthesized,
} from './synth.ts';

const synthesized = new Map<string, Synthesized>(STAGES.map((stage) => [stage, synthStage(stage)]));
const stageOf = (stage: string): Synthesized => {
  const result = synthesized.get(stage);
  if (!result) throw new Error(`not synthesized: ${stage}`);
  return result;
};

const TRIGGERS = [
  ['PreSignUp', 'trigger-preSignUp'],
  ['PostConfirmation', 'trigger-postConfirmation'],
  ['CustomMessage', 'trigger-customMessage'],
] as const;

describe.each(STAGES)('Cognito triggers of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
  const [poolId] = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'));
  const [tableId] = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const [keyId] = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));
  const triggerIds = triggerFunctionIdsOf(template);
  const fnOf = (trigger: string) => {
    const id = triggerIds[trigger];
    const fn = id ? functions[id] : undefined;
    if (!id || !fn) throw new Error(`no ${trigger} function`);
    return {
      id,
      props: fn.Properties,
      env: (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    };
  };

  it('wires exactly a pre sign-up, a post confirmation and a custom message trigger to functions of this stack', () => {
    expect(Object.keys(triggerIds).sort()).toEqual(['CustomMessage', 'PostConfirmation', 'PreSignUp']);
    expect(new Set(Object.values(triggerIds)).size).toBe(3);
  });

  it('gives custom message no permissions beyond logging (and X-Ray), and no table', () => {
    const { id, env } = fnOf('CustomMessage');
    expect(env[ENV.tableName]).toBeUndefined();
    const actions = grantedStatementsOf(template, id).flatMap((s) => s.actions);
    expect(actions.filter((a) => !a.startsWith('xray:'))).toEqual([]);
  });

  it.each(TRIGGERS)('%s runs with the house defaults and answers within Cognito’s 5 s', (trigger, name) => {
    const { props } = fnOf(trigger);
    expect(props.FunctionName).toBe(`mha-${stage}-${name}`);
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Handler).toBe('index.handler');
    expect(props.MemorySize).toBe(config.lambda.memoryMb);
    expect(props.Timeout).toBe(5);
    if (config.lambda.tracing) expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    else expect(props.TracingConfig).toBeUndefined();
    const logGroupId = refTo((props.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup);
    const logGroup = logGroupId ? logGroups[logGroupId] : undefined;
    expect(logGroup?.Properties.LogGroupName).toBe(`/aws/lambda/mha-${stage}-${name}`);
    expect(logGroup?.Properties.RetentionInDays).toBe(config.logRetentionDays);
    expect(logGroup?.DeletionPolicy).toBe(config.retainData ? 'Retain' : 'Delete');
  });

  it.each(TRIGGERS)('%s may be invoked by Cognito for this pool only', (trigger) => {
    const { id } = fnOf(trigger);
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (p) => getAttTo(p.Properties.FunctionName) === id,
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
    });
    expect(getAttTo(permissions[0]?.Properties.SourceArn)).toBe(poolId);
  });

  it.each(TRIGGERS)(
    '%s gets the shared environment and no pool or client id (that would be a cycle)',
    (trigger) => {
      const { env } = fnOf(trigger);
      expect(env).toMatchObject({
        [ENV.stage]: stage,
        POWERTOOLS_SERVICE_NAME: 'mha-api',
        POWERTOOLS_METRICS_NAMESPACE: 'MentalHealthAnalytics',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(env[ENV.userPoolId]).toBeUndefined();
      expect(env[ENV.apiClientId]).toBeUndefined();
      expect(env[ENV.dynamodbEndpoint]).toBeUndefined();
      expect(env[ENV.cognitoEndpoint]).toBeUndefined();
    },
  );

  it('gives pre sign-up the stage’s sign-up rules and no permissions beyond logging (and X-Ray)', () => {
    const { id, env } = fnOf('PreSignUp');
    expect(env[ENV.allowedEmailDomains]).toBe(config.cognito.allowedEmailDomains.join(','));
    expect(env[ENV.autoConfirm]).toBe(String(config.cognito.autoConfirm));
    expect(env[ENV.tableName]).toBeUndefined();
    const actions = grantedStatementsOf(template, id).flatMap((s) => s.actions);
    expect(actions.filter((a) => !a.startsWith('xray:'))).toEqual([]);
  });

  it('lets post confirmation put new items in the table, and neither update, delete nor read', () => {
    const { id, env } = fnOf('PostConfirmation');
    expect(refTo(env[ENV.tableName])).toBe(tableId);
    const statements = grantedStatementsOf(template, id);
    const dynamo = statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.flatMap((s) => s.actions)).toEqual(['dynamodb:PutItem']);
    for (const statement of dynamo) expect(getAttTo(statement.resource)).toBe(tableId);
    const kms = statements.filter((s) => s.actions.some((a) => a.startsWith('kms:')));
    expect(kms.flatMap((s) => s.actions)).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:Decrypt']));
    for (const statement of kms) expect(getAttTo(statement.resource)).toBe(keyId);
  });

  it('lets post confirmation add users to groups of its own pool, and call nothing else in Cognito', () => {
    const { id } = fnOf('PostConfirmation');
    const cognito = grantedStatementsOf(template, id).filter((s) =>
      s.actions.some((a) => a.startsWith('cognito-idp:')),
    );
    expect(cognito.flatMap((s) => s.actions)).toEqual(['cognito-idp:AdminAddUserToGroup']);
    expect([...POST_CONFIRMATION_ACTIONS]).toEqual(['cognito-idp:AdminAddUserToGroup']);
    for (const statement of cognito) expect(getAttTo(statement.resource)).toBe(poolId);
    const others = grantedStatementsOf(template, id)
      .flatMap((s) => s.actions)
      .filter((a) => !/^(dynamodb|kms|cognito-idp|xray):/.test(a));
    expect(others).toEqual([]);
  });

  it('has no dependency cycle (pool → trigger → its policy → pool would be one)', () => {
    // The assertions library refuses an undeployable template; synthStage relied on that implicitly.
    expect(() =>
      Template.fromJSON(template.toJSON(), { skipCyclicalDependenciesCheck: false }),
    ).not.toThrow();
  });

  it('grants the pool permission in a policy the function does not wait for (no pool → function → pool cycle)', () => {
    const { id, props } = fnOf('PostConfirmation');
    const roleId = getAttTo(props.Role);
    const poolPolicies = Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).filter(
      ([, policy]) =>
        (policy.Properties.Roles as unknown[]).some((role) => refTo(role) === roleId) &&
        JSON.stringify(policy.Properties.PolicyDocument).includes('cognito-idp:'),
    );
    expect(poolPolicies).toHaveLength(1);
    const [poolPolicyId] = poolPolicies[0] ?? [];
    const dependsOn = (template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> })
      .Resources[id]?.DependsOn;
    expect(dependsOn ?? []).not.toContain(poolPolicyId);
  });
});
