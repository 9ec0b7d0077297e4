import type { RouteDefinition, RouteRequest } from '#contract/route.ts';
import { writeAudit } from '#data/audit-repository.ts';
import {
  isAccessRefusal,
  requireCallerAccess,
  verifyCallerAccess,
  withCallerAccess,
} from '#data/caller-access.ts';
import { createHandlerChain, type UseCase } from './handler-chain.ts';
import type { CallerAccessCheck } from './types.ts';

export type { UseCase } from './handler-chain.ts';
export { created, noContent, ok } from './responses.ts';

const CALLER_ACCESS: CallerAccessCheck = {
  run: withCallerAccess,
  require: requireCallerAccess,
  verify: verifyCallerAccess,
  isRefusal: isAccessRefusal,
};

export interface ApiHandlerOptions {
  /**
   * Leaves the per-request caller check out, for the reason given: only for a route that decides on
   * the caller's account itself (logging out, asking for erasure again).
   */
  readonly callerAccessExempt?: string;
}

/**
 * Builds an API handler from its route entry: the Middy chain of handler-chain.ts, with denied callers
 * of routes that have table access audited through the audit repository, and every signed-in caller's
 * account and sign-in checked on every request (shared/data/caller-access.ts).
 */
export const createApiHandler = <Req extends RouteRequest>(
  route: RouteDefinition<Req>,
  useCase: UseCase<Req>,
  options: ApiHandlerOptions = {},
) =>
  createHandlerChain(route, useCase, {
    auditDenied: (event, context) => writeAudit(event, context),
    ...(options.callerAccessExempt
      ? { callerAccessExempt: options.callerAccessExempt }
      : { callerAccess: CALLER_ACCESS }),
  });
