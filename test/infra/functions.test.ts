import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IDENTITY_NAMES } from '../../shared/contract/identity.ts';
import { eventFunctionTable } from '../../shared/contract/event-functions.ts';
import { ENV, parseRuntimeEnv } from '../../shared/contract/runtime-env.ts';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { functionNameFor } from '../../lib/constructs/api-function.ts';
import { PURGE_JOB_COGNITO_ACTIONS } from '../../lib/constructs/purge-job.ts';
import { routeFunctionsStackId } from '../../lib/constructs/route-functions.ts';
import { stackNameFor } from '../../lib/stack.ts';
import { fixtureRouteList, fixtureRoutes } from './fixture-routes.ts';
import {
  environmentOf,
  functionLogicalIdOfRoute,
  getAttTo,
  grantedStatementsOf,
  refTo,
  resourcesOf,
  routeFunctionOf,
  scheduledFunctionIdsOf,
  STAGES,
  synthStage,
  templatesOf,
  triggerFunctionIdsOf,
  type CfnResource,
  type Synthesized,
  WRITE_ACTIONS,
  serviceFunctionsOf,
  consoleOriginOf,
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

const routeCases = allRoutes.map((route) => [`${route.method} ${route.path} (${route.id})`, route] as const);

/**
 * Variables of the runtime contract the CDK deliberately leaves unset, each with its reason. Every other
 * variable of ENV must reach every API function: a variable added to the contract without CDK wiring
 * fails the environment test below.
 */
const NOT_SET_IN_AWS: Readonly<Record<string, string>> = {
  [ENV.dynamodbEndpoint]: 'local runtime only: the DynamoDB Local endpoint',
  [ENV.cognitoEndpoint]: 'local runtime only: the cognito-local endpoint',
  [ENV.swaggerUiBase]: 'no stage setting: the contract default (a pinned CDN URL) applies in every stage',
  [ENV.redocBase]: 'no stage setting: the contract default (a pinned CDN URL) applies in every stage',
  [ENV.clockOffsetMs]: 'local runtime only (--clock): a deployed function always runs on the real time',
};
/** Set only where the route entry declares table access (least privilege, and nothing to misuse). */
const TABLE_ACCESS_ONLY: readonly string[] = [ENV.tableName];

/** Placeholders for values that are intrinsics in the template, so the contract can parse the rest. */
const resolvedForParsing = (env: Record<string, unknown>): Record<string, string> => ({
  ...Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, typeof value === 'string' ? value : 'x']),
  ),
  [ENV.cognitoIssuer]: 'https://issuer.example',
  [ENV.cursorSecret]: 'resolved-at-deploy-time-by-cloudformation-0123456789',
});

describe.each(STAGES)('functions of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const functions = serviceFunctionsOf(template);
  const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
  const tableId = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'))[0];
  const userPoolId = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'))[0];
  const restApiId = Object.keys(resourcesOf(template, 'AWS::ApiGateway::RestApi'))[0];
  const apiClientId = Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).find(
    ([, client]) => client.Properties.ClientName === IDENTITY_NAMES.apiClient,
  )?.[0];

  it('has one function per route plus the Cognito triggers, the scheduled jobs and the stream aggregator, and no other', () => {
    const routeFunctions = new Set(allRoutes.map((route) => functionLogicalIdOfRoute(template, route)));
    expect(routeFunctions.size).toBe(allRoutes.length);
    const triggers = Object.values(triggerFunctionIdsOf(template));
    expect(triggers).toHaveLength(
      eventFunctionTable.filter((definition) => definition.trigger.kind === 'cognito').length,
    );
    // The erasure purge and the overdue risk alert count (lib/constructs/safety.ts).
    const scheduled = Object.values(scheduledFunctionIdsOf(template)).flat();
    expect(scheduled.map((id) => functions[id]?.Properties.FunctionName).sort()).toEqual(
      [`mha-${stage}-job-countOverdueAlerts`, `mha-${stage}-job-purgeErasedUsers`].sort(),
    );
    // The analytics rollups' aggregator on the table stream (lib/constructs/analytics.ts).
    const streamed = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).map((mapping) =>
      String(refTo(mapping.Properties.FunctionName)),
    );
    expect(streamed.map((id) => functions[id]?.Properties.FunctionName)).toEqual([
      `mha-${stage}-streams-aggregateRollups`,
    ]);
    expect(new Set(Object.keys(functions))).toEqual(
      new Set([...routeFunctions, ...triggers, ...scheduled, ...streamed]),
    );
  });

  it.each(routeCases)(
    '%s runs Node 24 on arm64 within API Gateway limits',
    (_name, route: RouteDefinition) => {
      const fn = functions[functionLogicalIdOfRoute(template, route)]?.Properties ?? {};
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe('index.handler');
      expect(fn.Timeout).toBeLessThan(29);
      expect(fn.Timeout).toBe(config.lambda.timeoutSeconds);
      expect(fn.MemorySize).toBeGreaterThanOrEqual(256);
      expect(fn.MemorySize).toBe(config.lambda.memoryMb);
      expect(fn.FunctionName).toBe(`mha-${stage}-${route.id.replaceAll('.', '-')}`);
      if (config.lambda.tracing) expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      else expect(fn.TracingConfig).toBeUndefined();
    },
  );

  it.each(routeCases)(
    '%s logs to its own log group with the stage retention',
    (_name, route: RouteDefinition) => {
      const fn = functions[functionLogicalIdOfRoute(template, route)]?.Properties ?? {};
      const logGroupId = refTo((fn.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup);
      const logGroup = logGroupId ? logGroups[logGroupId] : undefined;
      expect(logGroup).toBeDefined();
      expect(logGroup?.Properties.LogGroupName).toBe(`/aws/lambda/${String(fn.FunctionName)}`);
      expect(logGroup?.Properties.RetentionInDays).toBe(config.logRetentionDays);
      expect(logGroup?.DeletionPolicy).toBe(config.retainData ? 'Retain' : 'Delete');
    },
  );

  it.each(routeCases)(
    '%s may be invoked by API Gateway for its own method, path and stage only',
    (_name, route: RouteDefinition) => {
      const id = functionLogicalIdOfRoute(template, route);
      const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
        (permission) => getAttTo(permission.Properties.FunctionName) === id,
      );
      expect(permissions).toHaveLength(1);
      expect(permissions[0]?.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
      const sourceArn = JSON.stringify(permissions[0]?.Properties.SourceArn);
      expect(sourceArn).toContain(':execute-api:');
      // Path parameters are `*` in execute-api ARNs; the stage is named, never `*`.
      const methodPath = `/${stage}/${route.method}${route.path.replace(/\{[^}]*\}/g, '*')}`;
      expect(sourceArn).toContain(`{"Ref":"${restApiId}"},"${methodPath}"]`);
    },
  );

  it.each(routeCases)(
    '%s receives every variable of the runtime environment contract',
    (_name, route: RouteDefinition) => {
      const env = environmentOf(template, functionLogicalIdOfRoute(template, route));
      for (const name of Object.values(ENV)) {
        if (name in NOT_SET_IN_AWS) expect(env[name], `${name}: ${NOT_SET_IN_AWS[name]}`).toBeUndefined();
        else if (TABLE_ACCESS_ONLY.includes(name) && route.data === 'none')
          expect(env[name], name).toBeUndefined();
        else
          expect(
            env[name],
            `${name} is in the runtime contract (ENV) but the CDK does not set it`,
          ).toBeDefined();
      }
    },
  );

  it.each(routeCases)('%s receives the values of its stage', (_name, route: RouteDefinition) => {
    const env = environmentOf(template, functionLogicalIdOfRoute(template, route));
    expect(env[ENV.stage]).toBe(stage);
    // Exactly the console's origin where the stage has one, the config's origins otherwise.
    expect(env[ENV.corsOrigins]).toEqual(consoleOriginOf(stageOf(stage)) ?? config.api.corsOrigins.join(','));
    expect(refTo(env[ENV.userPoolId])).toBe(userPoolId);
    expect(JSON.stringify(env[ENV.cognitoIssuer])).toMatch(
      /https:\/\/cognito-idp\.".*AWS::Region.*\.amazonaws\.com\//,
    );
    if (route.data !== 'none') expect(refTo(env[ENV.tableName])).toBe(tableId);
    expect(env).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'mha-api',
      POWERTOOLS_METRICS_NAMESPACE: 'MentalHealthAnalytics',
      POWERTOOLS_LOG_LEVEL: expect.any(String),
      NODE_OPTIONS: '--enable-source-maps',
    });
    // The /auth routes sign in through the API client and apply the stage's sign-up rules.
    expect(refTo(env[ENV.apiClientId])).toBe(apiClientId);
    expect(env[ENV.allowedEmailDomains]).toBe(config.cognito.allowedEmailDomains.join(','));
    expect(env[ENV.autoConfirm]).toBe(config.cognito.autoConfirm ? 'true' : 'false');
    expect(env[ENV.refreshTokenRotation]).toBe(config.cognito.refreshTokenRotation ? 'true' : 'false');
    expect(env[ENV.erasureGraceDays]).toBe(String(config.retention.erasureGraceDays));
    // Whatever the handlers read must parse under the runtime contract (e.g. 'true'/'false' flags).
    expect(parseRuntimeEnv(resolvedForParsing(env))).toMatchObject({
      allowedEmailDomains: config.cognito.allowedEmailDomains,
      autoConfirm: config.cognito.autoConfirm,
      refreshTokenRotation: config.cognito.refreshTokenRotation,
      erasureGraceDays: config.retention.erasureGraceDays,
    });
  });

  it.each(routeCases)(
    '%s gets exactly the table access its route entry declares',
    (_name, route: RouteDefinition) => {
      const statements = grantedStatementsOf(template, functionLogicalIdOfRoute(template, route));
      const actions = statements.flatMap((s) => s.actions);
      const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
      if (route.data === 'none') {
        expect(dynamo).toEqual([]);
        expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
      }
      if (route.data === 'read') {
        expect(dynamo).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        // No write without a condition; the one conditional write, PutItem, is for audit records only
        // (its condition is checked in privacy.test.ts).
        const unconditional = statements.filter((s) => s.condition === undefined).flatMap((s) => s.actions);
        for (const write of WRITE_ACTIONS) expect(unconditional).not.toContain(write);
        const conditionalWrites = statements
          .filter((s) => s.condition !== undefined)
          .flatMap((s) => s.actions.filter((a) => WRITE_ACTIONS.includes(a)));
        expect(conditionalWrites).toEqual(['dynamodb:PutItem']);
        // Decrypt to read; the encrypt side because audit puts store data under the table key.
        expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']));
      }
      if (route.data === 'read-write') {
        expect(dynamo).toEqual(
          expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', ...WRITE_ACTIONS]),
        );
        expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']));
      }
      // Table grants name this stage's table (and its indexes) only.
      for (const statement of statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')))) {
        const resources = ([] as unknown[]).concat(statement.resource);
        for (const resource of resources) expect(JSON.stringify(resource)).toContain(`"${String(tableId)}"`);
      }
    },
  );

  it.each(routeCases)(
    '%s gets Cognito admin actions only if it administers users',
    (_name, route: RouteDefinition) => {
      const statements = grantedStatementsOf(template, functionLogicalIdOfRoute(template, route));
      const cognito = statements.filter((s) => s.actions.some((a) => a.startsWith('cognito-idp:')));
      if (typeof route.identity !== 'object') {
        expect(cognito).toEqual([]);
        return;
      }
      expect(cognito.flatMap((s) => s.actions).sort()).toEqual(
        route.identity.cognitoAdmin.map((action) => `cognito-idp:${action}`).sort(),
      );
      for (const statement of cognito) expect(getAttTo(statement.resource)).toBe(userPoolId);
    },
  );

  it('declares, over all routes and the purge job, exactly the Cognito admin calls the function code makes', () => {
    // Function code reaches Cognito only through shared/data/cognito/ (ESLint keeps the SDK out of every
    // other runtime module); lib/admin runs with operator credentials.
    const dataDir = path.join(REPO_ROOT, 'shared/data/cognito');
    const called = new Set(
      readdirSync(dataDir)
        .filter((file) => file.endsWith('.ts'))
        .flatMap((file) => [
          ...readFileSync(path.join(dataDir, file), 'utf8').matchAll(
            /new ((?:Admin[A-Za-z]+|ListUsersInGroup))Command\(/g,
          ),
        ])
        .map((match) => String(match[1])),
    );
    // Called only when COGNITO_ENDPOINT is set (cognito-local ignores a disabled user, so the account
    // closure also replaces the emulator user's password); never in AWS, so granted nowhere.
    const emulatorOnly = ['AdminSetUserPassword'];
    const declared = new Set([
      ...routeTable.flatMap((route) =>
        typeof route.identity === 'object' ? route.identity.cognitoAdmin : [],
      ),
      ...PURGE_JOB_COGNITO_ACTIONS.map((action) => action.replace(/^cognito-idp:/, '')),
    ]);
    expect(called.size).toBeGreaterThan(0);
    expect(declared).toEqual(new Set([...called].filter((action) => !emulatorOnly.includes(action))));
  });

  it('exercises every access branch (the fixtures cover what the route table lacks)', () => {
    expect(new Set(allRoutes.map((route) => route.data))).toEqual(new Set(['none', 'read', 'read-write']));
    expect(allRoutes.some((route) => typeof route.identity === 'object')).toBe(true);
    expect(fixtureRoutes.adminUpdate.identity).toEqual({ cognitoAdmin: ['AdminDisableUser'] });
  });

  it('grants the functions nothing beyond their route statements and basic execution (+ X-Ray when tracing)', () => {
    expect(allRoutes.filter((route) => route.events === 'risk').length).toBeGreaterThan(0);
    for (const route of allRoutes) {
      const actions = grantedStatementsOf(template, functionLogicalIdOfRoute(template, route)).flatMap(
        (s) => s.actions,
      );
      const unexpected = actions.filter(
        (a) =>
          !a.startsWith('dynamodb:') &&
          !a.startsWith('kms:') &&
          !a.startsWith('cognito-idp:') &&
          !a.startsWith('xray:') &&
          // Routes that raise risk alerts put events on the stage's risk bus (checked in safety.test.ts).
          !(route.events === 'risk' && a === 'events:PutEvents'),
      );
      expect(unexpected, route.id).toEqual([]);
      if (!config.lambda.tracing)
        expect(
          actions.filter((a) => a.startsWith('xray:')),
          route.id,
        ).toEqual([]);
    }
  });
});

const NESTED_RESOURCE_TYPES = [
  'AWS::Lambda::Function',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Logs::LogGroup',
  'AWS::Lambda::Permission',
];

describe.each(STAGES)('where the functions of stage %s live', (stage) => {
  const synthesized = stageOf(stage);
  const { template, topLevel, nested } = synthesized;

  it.each(routeCases)(
    '%s runs in the nested stack of its area, with its role, policy, log group and permission',
    (_name, route: RouteDefinition) => {
      const { logicalId, holder } = routeFunctionOf(synthesized, route);
      expect(holder.path).toBe(`${stackNameFor(stage)}/Api/${routeFunctionsStackId(route.tag)}`);
      // The method of the route (top-level stack) integrates exactly this function.
      expect(functionLogicalIdOfRoute(template, route)).toBe(logicalId);
      const own = holder.json.Resources;
      const fn = own[logicalId]?.Properties ?? {};
      expect(own[String(getAttTo(fn.Role))]?.Type).toBe('AWS::IAM::Role');
      expect(own[String(refTo((fn.LoggingConfig as { LogGroup?: unknown }).LogGroup))]?.Type).toBe(
        'AWS::Logs::LogGroup',
      );
      const permissions = Object.values(own).filter(
        (r) => r.Type === 'AWS::Lambda::Permission' && getAttTo(r.Properties.FunctionName) === logicalId,
      );
      expect(permissions).toHaveLength(1);
      // Every policy of its role is in the same stack.
      const ofRole = (resources: Record<string, CfnResource>) =>
        Object.keys(resources).filter((id) =>
          (resources[id]?.Properties.Roles as unknown[]).some((role) => refTo(role) === getAttTo(fn.Role)),
        );
      const policies = ofRole(resourcesOf(template, 'AWS::IAM::Policy'));
      expect(ofRole(resourcesOf(holder.template, 'AWS::IAM::Policy'))).toEqual(policies);
    },
  );

  it('holds nothing but route functions (and what belongs to each) in the nested stacks', () => {
    for (const area of nested) {
      const types = new Set(Object.values(area.json.Resources).map((r) => r.Type));
      expect(
        [...types].filter((type) => !NESTED_RESOURCE_TYPES.includes(type)),
        area.path,
      ).toEqual([]);
      const names = Object.values(resourcesOf(area.template, 'AWS::Lambda::Function')).map(
        (fn) => fn.Properties.FunctionName,
      );
      const areaRoutes = allRoutes.filter((route) =>
        area.path.endsWith(`/${routeFunctionsStackId(route.tag)}`),
      );
      expect(names.sort(), area.path).toEqual(
        areaRoutes.map((route) => functionNameFor(stage, route.id)).sort(),
      );
    }
    expect(nested).toHaveLength(new Set(allRoutes.map((route) => route.tag)).size);
  });

  it('keeps the API, the triggers, the jobs and everything stateful in the top-level stack', () => {
    const own = topLevel.json.Resources;
    const types = new Set(Object.values(own).map((r) => r.Type));
    for (const type of [
      'AWS::ApiGateway::RestApi',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Authorizer',
      'AWS::ApiGateway::Stage',
      'AWS::ApiGateway::GatewayResponse',
      'AWS::ApiGateway::UsagePlan',
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::SecretsManager::Secret',
      'AWS::Events::EventBus',
      'AWS::CloudWatch::Dashboard',
    ]) {
      expect(types.has(type), type).toBe(true);
    }
    const routeNames = new Set(allRoutes.map((route) => functionNameFor(stage, route.id)));
    const topLevelFunctions = Object.values(serviceFunctionsOf(topLevel.template)).map((fn) =>
      String(fn.Properties.FunctionName),
    );
    expect(topLevelFunctions.filter((name) => routeNames.has(name))).toEqual([]);
    expect(topLevelFunctions.sort()).toEqual(
      [
        'trigger-preSignUp',
        'trigger-postConfirmation',
        'trigger-customMessage',
        'job-purgeErasedUsers',
        'job-countOverdueAlerts',
        'streams-aggregateRollups',
      ]
        .map((name) => `mha-${stage}-${name}`)
        .sort(),
    );
    // One nested stack resource per area in the top-level template.
    expect(Object.keys(resourcesOf(topLevel.template, 'AWS::CloudFormation::Stack'))).toHaveLength(
      nested.length,
    );
  });

  it('creates no dependency cycle between the top-level stack and the nested stacks', () => {
    for (const { path: stackPath, json } of templatesOf(synthesized)) {
      expect(
        () => Template.fromJSON(json, { skipCyclicalDependenciesCheck: false }),
        stackPath,
      ).not.toThrow();
    }
  });
});

describe('adding a route', () => {
  // Before: the route table and the fixture area. After: a new route in an existing area, listed first,
  // and the fixture area gone, as if the fixtures were a new area added in the other direction.
  const added = {
    ...fixtureRoutes.me,
    id: 'users.fixtureExtra',
    path: '/fixture/users-extra',
    tag: 'users',
  } satisfies RouteDefinition;
  const before = stageOf('dev');
  const after = synthStage('dev', { routes: [added, ...routeTable] });

  it('never moves an existing function to another stack or changes its logical id', () => {
    for (const route of routeTable) {
      const was = routeFunctionOf(before, route);
      const is = routeFunctionOf(after, route);
      expect(is.holder.path, route.id).toBe(was.holder.path);
      expect(is.logicalId, route.id).toBe(was.logicalId);
      expect(is.holder.resourceId, route.id).toBe(was.holder.resourceId);
    }
  });

  it('puts the new function in the nested stack of its area, and a new area in a nested stack of its own', () => {
    expect(routeFunctionOf(after, added).holder.path).toBe(`mha-dev/Api/${routeFunctionsStackId('users')}`);
    expect(routeFunctionOf(before, fixtureRoutes.me).holder.path).toBe(
      `mha-dev/Api/${routeFunctionsStackId('fixture')}`,
    );
    expect(before.nested).toHaveLength(after.nested.length + 1);
  });
});

describe('real bundling (one stage)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'mha-infra-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles every handler into a minified ESM .mjs with a source map, the AWS SDK inside', () => {
    const { template, app } = synthStage('dev', { outdir });
    app.synth();
    const functions = serviceFunctionsOf(template);
    // Every route's function (in the nested stacks) and every event function (the Cognito triggers, the
    // scheduled jobs and the stream aggregator).
    expect(Object.keys(functions)).toHaveLength(routeTable.length + eventFunctionTable.length);
    for (const [id, fn] of Object.entries(functions)) {
      const key = String((fn.Properties.Code as { S3Key: string }).S3Key);
      const assetDir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(existsSync(assetDir), id).toBe(true);
      const files = readdirSync(assetDir);
      expect(files, id).toContain('index.mjs');
      expect(files, id).toContain('index.mjs.map');
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      // The createRequire banner comes first so CommonJS dependencies can require() in ESM.
      expect(bundle.startsWith('import { createRequire as __mhaCreateRequire }'), id).toBe(true);
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(bundle).toMatch(/sourceMappingURL=index\.mjs\.map/);
      const sourceMap = JSON.parse(readFileSync(path.join(assetDir, 'index.mjs.map'), 'utf8')) as {
        sourcesContent?: unknown;
      };
      expect(sourceMap.sourcesContent).toBeUndefined();
    }
    // Handlers that talk to DynamoDB carry the SDK client in the bundle instead of importing it.
    const dataRoute = routeTable.find((route) => route.data !== 'none');
    expect(dataRoute).toBeDefined();
    const dataFn = functions[functionLogicalIdOfRoute(template, dataRoute as RouteDefinition)];
    const dataKey = String((dataFn?.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
    const dataBundle = readFileSync(path.join(outdir, `asset.${dataKey}`, 'index.mjs'), 'utf8');
    expect(dataBundle).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(dataBundle).toContain('GetItem');
  });
});
