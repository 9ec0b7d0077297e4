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
