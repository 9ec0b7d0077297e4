import type { RiskAlert, RiskReason } from '#contract/risk-alert.ts';

/** Risk flags a pipeline or EmoBuddy may set on an analysis or a message. */
export const RISK_FLAGS = ['crisis', 'self_harm'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** The alert reasons a set of flags raises; none means no alert. */
export const reasonsFromFlags = (flags: readonly string[] | undefined): RiskReason[] =>
  RISK_FLAGS.filter((flag) => flags?.includes(flag));

/** A new open alert for a user's signal. */
export const openAlert = (input: {
  id: string;
  userId: string;
  source: RiskAlert['source'];
  reasons: RiskReason[];
  now: Date;
}): RiskAlert => ({
  id: input.id,
  userId: input.userId,
  source: input.source,
  reasons: input.reasons,
  status: 'open',
  createdAt: input.now.toISOString(),
  updatedAt: input.now.toISOString(),
  version: 1,
});

/** What a clinician may do to an alert: acknowledge an open one, resolve an acknowledged one. */
export const ALERT_TRANSITIONS = { acknowledged: 'open', resolved: 'acknowledged' } as const;
export type AlertTransition = keyof typeof ALERT_TRANSITIONS;

/**
 * The alert after a clinician's transition, with who and when; `invalid_transition` when the alert is
 * not in the state the transition starts from (acknowledging twice, resolving an open alert, touching a
 * resolved one).
 */
export const transitionAlert = (
  alert: RiskAlert,
  to: AlertTransition,
  actorId: string,
  now: Date,
  note?: string,
): RiskAlert | 'invalid_transition' => {
  if (alert.status !== ALERT_TRANSITIONS[to]) return 'invalid_transition';
  const at = now.toISOString();
  return {
    ...alert,
    status: to,
    ...(to === 'acknowledged' ? { acknowledgedAt: at, acknowledgedBy: actorId } : {}),
    ...(to === 'resolved' ? { resolvedAt: at, resolvedBy: actorId } : {}),
    ...(note !== undefined ? { note } : {}),
    updatedAt: at,
    version: alert.version + 1,
  };
};

/** Seconds from an alert's creation to its acknowledgement (the TimeToAcknowledge metric). */
export const secondsToAcknowledge = (alert: RiskAlert): number | undefined =>
  alert.acknowledgedAt === undefined
    ? undefined
    : Math.max(0, (Date.parse(alert.acknowledgedAt) - Date.parse(alert.createdAt)) / 1000);
