import type { ApiMiddleware } from '../types.ts';
import { principalFromClaims } from '../claims.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { routeAllows } from '#domain/access-policy.ts';
import { systemClock } from '#domain/clock.ts';
import { writeAudit } from '#data/audit-repository.ts';

/** Reads the principal from the authorizer's claims (API Gateway has already verified the token). */
export const authenticate = (): ApiMiddleware => ({
  before: (request) => {
    const claims = request.event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
    request.context.api.principal = principalFromClaims(claims);
  },
});

/**
 * The route's role gate. A signed-in caller refused here is audited (PRIVACY.md: denied attempts are
 * recorded too) by every function that has table access; the others serve no personal data.
 */
export const authorizeRoute = (): ApiMiddleware => ({
  before: async (request) => {
    const { route, principal, requestId } = request.context.api;
    const decision = routeAllows(route.access, principal);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') {
      if (route.data !== 'none') {
        const headers = request.event.headers ?? {};
        await writeAudit(
          {
            action: route.id,
            resourceType: 'route',
            resourceId: route.path,
            outcome: 'denied',
            status: 403,
            reason: 'role',
          },
          {
            principal,
            requestId,
            sourceIp: request.event.requestContext?.identity?.sourceIp ?? 'unknown',
            userAgent: headers['user-agent'] ?? 'unknown',
          },
          systemClock,
        );
      }
      throw forbidden();
    }
  },
});
