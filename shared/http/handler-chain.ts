import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { buildSchema } from '#contract/lazy.ts';
import type { RouteDefinition, RouteRequest } from '#contract/route.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { ANONYMOUS } from '#domain/principal.ts';
import { metrics } from '#observability/powertools.ts';
import { authenticate, authorizeRoute, type DeniedAudit } from './middlewares/authenticate.ts';
import { callerAccess } from './middlewares/caller-access.ts';
import { correlation } from './middlewares/correlation.ts';
import { cors } from './middlewares/cors.ts';
import { lowerCaseHeaderNames } from './middlewares/header-names.ts';
import { jsonBody } from './middlewares/json-body.ts';
import { respond } from './middlewares/respond.ts';
import { securityHeaders } from './middlewares/security-headers.ts';
import { validateRequest } from './middlewares/validate-request.ts';
import type { ApiContext, ApiMiddleware, ApiRequest, ApiResult, CallerAccessCheck } from './types.ts';

export type UseCase<Req extends RouteRequest> = (request: ApiRequest<Req>) => Promise<ApiResult>;

const routeState = (route: RouteDefinition): ApiMiddleware => ({
  before: (request) => {
    request.context.api = {
      route,
      requestId: '',
      correlationId: '',
      principal: ANONYMOUS,
      params: {},
      query: {},
      body: undefined,
    };
  },
});

export interface HandlerChainOptions {
  /**
   * Records a signed-in caller refused by the route's role check (docs/privacy.md: denied attempts are
   * audited). Required for every route with table access; routes without one serve no personal data.
   */
  readonly auditDenied?: DeniedAudit;
  /**
   * The check of the caller's account and sign-in on every request (docs/privacy.md, "Accounts and
   * sessions"). Required for every route with table access, unless the route says why it checks the
   * caller itself (`callerAccessExempt`).
   */
  readonly callerAccess?: CallerAccessCheck;
  readonly callerAccessExempt?: string;
}

/**
 * Builds an API handler from its route entry. The chain, in `before` order (after/onError run in
 * reverse, so the error mapper answers first and CORS/security headers decorate every response):
 *
 *   route state → correlation/logger → metrics → CORS → security headers → respond (serialize + error
 *   mapper) → header normalization → authenticate (claims → principal) → caller access (account and
 *   sign-in, checked with the use case's own DynamoDB calls or before the answer leaves) → route role
 *   check → JSON body (415/413/400) → zod validation (400 naming fields) → use case
 *
 * The role check runs before body parsing and validation, so a caller without the role learns nothing
 * about the input contract from the error.
 *
 * Takes no data-layer dependency itself: handler-factory.ts wires the audit repository in for the
 * routes with table access, and routes without one (docs, identity health) use this directly, so their
 * bundles carry no DynamoDB client.
 */
export const createHandlerChain = <Req extends RouteRequest>(
  route: RouteDefinition<Req>,
  useCase: UseCase<Req>,
  options: HandlerChainOptions = {},
) => {
  if (!route.access) {
    throw new Error(`Route ${route.id} declares no access rule; every route must say who may call it.`);
  }
  if (route.data !== 'none' && !options.auditDenied) {
    throw new Error(`Route ${route.id} has table access, so its denied callers must be audited.`);
  }
  if (route.data !== 'none' && !options.callerAccess && !options.callerAccessExempt) {
    throw new Error(`Route ${route.id} has table access, so its callers' access must be checked.`);
  }
  // The contract builds schemas on first use; this route's request schemas are built now, at init,
  // rather than by the first request.
  for (const schema of [route.request.params, route.request.query, route.request.body]) buildSchema(schema);
  const env = runtimeEnv();
  const core = async (event: APIGatewayProxyEvent, context: ApiContext): Promise<APIGatewayProxyResult> => {
    const { api } = context;
    const headers = event.headers ?? {};
    const result = await useCase({
      params: api.params,
      query: api.query,
      body: api.body,
      principal: api.principal,
      routeId: api.route.id,
      requestId: api.requestId,
      correlationId: api.correlationId,
      sourceIp: event.requestContext?.identity?.sourceIp ?? 'unknown',
      userAgent: headers['user-agent'] ?? 'unknown',
      headers,
    } as ApiRequest<Req>);
    // `respond` turns the ApiResult into the proxy result in its `after` step.
    return result as unknown as APIGatewayProxyResult;
  };

  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext>(core)
    .use(routeState(route as RouteDefinition))
    .use(correlation())
    .use(logMetrics(metrics, { captureColdStartMetric: true }) as unknown as ApiMiddleware)
    .use(cors(env.corsOrigins))
    .use(securityHeaders())
    .use(respond())
    .use(lowerCaseHeaderNames())
    .use(authenticate());
  const check = route.data !== 'none' ? options.callerAccess : undefined;
  if (check) handler.use(callerAccess(check));
  handler.use(authorizeRoute(options.auditDenied));
  if (route.request.body) handler.use(jsonBody());
  handler.use(validateRequest());
  const run = handler as unknown as (
    event: APIGatewayProxyEvent,
    context: Context,
  ) => Promise<APIGatewayProxyResult>;
  return check
    ? (event: APIGatewayProxyEvent, context: Context) => check.run(() => run(event, context))
    : run;
};
