import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { updateRoute } from '#contract/routes/alerts.ts';
import { canHandleAlerts } from '#domain/access-policy.ts';
import { systemClock } from '#domain/clock.ts';
import { secondsToAcknowledge, transitionAlert } from '#domain/risk.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { getAlert, replaceAlert, StaleAlertError } from '#data/alert-repository.ts';
import { deniedError } from '#http/access.ts';
import { conflict, notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';

const stale = () =>
  conflict('The alert was changed by someone else; read it again and retry with its version.');

/**
 * A clinician acknowledges an open alert or resolves an acknowledged one; who and when are recorded, the
 * note is optional. A stale version or a transition the status does not allow is a 409; the change and
 * its audit record are one transaction. An alert about the caller is refused as if it did not exist
 * (404): a clinician never handles their own alert, and acknowledging it would also silence the
 * overdue-alert alarm. Both 404s are audited (the own alert's under the caller, its subject).
 * Metrics: acknowledgements and the time to acknowledge.
 */
export const handler = createApiHandler(updateRoute, async (request) => {
  const { principal, body } = request;
  const decision = canHandleAlerts(principal);
  if (!decision.allowed) throw deniedError(decision);
  if (principal.kind !== 'user') throw unauthenticated();
  const alertId = request.params.alert_id;
  const alert = await getAlert(alertId);
  if (!alert || alert.userId === principal.sub) {
    await writeAudit(
      {
        resourceType: 'risk_alert',
        resourceId: alertId,
        ...(alert ? { subjectId: alert.userId } : {}),
        outcome: 'denied',
        status: 404,
        reason: alert ? 'own_alert' : 'not_found',
      },
      request,
    );
    throw notFound('The alert');
  }
  if (body.version !== alert.version) throw stale();
  const next = transitionAlert(alert, body.status, principal.sub, systemClock.now(), body.note);
  if (next === 'invalid_transition')
    throw conflict(`An alert that is ${alert.status} cannot become ${body.status}.`);
  const audit = auditRecord(
    {
      action: body.status === 'acknowledged' ? 'alerts.acknowledge' : 'alerts.resolve',
      resourceType: 'risk_alert',
      resourceId: alert.id,
      subjectId: alert.userId,
      status: 200,
    },
    request,
  );
  try {
    await replaceAlert(next, alert.version, audit);
  } catch (error) {
    if (error instanceof StaleAlertError) throw stale();
    throw error;
  }
  if (next.status === 'acknowledged') {
    metrics.addMetric('RiskAlertsAcknowledged', MetricUnit.Count, 1);
    const seconds = secondsToAcknowledge(next);
    if (seconds !== undefined) metrics.addMetric('RiskAlertTimeToAcknowledge', MetricUnit.Seconds, seconds);
  } else {
    metrics.addMetric('RiskAlertsResolved', MetricUnit.Count, 1);
  }
  return ok(next);
});
