import type { RouteDefinition, RouteRequest } from '#contract/route.ts';
import { systemClock } from '#domain/clock.ts';
import { writeAudit } from '#data/audit-repository.ts';
import { createHandlerChain, type UseCase } from './handler-chain.ts';

export type { UseCase } from './handler-chain.ts';
export { created, noContent, ok } from './responses.ts';

/**
 * Builds an API handler from its route entry: the Middy chain of handler-chain.ts, with denied callers
 * of routes that have table access audited through the audit repository.
 */
export const createApiHandler = <Req extends RouteRequest>(
  route: RouteDefinition<Req>,
  useCase: UseCase<Req>,
) =>
  createHandlerChain(route, useCase, {
    auditDenied: (event, context) => writeAudit(event, context, systemClock),
  });
