import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { postMessageRoute } from '#contract/routes/emo-buddy.ts';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { rawTextPolicyOf, rawTextRetention } from '#domain/retention.ts';
import { openAlert, reasonsFromFlags } from '#domain/risk.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { appendMessage } from '#data/emo-buddy-repository.ts';
import { alertTransactItems, recordRiskAlertsRaised } from '#data/risk-alerts.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, created } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';
import { sessionFailure } from './session-errors.ts';

const rawText = rawTextPolicyOf(runtimeEnv());

/**
 * A message in my active session, numbered in order. Its text is kept only where the stage stores raw
 * text, and expires with the stage's period; crisis/self-harm flags raise a risk alert in the same
 * transaction, and the answer then carries the stage's crisis resources. Another user's session, or none, is 404; an ended one 409.
 */
export const handler = createApiHandler(postMessageRoute, async (request) => {
  const { principal, params, body } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  // Read before anything is written: a function deployed without its stage's crisis resources fails
  // loudly instead of storing an alert it cannot answer with resources.
  const crisisResources = requireSetting('crisisResources');
  const now = systemClock.now();
  const id = randomUUID();
  const retention = rawTextRetention(rawText, now);
  const reasons = reasonsFromFlags(body.riskFlags);
  try {
    const { message, alert } = await appendMessage({
      sub: principal.sub,
      sessionId: params.session_uuid,
      now,
      message: {
        id,
        role: body.role,
        ...(retention.stored ? { content: body.content, expiresAt: retention.expiresAt } : {}),
        ...(body.detectedEmotion ? { detectedEmotion: body.detectedEmotion } : {}),
        riskFlags: [...(body.riskFlags ?? [])],
      },
      alert:
        reasons.length > 0
          ? () =>
              openAlert({
                id: randomUUID(),
                userId: principal.sub,
                source: { type: 'emo_buddy_message', id },
                reasons,
                now,
              })
          : undefined,
      alertItems: (alert) => alertTransactItems(alert, request, systemClock),
      audit: () =>
        auditRecord(
          {
            resourceType: 'emo_message',
            resourceId: id,
            subjectId: principal.sub,
            status: 201,
          },
          request,
        ),
    });
    metrics.addMetric('EmoBuddyMessages', MetricUnit.Count, 1);
    if (alert) recordRiskAlertsRaised([alert]);
    // The person writing to EmoBuddy gets the stage's crisis resources with a message that raised an alert.
    return created(alert ? { ...message, crisisResources } : message);
  } catch (error) {
    throw await sessionFailure(error, request, 'emo-buddy.postMessage', params.session_uuid);
  }
});
