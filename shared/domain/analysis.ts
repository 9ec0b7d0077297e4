import { createHash } from 'node:crypto';
import type { Analysis, AnalysisInput, AnalysisType } from '#contract/analysis.ts';
import type { RiskAlert } from '#contract/risk-alert.ts';
import { openAlert, reasonsFromFlags } from './risk.ts';
import { isoOfEpoch, rawTextRetention, type RawTextPolicy } from './retention.ts';

/**
 * A UUID (RFC 9562 version 8, name-based on SHA-256) derived from a name. Writes made under an
 * Idempotency-Key take their ids from (caller, key, item index): a retry that re-runs after a crash
 * produces the same keys, so the conditional put finds the first write instead of storing a duplicate.
 */
export const nameBasedUuid = (name: string): string => {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

/** What is stored for one analysis: the record (API shape + storage-only fields) and its alert, if any. */
export interface PlannedAnalysis {
  /** The stored record in API shape; `expiresAt` there is ISO, the item carries epoch seconds. */
  analysis: Analysis;
  /** TTL attribute (epoch seconds) when the record carries raw text. */
  expiresAtEpoch: number | undefined;
  alert: RiskAlert | undefined;
}

/**
 * Builds the record of an analysis: analyzedAt normalised to UTC (it orders the user's analyses), the
 * transcription kept or dropped by the stage's raw-text rule (an analysis that keeps one expires with
 * it), and an open alert when the flags call for one.
 */
export const planAnalysis = (input: {
  type: AnalysisType;
  body: AnalysisInput;
  userId: string;
  id: string;
  alertId: string;
  now: Date;
  rawText: RawTextPolicy;
}): PlannedAnalysis => {
  const {
    userId: _named,
    transcription,
    riskFlags = [],
    ...fields
  } = input.body as AnalysisInput & {
    transcription?: string;
  };
  const createdAt = input.now.toISOString();
  const reasons = reasonsFromFlags(riskFlags);
  const retention = transcription === undefined ? undefined : rawTextRetention(input.rawText, input.now);
  const expiresAtEpoch = retention?.stored ? retention.expiresAt : undefined;
  const alert =
    reasons.length > 0
      ? openAlert({
          id: input.alertId,
          userId: input.userId,
          source: { type: `${input.type}_analysis`, id: input.id },
          reasons,
          now: input.now,
        })
      : undefined;
  return {
    analysis: {
      id: input.id,
      type: input.type,
      userId: input.userId,
      ...fields,
      analyzedAt: new Date(input.body.analyzedAt).toISOString(),
      riskFlags: [...riskFlags],
      ...(retention ? { transcriptionStored: retention.stored } : {}),
      ...(retention?.stored && transcription !== undefined ? { transcription } : {}),
      ...(expiresAtEpoch !== undefined ? { expiresAt: isoOfEpoch(expiresAtEpoch) } : {}),
      alertRaised: alert !== undefined,
      createdAt,
    } as Analysis,
    expiresAtEpoch,
    alert,
  };
};
