import { Duration, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ErrorCode } from '../../shared/contract/common.ts';
import { isPublic, methodScopes, type RouteDefinition } from '../../shared/contract/route.ts';
import type { StageConfig } from '../config/index.ts';
import { apiKeyRequired } from '../config/usage-plans.ts';
import { logRetention, removalPolicy, type ApiFunction } from './api-function.ts';
import { LambdaProxyIntegration, RouteFunctions, routeFunctionsStackId } from './route-functions.ts';

/** Marks the mock methods that answer 405 for a known path with an unsupported method. */
export const METHOD_NOT_ALLOWED_OPERATION = 'methodNotAllowed';

/** Headers a browser may send on a cross-origin call (preflight allow-list). */
export const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Api-Key',
  'Idempotency-Key',
  'X-Correlation-Id',
  'X-Amz-Date',
  'X-Amz-Security-Token',
];

/** The docs/api.md error envelope as an API Gateway template; API Gateway fills in the request id. */
export const errorEnvelopeTemplate = (code: ErrorCode, message: string): string =>
  JSON.stringify({ error: { code, message, requestId: '$context.requestId' } });

export interface GatewayErrorMapping {
  readonly type: apigw.ResponseType;
  /** Status sent; undefined keeps API Gateway's own (only for the catch-all defaults). */
  readonly statusCode?: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/**
 * Every error API Gateway answers by itself (before or instead of a handler), rewritten to our envelope.
 * Each type is mapped explicitly so the DEFAULT_* entries only catch types AWS adds later.
 */
export const GATEWAY_ERROR_MAPPINGS: readonly GatewayErrorMapping[] = [
  { type: apigw.ResponseType.DEFAULT_4XX, code: 'VALIDATION_FAILED', message: 'The request was rejected' },
  { type: apigw.ResponseType.DEFAULT_5XX, code: 'INTERNAL', message: 'Internal error' },
  {
    type: apigw.ResponseType.UNAUTHORIZED,
    statusCode: '401',
    code: 'UNAUTHENTICATED',
    message: 'A valid access token is required',
  },
  {
    type: apigw.ResponseType.EXPIRED_TOKEN,
    statusCode: '401',
    code: 'UNAUTHENTICATED',
    message: 'The token has expired',
  },
  {
    type: apigw.ResponseType.INVALID_SIGNATURE,
    statusCode: '401',
    code: 'UNAUTHENTICATED',
    message: 'The token signature is invalid',
  },
  { type: apigw.ResponseType.ACCESS_DENIED, statusCode: '403', code: 'FORBIDDEN', message: 'Access denied' },
  {
    type: apigw.ResponseType.INVALID_API_KEY,
    statusCode: '403',
    code: 'FORBIDDEN',
    message: 'Invalid API key',
  },
  { type: apigw.ResponseType.WAF_FILTERED, statusCode: '403', code: 'FORBIDDEN', message: 'Request blocked' },
  // API Gateway answers an unknown path (or a method nobody declared) this way, as a 403: it is a 404.
  {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    code: 'NOT_FOUND',
    message: 'No such resource',
  },
  {
    type: apigw.ResponseType.RESOURCE_NOT_FOUND,
    statusCode: '404',
    code: 'NOT_FOUND',
    message: 'No such resource',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    statusCode: '400',
    code: 'VALIDATION_FAILED',
    message: 'Invalid request body',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    statusCode: '400',
    code: 'VALIDATION_FAILED',
    message: 'Invalid request parameters',
  },
  {
    type: apigw.ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Request body too large',
  },
  {
    type: apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    statusCode: '415',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported content type',
  },
  {
    type: apigw.ResponseType.THROTTLED,
    statusCode: '429',
    code: 'THROTTLED',
    message: 'Too many requests',
    retryAfterSeconds: 1,
  },
  {
    type: apigw.ResponseType.QUOTA_EXCEEDED,
    statusCode: '429',
    code: 'THROTTLED',
    message: 'Usage quota exceeded',
    retryAfterSeconds: 60,
  },
  {
    type: apigw.ResponseType.API_CONFIGURATION_ERROR,
    statusCode: '500',
    code: 'INTERNAL',
    message: 'Internal error',
  },
  {
    type: apigw.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    statusCode: '500',
    code: 'INTERNAL',
    message: 'Internal error',
  },
  {
    type: apigw.ResponseType.AUTHORIZER_FAILURE,
    statusCode: '500',
    code: 'INTERNAL',
    message: 'Internal error',
  },
  // Gateway-level failures keep a gateway status (clients may retry a 502/504), with the INTERNAL code.
  {
    type: apigw.ResponseType.INTEGRATION_FAILURE,
    statusCode: '502',
    code: 'INTERNAL',
    message: 'Internal error',
  },
  {
    type: apigw.ResponseType.INTEGRATION_TIMEOUT,
    statusCode: '504',
    code: 'INTERNAL',
    message: 'The request timed out',
  },
];

/** One JSON line per request: who, what, outcome, timing. Never bodies or headers with secrets. */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  sub: '$context.authorizer.claims.sub',
  clientId: '$context.authorizer.claims.client_id',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integration.status',
  integrationError: '$context.integrationErrorMessage',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
} as const;

/** `methodOptions` key of a method: `/health/database/GET`. */
export const methodOptionsKey = (route: Pick<RouteDefinition, 'path' | 'method'>): string =>
  `${route.path}/${route.method}`;

export interface ApiProps {
  readonly config: StageConfig;
  readonly routes: readonly RouteDefinition[];
  readonly table: dynamodb.ITable;
  readonly userPool: cognito.IUserPool;
  /** The first-party client the /auth routes sign users in through (its id goes to every function). */
  readonly apiClient: cognito.IUserPoolClient;
}

/**
 * The REST API, generated from the route table: a resource per path segment, one Lambda per route,
 * the Cognito authorizer with the route's scopes on every non-public method, per-method throttles,
 * JSON access logs, our error envelope on gateway errors, and 405 answers for unsupported methods.
 * The functions live in one nested stack per route area ({@link RouteFunctions}), created as the route
 * table names areas; everything else here is in the stage's top-level stack.
 */
export class Api extends Construct {
  readonly restApi: apigw.RestApi;
  private authorizer: apigw.CognitoUserPoolsAuthorizer | undefined;
  /** Every route's function, by route id. */
  readonly functions: ReadonlyMap<string, ApiFunction>;
  /** The nested stacks holding the functions, one per route area (the routes' `tag`), by area. */
  readonly functionStacks: ReadonlyMap<string, RouteFunctions>;
  readonly accessLogGroup: logs.LogGroup;
  /** Key material of the sealed list cursors (CURSOR_SECRET of every API function). */
  readonly cursorSecret: secretsmanager.Secret;
  /**
   * On every route method: required path parameters are checked at the edge. No body models are attached:
   * the handlers' zod validation answers 400 with the field details of the contract, which a gateway
   * BAD_REQUEST_BODY cannot, so API Gateway's body check has nothing to check (it passes bodies of
   * methods without a model).
   */
  readonly requestValidator: apigw.RequestValidator;
  private readonly config: StageConfig;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, routes, table, userPool, apiClient } = props;
    const stage = config.stage;
    this.config = config;
    assertUniqueRoutes(routes);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/mha-${stage}-api/access`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });

    // A method override replaces the stage-wide settings for that method, so it repeats logs and metrics.
    const methodLogging = {
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
    };
    const authThrottle: apigw.MethodDeploymentOptions = {
      ...methodLogging,
      throttlingRateLimit: config.api.authThrottle.rateLimit,
      throttlingBurstLimit: config.api.authThrottle.burstLimit,
    };
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = Object.fromEntries(
      routes
        .filter((route) => route.throttle === 'auth')
        .map((route) => [methodOptionsKey(route), authThrottle]),
    );

    this.restApi = new apigw.RestApi(this, 'RestApi', {
      restApiName: `mha-${stage}-api`,
      description: `Mental Health Analytics API (${stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Compressed for clients that send Accept-Encoding gzip/deflate; the local gateway mirrors it.
      minCompressionSize: Size.bytes(config.api.minCompressionBytes),
      // Access and execution logging need the account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: stage,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        ...methodLogging,
        tracingEnabled: config.lambda.tracing,
        throttlingRateLimit: config.api.throttle.rateLimit,
        throttlingBurstLimit: config.api.throttle.burstLimit,
        methodOptions,
      },
    });

    // API Gateway creates the execution log group lazily and keeps it forever; own it to set retention,
    // created before the stage so API Gateway never gets there first.
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${stage}`,
      retention: logRetention(config),
      removalPolicy: removalPolicy(config),
    });
    this.restApi.deploymentStage.node.addDependency(executionLogs);

    // Generated by Secrets Manager, never in the template: 64 letters and digits (~380 bits; the contract
    // wants 32+ characters), nothing that needs quoting anywhere. Encrypted with the account's
    // aws/secretsmanager key: it only guards list cursors, and CloudFormation resolves it at deploy time
    // without any key policy to maintain. No fixed name, so a deleted stage (Secrets Manager keeps a
    // deleted name reserved for the recovery window) can be recreated at once. Not rotated: the functions
    // would only see a new value on the next deployment, and rotating it invalidates every open cursor.
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: `Seals the list cursors of the mha-${stage} API (CURSOR_SECRET)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: removalPolicy(config),
    });

    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      requestValidatorName: `mha-${stage}-parameters`,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const functions = new Map<string, ApiFunction>();
    const functionStacks = new Map<string, RouteFunctions>();
    const methodsByResource = new Map<apigw.Resource, Set<string>>();
    for (const route of routes) {
      // One nested stack per route area, created with the area's first route (see RouteFunctions).
      let area = functionStacks.get(route.tag);
      if (!area) {
        area = new RouteFunctions(this, routeFunctionsStackId(route.tag), {
          config,
          area: route.tag,
          restApi: this.restApi,
          table,
          userPool,
          apiClient,
          cursorSecret: this.cursorSecret,
        });
        functionStacks.set(route.tag, area);
      }
      const fn = area.addRoute(route);
      functions.set(route.id, fn);
      const resource = this.restApi.root.resourceForPath(route.path);
      resource.addMethod(
        route.method,
        new LambdaProxyIntegration(fn.function),
        this.methodAuthorization(route, userPool),
      );
      const methods = methodsByResource.get(resource) ?? new Set<string>();
      methodsByResource.set(resource, methods.add(route.method));
    }
    this.functions = functions;
    this.functionStacks = functionStacks;

    for (const [resource, methods] of methodsByResource) {
      const allowed = [...methods].sort();
      if (config.api.corsOrigins.length > 0) {
        resource.addCorsPreflight({
          allowOrigins: config.api.corsOrigins,
          allowMethods: allowed,
          allowHeaders: CORS_ALLOW_HEADERS,
          maxAge: Duration.hours(1),
        });
      }
      addMethodNotAllowed(resource, allowed);
    }

    for (const mapping of GATEWAY_ERROR_MAPPINGS) {
      this.restApi.addGatewayResponse(`Gateway${mapping.type.responseType}`, {
        type: mapping.type,
        ...(mapping.statusCode === undefined ? {} : { statusCode: mapping.statusCode }),
        responseHeaders: {
          'Content-Type': "'application/json'",
          'Cache-Control': "'no-store'",
          'X-Content-Type-Options': "'nosniff'",
          ...(mapping.retryAfterSeconds === undefined
            ? {}
            : { 'Retry-After': `'${String(mapping.retryAfterSeconds)}'` }),
        },
        templates: { 'application/json': errorEnvelopeTemplate(mapping.code, mapping.message) },
      });
    }
  }

  private methodAuthorization(route: RouteDefinition, userPool: cognito.IUserPool): apigw.MethodOptions {
    const common: apigw.MethodOptions = {
      operationName: route.id,
      // Usage plans meter and limit only methods that demand a key (lib/config/usage-plans.ts).
      apiKeyRequired: apiKeyRequired(this.config, route),
      requestValidator: this.requestValidator,
      requestParameters: Object.fromEntries(
        [...route.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => [`method.request.path.${m[1]}`, true]),
      ),
    };
    if (isPublic(route.access)) {
      return { ...common, authorizationType: apigw.AuthorizationType.NONE };
    }
    const scopes = methodScopes(route.access);
    // Without scopes the Cognito authorizer would accept ID tokens: never deploy a method like that.
    if (scopes.length === 0) throw new Error(`Route ${route.id} is protected but demands no scopes`);
    return {
      ...common,
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizer: this.cognitoAuthorizer(userPool),
      authorizationScopes: scopes,
    };
  }

  /** Created with the first protected route: CloudFormation rejects an authorizer no method uses. */
  private cognitoAuthorizer(userPool: cognito.IUserPool): apigw.CognitoUserPoolsAuthorizer {
    this.authorizer ??= new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: `${this.restApi.restApiName}-cognito`,
      cognitoUserPools: [userPool],
      resultsCacheTtl: Duration.minutes(5),
    });
    return this.authorizer;
  }
}

/**
 * A known path with an unsupported method answers 405 with the envelope and an `Allow` header, like the
 * local gateway. API Gateway prefers the explicit methods (and OPTIONS) over ANY.
 */
const addMethodNotAllowed = (resource: apigw.Resource, allowed: readonly string[]): void => {
  resource.addMethod(
    'ANY',
    new apigw.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 405}' },
      passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
      integrationResponses: [
        {
          statusCode: '405',
          responseParameters: {
            'method.response.header.Allow': `'${allowed.join(', ')}'`,
            'method.response.header.Content-Type': "'application/json'",
            'method.response.header.Cache-Control': "'no-store'",
          },
          responseTemplates: {
            'application/json': errorEnvelopeTemplate('METHOD_NOT_ALLOWED', 'Method not allowed'),
          },
        },
      ],
    }),
    {
      operationName: METHOD_NOT_ALLOWED_OPERATION,
      authorizationType: apigw.AuthorizationType.NONE,
      methodResponses: [
        {
          statusCode: '405',
          responseParameters: {
            'method.response.header.Allow': true,
            'method.response.header.Content-Type': true,
            'method.response.header.Cache-Control': true,
          },
        },
      ],
    },
  );
};

const assertUniqueRoutes = (routes: readonly RouteDefinition[]): void => {
  const seen = new Set<string>();
  for (const route of routes) {
    for (const key of [`id ${route.id}`, `${route.method} ${route.path}`]) {
      if (seen.has(key)) throw new Error(`Route table has a duplicate: ${key}`);
      seen.add(key);
    }
  }
};
