import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

let counter = 0;

/** A unique API Gateway request id per event, so tests never share one. */
export const newRequestId = (): string => `req-${process.pid}-${Date.now()}-${++counter}`;

export interface EventOptions {
  method?: string;
  path?: string;
  resource?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string | null;
  isBase64Encoded?: boolean;
  /** Authorizer claims as the REST API Cognito authorizer passes them (strings). */
  claims?: Record<string, string>;
  requestId?: string;
}

/** A REST API (v1) proxy event as API Gateway sends it to a Lambda proxy integration. */
export const restEvent = (options: EventOptions = {}): APIGatewayProxyEvent => {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const requestId = options.requestId ?? newRequestId();
  return {
    resource: options.resource ?? path,
    path,
    httpMethod: method,
    headers: options.headers ?? {},
    multiValueHeaders: Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k, [v]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: options.claims ? { claims: options.claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path: `/test${path}`,
      stage: 'test',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: options.resource ?? path,
    },
  };
};

/** The parts of the Lambda context the chain reads. */
export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'mha-test-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:mha-test-fn',
  memoryLimitInMB: '256',
  awsRequestId: `lambda-${newRequestId()}`,
  logGroupName: '/aws/lambda/mha-test-fn',
  logStreamName: '2026/01/01/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Invokes a handler and parses a JSON body when the response has one. */
export const invoke = async (handler: Handler, event: APIGatewayProxyEvent) => {
  const response = await handler(event, lambdaContext());
  const headers = (response.headers ?? {}) as Record<string, string>;
  const contentType = headers['Content-Type'] ?? '';
  const json: unknown =
    contentType.startsWith('application/json') && response.body ? JSON.parse(response.body) : undefined;
  return { ...response, headers, json };
};

/**
 * Claims of a signed-in user's access token as the REST authorizer stringifies them: a sign-in made
 * just now (auth_time) with its own origin id, as Cognito issues them.
 */
export const userClaims = (sub: string, groups: string): Record<string, string> => {
  const now = String(Math.floor(Date.now() / 1000));
  return {
    sub,
    username: sub,
    client_id: 'web-client-id',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': groups,
    auth_time: now,
    iat: now,
    origin_jti: randomUUID(),
    jti: randomUUID(),
  };
};
