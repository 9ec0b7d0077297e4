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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user a refused call was aimed at, when the request names one (the path's `{user_id}`, or a
 * `subjectId` query parameter) and it is not the caller: the record is filed under them, so the attempt
 * shows in their access log. Parameters are not validated yet at the gate; anything that is not a user
 * id is left out (the record is then filed under the caller).
 */
const targetUserOf = (
  pathParameters: Record<string, string | undefined> | null,
  query: Record<string, string | undefined> | null,
  callerSub: string | undefined,
): string | undefined => {
  const named = pathParameters?.user_id ?? query?.subjectId;
  return named && UUID.test(named) && named.toLowerCase() !== callerSub ? named.toLowerCase() : undefined;
};

/**
 * The route's role gate. A signed-in caller refused here is audited (docs/privacy.md: denied attempts
 * are recorded too) by every function that has table access; the others serve no personal data. The
 * record is filed under the user the path names, or else under the caller. The chain refuses to build
 * a route with table access without `auditDenied`.
 */
export const authorizeRoute = (auditDenied?: DeniedAudit): ApiMiddleware => ({
  before: async (request) => {
    const { route, principal, requestId } = request.context.api;
    const decision = routeAllows(route.access, principal);
    if (decision === 'unauthenticated') throw unauthenticated();
    if (decision === 'forbidden') {
      if (route.data !== 'none' && auditDenied) {
        const headers = request.event.headers ?? {};
        const target = targetUserOf(
          request.event.pathParameters,
          request.event.queryStringParameters,
          principal.kind === 'user' ? principal.sub : undefined,
        );
        await auditDenied(
          {
            action: route.id,
            resourceType: target ? 'user' : 'route',
            resourceId: target ?? route.path,
            ...(target ? { subjectId: target } : {}),
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
