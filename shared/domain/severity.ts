import type { RiskReason } from '#contract/risk-alert.ts';
import type { SurveyScores } from '#contract/survey.ts';
import { bandPosition } from './instruments/bands.ts';
import type { Instrument, ScoreResult, SeverityJumpRule } from './instruments/types.ts';

/** What the safety rules need of the user's previous response to the same instrument. */
export interface PreviousScores {
  readonly version: string;
  readonly scores: SurveyScores;
}

const comparedScore = (rule: SeverityJumpRule, scores: SurveyScores): number | undefined => {
  const value = rule.score === 'total' ? scores.total : scores.subscales?.[rule.score.subscale];
  return typeof value === 'number' ? value : undefined;
};

/**
 * Whether `current` is a severity jump from `previous` under the instrument's rule. Only responses of
 * the same version are compared (another version may score differently); no previous response, no jump.
 */
export const isSeverityJump = (
  instrument: Instrument,
  previous: PreviousScores | undefined,
  current: ScoreResult,
): boolean => {
  const rule = instrument.severityJump;
  if (!rule || !previous || previous.version !== instrument.version) return false;
  const before = comparedScore(rule, previous.scores);
  const now = comparedScore(rule, current.scores);
  if (before === undefined || now === undefined) return false;
  if (rule.bandSteps !== undefined && instrument.bands.length > 0) {
    const steps = bandPosition(instrument.bands, now) - bandPosition(instrument.bands, before);
    if (steps >= rule.bandSteps) return true;
  }
  return rule.increase !== undefined && now - before >= rule.increase && now >= (rule.minimum ?? -Infinity);
};

/**
 * The alert reasons of a scored response (docs/privacy.md, crisis and risk escalation): the PHQ-9 item-9
 * flag whatever the total, and a configured severity jump vs the previous response. None = no alert.
 */
export const riskReasonsOf = (
  instrument: Instrument,
  current: ScoreResult,
  previous: PreviousScores | undefined,
): RiskReason[] => {
  const reasons: RiskReason[] = [];
  if (current.flags.includes('suicidal_ideation')) reasons.push('suicidal_ideation');
  if (isSeverityJump(instrument, previous, current)) reasons.push('severity_jump');
  return reasons;
};
