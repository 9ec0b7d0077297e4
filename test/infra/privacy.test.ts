import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV, parseRuntimeEnv } from '../../shared/contract/runtime-env.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import * as keys from '../../shared/data/dynamodb/keys.ts';
import { PURGE_JOB_ENTRY } from '../../lib/constructs/purge-job.ts';
import { fixtureRouteList } from './fixture-routes.ts';
import {
  environmentOf,
  functionLogicalIdOfRoute,
  getAttTo,
  grantedStatementsOf,
  policyStatementsOf,
  refTo,
  resourcesOf,
  scheduledFunctionIdsOf,
  STAGES,
  synthStage,
  triggerFunctionIdsOf,
  type CfnResource,
  type PolicyStatementOf,
  type Synthesized,
  serviceFunctionsOf,
} from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

const allRoutes = [...routeTable, ...fixtureRouteList];
const synthesized = new Map<string, Synthesized>(
  STAGES.map((stage) => [stage, synthStage(stage, { routes: allRoutes })]),
);
const stageOf = (stage: string): Synthesized => {
  const result = synthesized.get(stage);
  if (!result) throw new Error(`not synthesized: ${stage}`);
  return result;
};
const only = (resources: Record<string, CfnResource>): [string, CfnResource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};
/** The resources of a type that satisfy `predicate`, by logical id. */
const where = (
  resources: Record<string, CfnResource>,
  predicate: (resource: CfnResource, logicalId: string) => boolean,
): Record<string, CfnResource> =>
  Object.fromEntries(Object.entries(resources).filter(([id, resource]) => predicate(resource, id)));
/** The logical id of the function with this name (`job-purgeErasedUsers` → `mha-<stage>-job-…`). */
const functionIdNamed = (template: Template, stage: string, name: string): string => {
  const [id] = only(
    where(serviceFunctionsOf(template), (fn) => fn.Properties.FunctionName === `mha-${stage}-${name}`),
  );
  return id;
};

// ---------------------------------------------------------------------------------------------------
// A small evaluator of the IAM policy language, for exactly the operators these policies use (anything
// else throws), so the tests check what a request is allowed to do rather than how statements look.
// Semantics per the IAM reference: ForAllValues is true when every value of the request's key matches
// (vacuously true for an empty or missing key); ForAnyValue when at least one does (false when missing);
// Null "false" requires the key to be present. An explicit Deny beats any Allow.

interface DynamoRequest {
  readonly action: string;
  /** Partition keys of the items the request touches; undefined = the key is not in the context. */
  readonly leadingKeys: readonly string[] | undefined;
}

const like = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);

const conditionHolds = (condition: PolicyStatementOf['condition'], request: DynamoRequest): boolean =>
  Object.entries(condition ?? {}).every(([operator, entries]) =>
    Object.entries(entries).every(([key, expected]) => {
      if (key !== 'dynamodb:LeadingKeys') throw new Error(`evaluator: unsupported condition key ${key}`);
      const patterns = ([] as unknown[]).concat(expected).map(String);
      const values = request.leadingKeys;
      const matches = (value: string) => patterns.some((pattern) => like(pattern, value));
      switch (operator) {
        case 'ForAllValues:StringLike':
          return (values ?? []).every(matches);
        case 'ForAnyValue:StringLike':
          return (values ?? []).some(matches);
        case 'Null':
          return (values === undefined) === (patterns[0] === 'true');
        default:
          throw new Error(`evaluator: unsupported condition operator ${operator}`);
      }
    }),
  );

type Decision = 'allowed' | 'explicitly denied' | 'implicitly denied';

/** The decision of a function role's policies for a request on the table. */
const decide = (
  statements: readonly PolicyStatementOf[],
  tableId: string,
  request: DynamoRequest,
): Decision => {
  const applicable = statements.filter(
    (s) =>
      s.actions.some((action) => like(action, request.action)) &&
      ([] as unknown[]).concat(s.resource).some((r) => getAttTo(r) === tableId) &&
      conditionHolds(s.condition, request),
  );
  if (applicable.some((s) => s.effect === 'Deny')) return 'explicitly denied';
  return applicable.some((s) => s.effect === 'Allow') ? 'allowed' : 'implicitly denied';
};

// Keys as the repositories build them.
const SUB = '11111111-2222-3333-4444-555555555555';
const AUDIT_PK = keys.audit(SUB, '2026-01-02T03:04:05.000Z', 'a1').PK;
const PROFILE_PK = keys.userProfile(SUB).PK;
const PURGE_PK = keys.erasureRequest(SUB).PK;
/** The partitions the purge batch-deletes (shared/workflows/purge-erased-user.ts): none of them is an audit partition. */
const PURGED_PARTITIONS = [PROFILE_PK, `EMOSESSION#${SUB}`, `AGG#USER#${SUB}`, keys.loginAttempts('abc').PK];

const AUDIT_CHANGES = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

describe('the audit key pattern', () => {
  it('matches the audit partition built by keys.audit and no other partition the key builders make', () => {
    expect(like('AUDIT#*', AUDIT_PK)).toBe(true);
    const others = [
      keys.healthProbe(),
      keys.userProfile(SUB),
      keys.department(SUB),
      keys.departmentName('hr'),
      keys.departmentManager(SUB, SUB),
      keys.consent(SUB, 'clinician_access'),
      keys.consentChange(SUB, '2026-01-02T03:04:05.000Z', 'clinician_access'),
      keys.erasureRequest(SUB),
      keys.purgeRecord(SUB),
      keys.analysis(SUB, 'chat', '2026-01-02T03:04:05.000Z', 'x'),
      keys.surveyResponse(SUB, 'phq9', '2026-01-02T03:04:05.000Z', 'x'),
      keys.loginAttempts('abc'),
    ].map((key) => key.PK);
    for (const pk of [...others, ...PURGED_PARTITIONS]) expect(like('AUDIT#*', pk), pk).toBe(false);
  });

  it('is evaluated with the right set semantics (the evaluator itself, on hand-written conditions)', () => {
    const forAll = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } };
    const forAny = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } };
    const request = (leadingKeys: string[] | undefined) => ({ action: 'dynamodb:PutItem', leadingKeys });
    expect(conditionHolds(forAll, request([AUDIT_PK, PROFILE_PK]))).toBe(false);
    expect(conditionHolds(forAll, request(undefined))).toBe(true); // why the Null check is needed
    expect(conditionHolds(forAny, request([PROFILE_PK, AUDIT_PK]))).toBe(true);
    expect(conditionHolds(forAny, request(undefined))).toBe(false);
    expect(conditionHolds({ Null: { 'dynamodb:LeadingKeys': 'false' } }, request(undefined))).toBe(false);
    expect(() => conditionHolds({ StringEquals: { 'dynamodb:LeadingKeys': 'x' } }, request([]))).toThrow();
  });
});

describe.each(STAGES)('audit records are append-only in stage %s', (stage) => {
  const { template } = stageOf(stage);
  const [tableId] = only(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const functions = serviceFunctionsOf(template);
  const triggers = triggerFunctionIdsOf(template);
  const purgeJobId = functionIdNamed(template, stage, 'job-purgeErasedUsers');
  const overdueJobId = functionIdNamed(template, stage, 'job-countOverdueAlerts');
  const aggregatorId = functionIdNamed(template, stage, 'streams-aggregateRollups');

  /**
   * What each function declares: route entries, the post-confirmation trigger, the scheduled jobs and the
   * stream aggregator of the analytics rollups.
   */
  const declared = new Map<string, 'read' | 'read-write' | 'put' | 'none'>([
    ...allRoutes.map((route) => [functionLogicalIdOfRoute(template, route), route.data] as const),
    [String(triggers.PreSignUp), 'none'],
    [String(triggers.CustomMessage), 'none'],
    [String(triggers.PostConfirmation), 'put'],
    [purgeJobId, 'read-write'],
    [overdueJobId, 'read'],
    [aggregatorId, 'read-write'],
  ]);
  const withTable = [...declared].filter(([, access]) => access !== 'none');
  const cases = withTable.map(([id, access]) => [`${id} (${access})`, id, access] as const);

  it('knows every function of the stack, and every function holding any table permission has table access', () => {
    expect(new Set(declared.keys())).toEqual(new Set(Object.keys(functions)));
    // + post confirmation, the purge, the overdue alert count and the aggregator.
    expect(withTable.length).toBe(allRoutes.filter((r) => r.data !== 'none').length + 4);
    expect(new Set(Object.values(scheduledFunctionIdsOf(template)).flat())).toEqual(
      new Set([purgeJobId, overdueJobId]),
    );
    for (const id of Object.keys(functions)) {
      const touchesTable = policyStatementsOf(template, id).some((s) =>
        s.actions.some((a) => a.startsWith('dynamodb:')),
      );
      const hasTable = refTo(environmentOf(template, id)[ENV.tableName]) === tableId;
      expect(touchesTable, id).toBe(hasTable);
      expect(hasTable, id).toBe(declared.get(id) !== 'none');
    }
  });

  it.each(cases)('%s has the explicit Deny of changes to audit partitions', (_name, id) => {
    const denies = policyStatementsOf(template, id).filter((s) => s.effect === 'Deny');
    expect(denies).toHaveLength(1);
    const [deny] = denies;
    expect([...(deny?.actions ?? [])].sort()).toEqual([...AUDIT_CHANGES].sort());
    expect(getAttTo(deny?.resource)).toBe(tableId);
    // ForAnyValue: a request touching ANY audit partition is refused (see the construct's comment).
    expect(deny?.condition).toEqual({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } });
  });

  it.each(cases)('%s may put audit records and never change or delete one', (_name, id) => {
    const statements = policyStatementsOf(template, id);
    const decision = (action: string, leadingKeys: string[] | undefined) =>
      decide(statements, tableId, { action, leadingKeys });
    expect(decision('dynamodb:PutItem', [AUDIT_PK])).toBe('allowed');
    for (const action of AUDIT_CHANGES) {
      expect(decision(action, [AUDIT_PK]), action).toBe('explicitly denied');
      // Slipping one audit key into a batch of others does not help.
      expect(decision(action, [PROFILE_PK, AUDIT_PK]), action).toBe('explicitly denied');
    }
  });

  it.each(cases.filter(([, , access]) => access === 'read'))(
    '%s (read-only) may put audit records and nothing else',
    (_name, id) => {
      const statements = policyStatementsOf(template, id);
      const decision = (action: string, leadingKeys: string[] | undefined) =>
        decide(statements, tableId, { action, leadingKeys });
      expect(decision('dynamodb:PutItem', [PROFILE_PK])).toBe('implicitly denied');
      expect(decision('dynamodb:PutItem', [AUDIT_PK, PROFILE_PK])).toBe('implicitly denied');
      expect(decision('dynamodb:PutItem', undefined)).toBe('implicitly denied');
      for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(decision(action, [PROFILE_PK]), action).toBe('implicitly denied');
      }
      expect(decision('dynamodb:GetItem', [PROFILE_PK])).toBe('allowed');
      // The grant as written: PutItem on the table only, for AUDIT#* keys, with the key required.
      const puts = grantedStatementsOf(template, id).filter((s) => s.actions.includes('dynamodb:PutItem'));
      expect(puts).toHaveLength(1);
      expect(puts[0]?.actions).toEqual(['dynamodb:PutItem']);
      expect(getAttTo(puts[0]?.resource)).toBe(tableId);
      expect(puts[0]?.condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] },
        Null: { 'dynamodb:LeadingKeys': 'false' },
      });
    },
  );

  it.each(cases.filter(([, , access]) => access === 'read-write'))(
    '%s (read-write) still changes and batch-deletes everything that is not an audit record',
    (_name, id) => {
      const statements = policyStatementsOf(template, id);
      const decision = (action: string, leadingKeys: string[] | undefined) =>
        decide(statements, tableId, { action, leadingKeys });
      // The purge's BatchWriteItem over the user's own partitions, its journal updates, plain deletes.
      expect(decision('dynamodb:BatchWriteItem', PURGED_PARTITIONS)).toBe('allowed');
      expect(decision('dynamodb:UpdateItem', [PURGE_PK])).toBe('allowed');
      expect(decision('dynamodb:DeleteItem', [PROFILE_PK])).toBe('allowed');
      expect(decision('dynamodb:PutItem', [PROFILE_PK])).toBe('allowed');
    },
  );
});

describe.each(STAGES)('list-cursor secret of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const [secretId, secret] = only(resourcesOf(template, 'AWS::SecretsManager::Secret'));

  it('is generated by Secrets Manager: 64 characters, no punctuation, no value in the template', () => {
    expect(secret.Properties.GenerateSecretString).toEqual({
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
    // Long enough for the runtime contract, which refuses anything under 32 characters.
    expect(() => parseRuntimeEnv({ [ENV.stage]: stage, [ENV.cursorSecret]: 'a'.repeat(64) })).not.toThrow();
  });

  it(`is ${config.retainData ? 'retained' : 'deleted with the stack'}`, () => {
    expect(secret.DeletionPolicy).toBe(config.retainData ? 'Retain' : 'Delete');
  });

  it.each(allRoutes.map((route) => [route.id, route] as const))(
    '%s gets CURSOR_SECRET as a dynamic reference to the secret, never a value',
    (_id, route) => {
      const value = environmentOf(template, functionLogicalIdOfRoute(template, route))[ENV.cursorSecret];
      expect(typeof value).not.toBe('string');
      expect(value).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      });
    },
  );

  it('is resolved by CloudFormation: no function role may read it, no other function gets it', () => {
    for (const id of Object.keys(resourcesOf(template, 'AWS::Lambda::Function'))) {
      const actions = policyStatementsOf(template, id).flatMap((s) => s.actions);
      expect(
        actions.filter((a) => a.startsWith('secretsmanager:')),
        id,
      ).toEqual([]);
    }
    const apiFunctions = new Set(allRoutes.map((route) => functionLogicalIdOfRoute(template, route)));
    for (const id of Object.keys(serviceFunctionsOf(template)).filter((i) => !apiFunctions.has(i))) {
      expect(environmentOf(template, id)[ENV.cursorSecret], id).toBeUndefined();
    }
  });
});

describe.each(STAGES)('erasure purge job of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  // The stage has other scheduled jobs (the overdue alert count) and queues: the purge's are found by it.
  const fnId = functionIdNamed(template, stage, 'job-purgeErasedUsers');
  const fn = serviceFunctionsOf(template)[fnId];
  if (!fn) throw new Error('no purge function');
  const [ruleId, rule] = only(
    where(resourcesOf(template, 'AWS::Events::Rule'), (_rule, id) =>
      (scheduledFunctionIdsOf(template)[id] ?? []).includes(fnId),
    ),
  );
  const [queueId, queue] = only(
    where(
      resourcesOf(template, 'AWS::SQS::Queue'),
      (q) => q.Properties.QueueName === `mha-${stage}-purge-erased-users-dlq`,
    ),
  );
  const [tableId] = only(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const [poolId] = only(resourcesOf(template, 'AWS::Cognito::UserPool'));

  it('runs the purge handler every hour', () => {
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(fn.Properties.FunctionName).toBe(`mha-${stage}-job-purgeErasedUsers`);
    const entry = path.join(REPO_ROOT, PURGE_JOB_ENTRY);
    expect(PURGE_JOB_ENTRY).toBe('functions/jobs/purge-erased-users.ts');
    expect(existsSync(entry)).toBe(true);
    expect(readFileSync(entry, 'utf8')).toMatch(/export const handler\b/);
  });

  it('may be invoked by this rule only', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
      (p) => getAttTo(p.Properties.FunctionName) === fnId,
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
    expect(getAttTo(permissions[0]?.Properties.SourceArn)).toBe(ruleId);
  });

  it('retries a failed delivery for at most an hour, then dead-letters the event', () => {
    const [target] = rule.Properties.Targets as Record<string, unknown>[];
    expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(getAttTo((target?.DeadLetterConfig as { Arn: unknown }).Arn)).toBe(queueId);
  });

  it('retries a failed run once, then records it in the same dead-letter queue', () => {
    const [, invokeConfig] = only(
      where(
        resourcesOf(template, 'AWS::Lambda::EventInvokeConfig'),
        (config) => refTo(config.Properties.FunctionName) === fnId,
      ),
    );
    expect(refTo(invokeConfig.Properties.FunctionName)).toBe(fnId);
    expect(invokeConfig.Properties).toMatchObject({
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
    });
    const destination = (invokeConfig.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    expect(getAttTo(destination)).toBe(queueId);
  });

  it('has an encrypted dead-letter queue that refuses plain HTTP and takes events from this rule only', () => {
    expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId).toBeTruthy();
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.DeletionPolicy).toBe(config.retainData ? 'Retain' : 'Delete');
    const [, policy] = only(
      where(resourcesOf(template, 'AWS::SQS::QueuePolicy'), (p) =>
        (p.Properties.Queues as unknown[]).some((q) => refTo(q) === queueId),
      ),
    );
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 'sqs:SendMessage',
      Principal: { Service: 'events.amazonaws.com' },
    });
    const sourceArn = (allows[0]?.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals[
      'aws:SourceArn'
    ];
    expect(getAttTo(sourceArn)).toBe(ruleId);
  });

  it('has the house defaults, the stage log retention and a timeout long enough to purge', () => {
    const props = fn.Properties;
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.MemorySize).toBe(config.lambda.memoryMb);
    // The handler starts no user with less than a minute left: the timeout must leave room for work.
    expect(props.Timeout).toBe(900);
    const logGroupId = refTo((props.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup);
    const logGroup = logGroupId ? resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId] : undefined;
    expect(logGroup?.Properties.LogGroupName).toBe(`/aws/lambda/mha-${stage}-job-purgeErasedUsers`);
    expect(logGroup?.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it('gets the stage, the table and the pool id, and nothing local-only', () => {
    const env = environmentOf(template, fnId);
    expect(env[ENV.stage]).toBe(stage);
    expect(refTo(env[ENV.tableName])).toBe(tableId);
    expect(refTo(env[ENV.userPoolId])).toBe(poolId);
    expect(env[ENV.dynamodbEndpoint]).toBeUndefined();
    expect(env[ENV.cognitoEndpoint]).toBeUndefined();
  });

  it('may read and write the table, delete Cognito users of this pool, dead-letter to its queue; nothing else', () => {
    const statements = grantedStatementsOf(template, fnId);
    const actionsOn = (prefix: string) =>
      statements.flatMap((s) => s.actions).filter((a) => a.startsWith(prefix));
    expect(actionsOn('dynamodb:')).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:BatchWriteItem',
      ]),
    );
    for (const s of statements.filter((st) => st.actions.some((a) => a.startsWith('dynamodb:')))) {
      for (const resource of ([] as unknown[]).concat(s.resource)) {
        expect(JSON.stringify(resource)).toContain(`"${tableId}"`);
      }
    }
    const cognito = statements.filter((s) => s.actions.some((a) => a.startsWith('cognito-idp:')));
    expect(cognito.flatMap((s) => s.actions)).toEqual(['cognito-idp:AdminDeleteUser']);
    for (const s of cognito) expect(getAttTo(s.resource)).toBe(poolId);
    const sqs = statements.filter((s) => s.actions.some((a) => a.startsWith('sqs:')));
    expect(sqs.flatMap((s) => s.actions)).toContain('sqs:SendMessage');
    for (const s of sqs) expect(getAttTo(s.resource)).toBe(queueId);
    const others = statements
      .flatMap((s) => s.actions)
      .filter((a) => !/^(dynamodb|kms|cognito-idp|sqs|xray):/.test(a));
    expect(others).toEqual([]);
  });

  it('creates no dependency cycle', () => {
    expect(() =>
      Template.fromJSON(template.toJSON(), { skipCyclicalDependenciesCheck: false }),
    ).not.toThrow();
  });
});
