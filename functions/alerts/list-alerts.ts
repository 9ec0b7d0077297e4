import { listRoute } from '#contract/routes/alerts.ts';
import { canHandleAlerts } from '#domain/access-policy.ts';
import { auditRecord, writeAuditRecords } from '#data/audit-repository.ts';
import { listAlerts } from '#data/alert-repository.ts';
import { deniedError } from '#http/access.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/**
 * Risk alerts for clinicians (the route refuses everyone else; the policy says it again). A clinician
 * never sees an alert about themselves: the other clinicians handle it (a stage needs at least two).
 * Every alert shown is a read of its user's data: one audit record per alert, filed under that user
 * (so it shows in their access log), written before the page is returned. Resolved alerts are listed
 * from their own index (GSI1 ALERTS#RESOLVED), most recently resolved first.
 */
export const handler = createApiHandler(listRoute, async (request) => {
  const { principal, query } = request;
  const decision = canHandleAlerts(principal);
  if (!decision.allowed) throw deniedError(decision);
  if (principal.kind !== 'user') throw unauthenticated();
  const scope = `alerts.list:${principal.sub}:${query.status}`;
  const page = await listAlerts({
    status: query.status,
    limit: query.limit,
    startKey: openCursor(query.cursor, scope),
    excludeUserId: principal.sub,
  });
  await writeAuditRecords(
    page.items.map((alert) =>
      auditRecord(
        {
          resourceType: 'risk_alert',
          resourceId: alert.id,
          subjectId: alert.userId,
          status: 200,
        },
        request,
      ),
    ),
  );
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
