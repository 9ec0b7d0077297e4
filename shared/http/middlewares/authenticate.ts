import type { ApiMiddleware } from '../types.ts';
import { principalFromClaims } from '../claims.ts';
import { isPublic } from '#contract/route.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Principal } from '#domain/principal.ts';
import type { RouteAccess } from '#contract/route.ts';

/** Reads the principal from the authorizer's claims (API Gateway has already verified the token). */
export const authenticate = (): ApiMiddleware => ({
  before: (request) => {
    const claims = request.event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
    request.context.api.principal = principalFromClaims(claims);
  },
});

/** Route-level role check: the coarse gate. Ownership and consent are decided by the use case. */
export const routeAllows = (
  access: RouteAccess,
  principal: Principal,
): 'allow' | 'unauthenticated' | 'forbidden' => {
  if (isPublic(access)) return 'allow';
  switch (principal.kind) {
    case 'anonymous':
      return 'unauthenticated';
    case 'machine':
      return access.machineScopes?.some((scope) => principal.scopes.includes(scope)) ? 'allow' : 'forbidden';
    case 'user':
      if (access.users === 'none') return 'forbidden';
      if (access.users === 'any') return 'allow';
      return access.users.some((group) => principal.roles.includes(group)) ? 'allow' : 'forbidden';
  }
};

export const authorizeRoute = (): ApiMiddleware => ({
  before: (request) => {
    const { route, principal } = request.context.api;
    const decision = routeAllows(route.access, principal);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') throw forbidden();
  },
});
