import { randomBytes } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { startSessionRoute } from '#contract/routes/emo-buddy.ts';
import { systemClock } from '#domain/clock.ts';
import { newSessionId } from '#domain/emo-buddy.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { startSession } from '#data/emo-buddy-repository.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, created, ok } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';
import { sessionApiError } from './session-errors.ts';

/** My active session (200), or a new one (201): one active session per user, even under a race. */
export const handler = createApiHandler(startSessionRoute, async (request) => {
  const { principal } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const now = systemClock.now();
  try {
    const { created: isNew, session } = await startSession({
      sub: principal.sub,
      now,
      newId: () => newSessionId(now, randomBytes(10)),
      audit: (sessionId) =>
        auditRecord(
          {
            resourceType: 'emo_session',
            resourceId: sessionId,
            subjectId: principal.sub,
            status: 201,
          },
          request,
        ),
    });
    if (!isNew) return ok(session);
    metrics.addMetric('EmoBuddySessionsStarted', MetricUnit.Count, 1);
    return created(session);
  } catch (error) {
    throw sessionApiError(error);
  }
});
