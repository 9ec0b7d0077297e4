import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorEnvelope } from '../../shared/contract/common.ts';
import { CORS_ALLOW_HEADERS, CORS_MAX_AGE_SECONDS } from '../../shared/contract/cors.ts';
import { MACHINE_SCOPES, USER_TOKEN_SCOPE } from '../../shared/contract/identity.ts';
import { isPublic, methodScopes, type RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { loadStageConfig } from '../../lib/config/index.ts';
import {
  ACCESS_LOG_FIELDS,
  GATEWAY_ERROR_MAPPINGS,
  METHOD_NOT_ALLOWED_OPERATION,
} from '../../lib/constructs/api.ts';
import { fixtureRouteList, fixtureRoutes } from './fixture-routes.ts';
import {
  methodOfRoute,
  methodsOf,
  refTo,
  resourcesOf,
  STAGES,
  synthStage,
  type Synthesized,
  consoleDistributionIdOf,
} from './synth.ts';

const allRoutes = [...routeTable, ...fixtureRouteList];

// The real route table plus fixtures for branches it does not exercise yet, per stage.
const synthesized = new Map<string, Synthesized>(
  STAGES.map((stage) => [stage, synthStage(stage, { routes: allRoutes })]),
);
const stageOf = (stage: string): Synthesized => {
  const result = synthesized.get(stage);
  if (!result) throw new Error(`not synthesized: ${stage}`);
  return result;
};

const routeCases = allRoutes.map((route) => [`${route.method} ${route.path} (${route.id})`, route] as const);

describe.each(STAGES)('API of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const authorizers = resourcesOf(template, 'AWS::ApiGateway::Authorizer');
  const authorizerIds = Object.keys(authorizers);

  it('has one Cognito user pools authorizer reading the Authorization header', () => {
    expect(authorizerIds).toHaveLength(1);
    const authorizer = Object.values(authorizers)[0];
    expect(authorizer?.Properties.Type).toBe('COGNITO_USER_POOLS');
    expect(authorizer?.Properties.IdentitySource).toBe('method.request.header.Authorization');
    expect(JSON.stringify(authorizer?.Properties.ProviderARNs)).toContain('AuthUserPool');
  });

  it.each(routeCases)('%s is protected exactly as its route entry says', (_name, route: RouteDefinition) => {
    const method = methodOfRoute(template, route).properties;
    expect(method.OperationName).toBe(route.id);
    if (isPublic(route.access)) {
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.AuthorizerId).toBeUndefined();
      expect(method.AuthorizationScopes).toBeUndefined();
    } else {
      expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(refTo(method.AuthorizerId)).toBe(authorizerIds[0]);
      // Scopes make the authorizer demand access tokens; an empty list would let ID tokens in.
      expect(method.AuthorizationScopes).toEqual(methodScopes(route.access));
      expect((method.AuthorizationScopes as string[]).length).toBeGreaterThan(0);
    }
  });

  it.each(routeCases)('%s is a Lambda proxy integration', (_name, route: RouteDefinition) => {
    const integration = methodOfRoute(template, route).properties.Integration as Record<string, unknown>;
    expect(integration.Type).toBe('AWS_PROXY');
    expect(integration.IntegrationHttpMethod).toBe('POST');
  });

  it('puts the user scope on user routes and only the machine scope on machine-only routes', () => {
    expect(methodOfRoute(template, fixtureRoutes.me).properties.AuthorizationScopes).toEqual([
      USER_TOKEN_SCOPE,
    ]);
    expect(methodOfRoute(template, fixtureRoutes.ingest).properties.AuthorizationScopes).toEqual([
      USER_TOKEN_SCOPE,
      MACHINE_SCOPES.analysesWrite,
    ]);
    expect(methodOfRoute(template, fixtureRoutes.machineOnly).properties.AuthorizationScopes).toEqual([
      MACHINE_SCOPES.analysesWrite,
    ]);
  });

  it('answers unsupported methods on every routed path with a 405 mock listing the real methods', () => {
    const methods = methodsOf(template);
    const routedPaths = [...new Set(allRoutes.map((route) => route.path))];
    for (const path of routedPaths) {
      const mocks = methods.filter(
        (m) => m.path === path && m.properties.OperationName === METHOD_NOT_ALLOWED_OPERATION,
      );
      expect(mocks, path).toHaveLength(1);
      const mock = mocks[0]?.properties as Record<string, unknown>;
      expect(mock.HttpMethod).toBe('ANY');
      expect(mock.AuthorizationType).toBe('NONE');
      const integration = mock.Integration as {
        Type: string;
        IntegrationResponses: {
          StatusCode: string;
          ResponseParameters: Record<string, string>;
          ResponseTemplates: Record<string, string>;
        }[];
      };
      expect(integration.Type).toBe('MOCK');
      const [response] = integration.IntegrationResponses;
      expect(response?.StatusCode).toBe('405');
      const expectedAllow = allRoutes
        .filter((route) => route.path === path)
        .map((route) => route.method)
        .sort()
        .join(', ');
      expect(response?.ResponseParameters['method.response.header.Allow']).toBe(`'${expectedAllow}'`);
      const body = JSON.parse(response?.ResponseTemplates['application/json'] ?? '{}') as unknown;
      expect(ErrorEnvelope.parse(body).error).toEqual({
        code: 'METHOD_NOT_ALLOWED',
        message: expect.any(String),
        requestId: '$context.requestId',
      });
    }
    // Paths with no routes of their own (e.g. /fixture) get no 405 mock: API Gateway answers them 404.
    const mockPaths = methods
      .filter((m) => m.properties.OperationName === METHOD_NOT_ALLOWED_OPERATION)
      .map((m) => m.path);
    expect(new Set(mockPaths)).toEqual(new Set(routedPaths));
  });

  it('lists both methods of a path with two routes in the Allow header', () => {
    const mock = methodsOf(template).find(
      (m) => m.path === '/fixture/{item_id}' && m.properties.OperationName === METHOD_NOT_ALLOWED_OPERATION,
    );
    expect(JSON.stringify(mock?.properties.Integration)).toContain("'GET, PUT'");
  });

  it('has exactly one method per route plus the mocks and CORS preflights, nothing else', () => {
    const methods = methodsOf(template);
    const routedPaths = new Set(allRoutes.map((route) => route.path));
    const cors = config.api.corsOrigins.length > 0 || stage !== 'local' ? routedPaths.size : 0;
    expect(methods).toHaveLength(allRoutes.length + routedPaths.size + cors);
    expect(methods.filter((m) => m.httpMethod === 'OPTIONS')).toHaveLength(cors);
  });

  it('rewrites every gateway error to the envelope with a JSON content type', () => {
    const responses = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse'));
    const byType = new Map(responses.map((r) => [String(r.Properties.ResponseType), r.Properties]));
    const required = {
      DEFAULT_4XX: undefined,
      DEFAULT_5XX: undefined,
      UNAUTHORIZED: '401',
      ACCESS_DENIED: '403',
      THROTTLED: '429',
      QUOTA_EXCEEDED: '429',
      MISSING_AUTHENTICATION_TOKEN: '404',
      EXPIRED_TOKEN: '401',
      INVALID_SIGNATURE: '401',
      REQUEST_TOO_LARGE: '413',
      UNSUPPORTED_MEDIA_TYPE: '415',
      INTEGRATION_TIMEOUT: '504',
      WAF_FILTERED: '403',
    } as const;
    for (const [type, status] of Object.entries(required)) {
      const response = byType.get(type);
      expect(response, type).toBeDefined();
      expect(response?.StatusCode, type).toBe(status);
    }
    for (const [type, response] of byType) {
      const headers = response.ResponseParameters as Record<string, string>;
      expect(headers['gatewayresponse.header.Content-Type'], type).toBe("'application/json'");
      const template = (response.ResponseTemplates as Record<string, string>)['application/json'];
      const envelope = ErrorEnvelope.parse(JSON.parse(template ?? '{}'));
      expect(envelope.error.requestId, type).toBe('$context.requestId');
      // A code and an explicit status agree with docs/api.md, except gateway timeouts/failures (5xx, INTERNAL).
      const status = response.StatusCode === undefined ? undefined : Number(response.StatusCode);
      if (status !== undefined && envelope.error.code !== 'INTERNAL') {
        expect(status, type).toBe(ERROR_STATUS[envelope.error.code]);
      }
    }
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')?.ResponseTemplates).toEqual({
      'application/json': expect.stringContaining('"code":"NOT_FOUND"'),
    });
    expect(byType.size).toBe(GATEWAY_ERROR_MAPPINGS.length);
  });

  it('tells throttled clients when to retry', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"THROTTLED"') },
    });
  });

  it('deploys a stage named after the stage with JSON access logs, metrics, no data trace, stage throttles', () => {
    const stages = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    const props = stages[0]?.Properties as Record<string, unknown>;
    expect(props.StageName).toBe(stage);
    expect(props.TracingEnabled).toBe(config.lambda.tracing);
    const settings = props.MethodSettings as Record<string, unknown>[];
    const all = settings.find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
    expect(all).toMatchObject({
      DataTraceEnabled: false,
      MetricsEnabled: true,
      ThrottlingRateLimit: config.api.throttle.rateLimit,
      ThrottlingBurstLimit: config.api.throttle.burstLimit,
    });
    for (const setting of settings) expect(setting.DataTraceEnabled).toBe(false);

    const accessLog = props.AccessLogSetting as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(accessLog.Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FIELDS);
    for (const field of [
      'requestId',
      'ip',
      'caller',
      'sub',
      'method',
      'path',
      'status',
      'latency',
      'integrationError',
    ]) {
      expect(format[field], field).toMatch(/^\$context\./);
    }
    expect(accessLog.Format).not.toMatch(/body/i);
    const accessLogGroupId = JSON.stringify(accessLog.DestinationArn).match(
      /"Ref":"(ApiAccessLogs[A-Za-z0-9]+)"/,
    )?.[1];
    const accessLogGroup = accessLogGroupId
      ? resourcesOf(template, 'AWS::Logs::LogGroup')[accessLogGroupId]
      : undefined;
    expect(accessLogGroup?.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it('compresses responses from the stage’s threshold (the local gateway uses the same setting)', () => {
    expect(config.api.minCompressionBytes).toBeGreaterThanOrEqual(0);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      MinimumCompressionSize: config.api.minCompressionBytes,
    });
  });

  it('owns the execution log group (stage retention) and creates it before the stage', () => {
    const [executionLogsId, executionLogs] =
      Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).find(([, group]) =>
        JSON.stringify(group.Properties.LogGroupName).includes('API-Gateway-Execution-Logs_'),
      ) ?? [];
    expect(executionLogs?.Properties.RetentionInDays).toBe(config.logRetentionDays);
    expect(JSON.stringify(executionLogs?.Properties.LogGroupName)).toContain(`"/${stage}"`);
    const [apiStage] = Object.values(template.findResources('AWS::ApiGateway::Stage')) as {
      DependsOn?: string[];
    }[];
    expect(apiStage?.DependsOn).toContain(executionLogsId);
  });

  it('gives auth-class routes the tighter method throttle and no other route an override', () => {
    const props = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'))[0]?.Properties as Record<
      string,
      unknown
    >;
    const overrides = (props.MethodSettings as Record<string, unknown>[]).filter(
      (s) => s.ResourcePath !== '/*',
    );
    const authRoutes = allRoutes.filter((route) => route.throttle === 'auth');
    expect(authRoutes.length).toBeGreaterThan(0);
    expect(overrides).toHaveLength(authRoutes.length);
    for (const route of authRoutes) {
      expect(overrides).toContainEqual(
        expect.objectContaining({
          ResourcePath: `/${route.path.replaceAll('/', '~1')}`,
          HttpMethod: route.method,
          // An override replaces the stage-wide settings for that method: it must keep logs and metrics.
          MetricsEnabled: true,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: config.api.authThrottle.rateLimit,
          ThrottlingBurstLimit: config.api.authThrottle.burstLimit,
        }),
      );
    }
  });

  it('puts every credential-handling /auth route of the real table under the auth throttle', () => {
    const settings = (
      Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'))[0]?.Properties.MethodSettings as {
        ResourcePath: string;
        HttpMethod: string;
        ThrottlingRateLimit?: number;
      }[]
    ).filter((setting) => setting.ResourcePath.startsWith('/~1auth~1'));
    const throttled = settings
      .filter((setting) => setting.ThrottlingRateLimit === config.api.authThrottle.rateLimit)
      .map((setting) => `${setting.HttpMethod} ${setting.ResourcePath.replaceAll('~1', '/').slice(1)}`)
      .sort();
    expect(throttled).toEqual(
      [
        'POST /auth/register',
        'POST /auth/confirm',
        'POST /auth/login',
        'POST /auth/login/mfa',
        'POST /auth/login/new-password',
        'POST /auth/refresh',
        'POST /auth/logout',
        'POST /auth/password',
        'POST /auth/password/forgot',
        'POST /auth/password/reset',
        'POST /auth/mfa/totp',
        'POST /auth/mfa/totp/verify',
      ].sort(),
    );
    expect(
      routeTable.filter((route) => route.path.startsWith('/auth/') && route.throttle === 'auth'),
    ).toHaveLength(throttled.length);
  });

  it('answers CORS preflights only for the stage origins', () => {
    const preflights = methodsOf(template).filter((m) => m.httpMethod === 'OPTIONS');
    expect(preflights.length).toBe(
      config.api.corsOrigins.length > 0 || stage !== 'local' ? new Set(allRoutes.map((r) => r.path)).size : 0,
    );
    for (const preflight of preflights) {
      const text = JSON.stringify(preflight.properties.Integration);
      // The console's distribution where the stage has one (exactly its origin), the config's otherwise.
      const distributionId = consoleDistributionIdOf(stageOf(stage));
      for (const origin of distributionId ? [distributionId] : config.api.corsOrigins)
        expect(text).toContain(origin);
      expect(text).not.toContain("'*'");
      // The policy the local gateway answers with too (shared/contract/cors.ts).
      expect(text).toContain(`"method.response.header.Access-Control-Max-Age":"'${CORS_MAX_AGE_SECONDS}'"`);
      expect(text).toContain(
        `"method.response.header.Access-Control-Allow-Headers":"'${CORS_ALLOW_HEADERS.join(',')}'"`,
      );
    }
  });
});

describe('API route validation', () => {
  const dev = loadStageConfig('dev');
  it('refuses a protected route that would demand no scopes (ID tokens would pass)', () => {
    const scopeless = {
      ...fixtureRoutes.me,
      id: 'fixture.scopeless',
      path: '/fixture/scopeless',
      access: { users: 'none' },
    } as const;
    expect(methodScopes(scopeless.access)).toEqual([]);
    expect(() => synthStage('dev', { config: dev, routes: [scopeless] })).toThrow(/demands no scopes/);
  });

  it('refuses duplicate routes', () => {
    expect(() =>
      synthStage('dev', {
        config: dev,
        routes: [fixtureRoutes.me, { ...fixtureRoutes.me, id: 'fixture.other' }],
      }),
    ).toThrow(/duplicate: GET \/fixture\/me/);
  });

  it('has no CORS preflight when a stage allows no origin (the local stage: no console)', () => {
    const local = loadStageConfig('local');
    const { template } = synthStage('local', {
      config: { ...local, api: { ...local.api, corsOrigins: [] } },
      routes: [fixtureRoutes.me],
    });
    expect(methodsOf(template).filter((m) => m.httpMethod === 'OPTIONS')).toHaveLength(0);
  });
});
