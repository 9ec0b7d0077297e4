import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IDENTITY_NAMES } from '../../shared/contract/identity.ts';
import { ENV, parseRuntimeEnv } from '../../shared/contract/runtime-env.ts';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { REPO_ROOT } from '../../lib/constructs/api-function.ts';
import { PURGE_JOB_COGNITO_ACTIONS } from '../../lib/constructs/purge-job.ts';
import { fixtureRouteList, fixtureRoutes } from './fixture-routes.ts';
import {
  environmentOf,
  functionLogicalIdOfRoute,
  getAttTo,
  grantedStatementsOf,
  refTo,
  resourcesOf,
  scheduledFunctionIdsOf,
  STAGES,
  synthStage,
  triggerFunctionIdsOf,
  type Synthesized,
} from './synth.ts';

const allRoutes = [...routeTable, ...fixtureRouteList];
const synthesized = new Map<string, Synthesized>(
  STAGES.map((stage) => [stage, synthStage(stage, { routes: allRoutes })]),
);
const stageOf = (stage: string): Synthesized => {
  const result = synthesized.get(stage);
  if (!result) throw new Error(`not synthesized: ${stage}`);
  return result;
};

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

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
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
  const tableId = Object.keys(resourcesOf(template, 'AWS::DynamoDB::Table'))[0];
  const userPoolId = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'))[0];
  const apiClientId = Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).find(
    ([, client]) => client.Properties.ClientName === IDENTITY_NAMES.apiClient,
  )?.[0];

  it('has one function per route plus the two Cognito triggers and the purge job, and no other', () => {
    const routeFunctions = new Set(allRoutes.map((route) => functionLogicalIdOfRoute(template, route)));
    expect(routeFunctions.size).toBe(allRoutes.length);
    const triggers = Object.values(triggerFunctionIdsOf(template));
    expect(triggers).toHaveLength(2);
    const scheduled = Object.values(scheduledFunctionIdsOf(template)).flat();
    expect(scheduled).toHaveLength(1);
    expect(new Set(Object.keys(functions))).toEqual(new Set([...routeFunctions, ...triggers, ...scheduled]));
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
    expect(env[ENV.corsOrigins]).toBe(config.api.corsOrigins.join(','));
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
    // Function code reaches Cognito only through shared/data; lib/admin runs with operator credentials.
    const dataDir = path.join(REPO_ROOT, 'shared/data');
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
    for (const route of allRoutes) {
      const actions = grantedStatementsOf(template, functionLogicalIdOfRoute(template, route)).flatMap(
        (s) => s.actions,
      );
      const unexpected = actions.filter(
        (a) =>
          !a.startsWith('dynamodb:') &&
          !a.startsWith('kms:') &&
          !a.startsWith('cognito-idp:') &&
          !a.startsWith('xray:'),
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

describe('real bundling (one stage)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'mha-infra-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('bundles every handler into a minified ESM .mjs with a source map, the AWS SDK inside', () => {
    const { template, app } = synthStage('dev', { bundle: true, outdir });
    app.synth();
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    // Every route's function, both Cognito triggers and the purge job.
    expect(Object.keys(functions)).toHaveLength(routeTable.length + 3);
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
