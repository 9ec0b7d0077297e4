import type { ApiMiddleware } from '../types.ts';
import { principalFromClaims } from '../claims.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { routeAllows } from '#domain/access-policy.ts';
import type { AuditEvent, AuditRequestContext } from '#domain/audit.ts';

/** Writes the audit record of a denied call (the audit repository in handler-factory.ts). */
export type DeniedAudit = (event: AuditEvent, context: AuditRequestContext) => Promise<unknown>;

/** Reads the principal from the authorizer's claims (API Gateway has already verified the token). */
export const authenticate = (): ApiMiddleware => ({
  before: (request) => {
    const claims = request.event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
    request.context.api.principal = principalFromClaims(claims);
  },
});

/**
 * The route's role gate. A signed-in caller refused here is audited (PRIVACY.md: denied attempts are
 * recorded too) by every function that has table access; the others serve no personal data. The chain
 * refuses to build a route with table access without `auditDenied`.
 */
export const authorizeRoute = (auditDenied?: DeniedAudit): ApiMiddleware => ({
  before: async (request) => {
    const { route, principal, requestId } = request.context.api;
    const decision = routeAllows(route.access, principal);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') {
      if (route.data !== 'none' && auditDenied) {
        const headers = request.event.headers ?? {};
        await auditDenied(
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
        );
      }
      throw forbidden();
    }
  },
});
