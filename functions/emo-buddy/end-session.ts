import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { endSessionRoute } from '#contract/routes/emo-buddy.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { rawTextPolicyOf, rawTextRetention } from '#domain/retention.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { endSession } from '#data/emo-buddy-repository.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';
import { sessionFailure } from './session-errors.ts';

const rawText = rawTextPolicyOf(runtimeEnv());

/**
 * Ends my session: duration and message count stored, the optional summary (raw text: kept only where
 * the stage stores raw text, hidden from reads once expired) and mood after; 409 if already ended.
 */
export const handler = createApiHandler(endSessionRoute, async (request) => {
  const { principal, params } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const now = systemClock.now();
  const retention = rawTextRetention(rawText, now);
  try {
    const session = await endSession({
      sub: principal.sub,
      sessionId: params.session_uuid,
      body: request.body ?? {},
      summaryExpiresAt: retention.stored ? retention.expiresAt : undefined,
      now,
      audit: () =>
        auditRecord(
          {
            resourceType: 'emo_session',
            resourceId: params.session_uuid,
            subjectId: principal.sub,
            status: 200,
          },
          request,
        ),
    });
    metrics.addMetric('EmoBuddySessionsEnded', MetricUnit.Count, 1);
    return ok(session);
  } catch (error) {
    throw await sessionFailure(error, request, 'emo-buddy.endSession', params.session_uuid);
  }
});
