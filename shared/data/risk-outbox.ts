/**
 * The transactional outbox of risk events: what an outbox item holds and the event it announces. No
 * client here (the CDK and the local stream poller import this module too): the Put that writes an
 * item is risk-alerts.ts's, in the transaction that stores the alert.
 */
import * as z from 'zod/mini';
import { AlertSource, RISK_REASONS, type RiskAlert, type RiskReason } from '#contract/risk-alert.ts';
import { epochSeconds } from '#domain/retention.ts';
import * as keys from './dynamodb/keys.ts';

/** EventBridge source and detail type of risk events; clinician notification rules match on them. */
export const RISK_EVENT = { source: 'mha.safety', detailType: 'RiskAlertRaised' } as const;

/** The outbox items' `entityType`: the stage's pipe (and, locally, the stream poller) picks them up. */
export const OUTBOX_ENTITY_TYPE = 'OUTBOX';

/**
 * How long an outbox item stays after it was written. The stream delivers it within seconds; the item
 * only has to outlive the stream's 24 hours of retention, so a replay from the stream still finds what
 * it announces. DynamoDB's TTL then deletes it (that REMOVE is filtered out like every other record).
 */
export const OUTBOX_TTL_SECONDS = 2 * 86_400;

/**
 * The risk event's detail: ids and reasons only, never the answers or text that raised the alert.
 * Clinician notification rules and the bus archive see exactly this.
 */
export interface RiskEventDetail {
  readonly alertId: string;
  readonly userId: string;
  readonly reasons: readonly RiskReason[];
  readonly source: RiskAlert['source'];
  readonly createdAt: string;
}

/**
 * The outbox item of a new alert, written in the same transaction as the alert (risk-alerts.ts): the
 * event is published exactly when the alert exists, and no function needs an EventBridge client. Flat
 * scalar attributes (and the reasons as a string set) so that the pipe's input template can rebuild the
 * detail from the stream record's image (lib/constructs/risk-outbox.ts) the way {@link riskEventOf}
 * does from the item.
 */
export const riskOutboxItem = (alert: RiskAlert, now: Date) => ({
  ...keys.riskOutbox(alert.id),
  entityType: OUTBOX_ENTITY_TYPE,
  alertId: alert.id,
  userId: alert.userId,
  reasons: new Set<string>(alert.reasons),
  sourceType: alert.source.type,
  sourceId: alert.source.id,
  createdAt: alert.createdAt,
  expiresAt: epochSeconds(now) + OUTBOX_TTL_SECONDS,
});

/** Whether a stored item (unmarshalled) is an outbox item. */
export const isOutboxItem = (item: Readonly<Record<string, unknown>> | undefined): boolean =>
  item?.entityType === OUTBOX_ENTITY_TYPE;

/** An outbox item as stored (the reasons a string set, unmarshalled to a Set; the source flat). */
const OutboxItem = /* @__PURE__ */ z.lazy(() =>
  z.object({
    alertId: z.string(),
    userId: z.string(),
    reasons: z.array(z.enum(RISK_REASONS)).check(z.minLength(1)),
    source: AlertSource,
    createdAt: z.string(),
  }),
);

/**
 * The event an outbox item announces (what the pipe sends to the stage's bus): parsed, so an item that
 * does not hold an alert's ids and known reasons throws instead of announcing a half-read alert.
 */
export const riskEventOf = (item: Readonly<Record<string, unknown>>) => {
  const reasons = item.reasons instanceof Set ? [...item.reasons] : item.reasons;
  const source = { type: item.sourceType, id: item.sourceId };
  const outbox = OutboxItem.parse({ ...item, reasons, source });
  return {
    ...RISK_EVENT,
    detail: {
      alertId: outbox.alertId,
      userId: outbox.userId,
      reasons: [...outbox.reasons].sort(),
      source: outbox.source,
      createdAt: outbox.createdAt,
    } satisfies RiskEventDetail,
  };
};
