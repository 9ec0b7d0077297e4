import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { RouteDefinition, RouteRequest } from '#contract/route.ts';
import type { Principal } from '#domain/principal.ts';

type Infer<S, Fallback> = S extends z.ZodMiniType ? z.infer<S> : Fallback;

/** What a use case receives: validated input plus who is calling. */
export interface ApiRequest<Req extends RouteRequest = RouteRequest> {
  readonly params: Infer<Req['params'], Record<string, never>>;
  readonly query: Infer<Req['query'], Record<string, never>>;
  readonly body: Infer<Req['body'], undefined>;
  readonly principal: Principal;
  /** The route served: the action of the route's audit records (shared/data/audit-repository.ts). */
  readonly routeId: string;
  readonly requestId: string;
  readonly correlationId: string;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/**
 * What a use case returns. `body` is serialized as JSON unless `contentType` says otherwise, or unless
 * `serialized` says it already is (a string in `contentType`, sent as it is).
 */
export interface ApiResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly contentType?: string;
  readonly serialized?: boolean;
}

/**
 * The per-request check of the caller's account and sign-in (shared/data/caller-access.ts), wired into
 * the chain by handler-factory.ts for every route with table access.
 */
export interface CallerAccessCheck {
  /** Runs one invocation with its own check state. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Every DynamoDB call of the invocation is conditioned on this caller's access from now on. */
  require(principal: Principal): void;
  /** Checks now, unless a call of the use case already did (one strongly consistent GetItem). */
  verify(): Promise<void>;
  /** Whether the error is the check's refusal. */
  isRefusal(error: unknown): boolean;
}

/** State the chain builds up for one invocation (kept on the Lambda context, Middy-style). */
export interface ApiState {
  route: RouteDefinition;
  requestId: string;
  correlationId: string;
  principal: Principal;
  params: unknown;
  query: unknown;
  body: unknown;
}

export type ApiContext = Context & { api: ApiState };

export type ApiMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, ApiContext>;
