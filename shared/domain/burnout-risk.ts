/**
 * # Model card: burnout risk (`burnout-risk/1`)
 *
 * **What it is.** A transparent weighted score (0–100) of a person's burnout risk from their own recent
 * data, for the person themselves (and a clinician they consented to) and, aggregated, for the
 * organisation. Every number it uses is listed in the answer with its weight and the points it added.
 *
 * **What it is not.** Not a diagnosis, not a validated clinical instrument, not a prediction of sick
 * leave or of anything about a person's job. Its weights are expert choices, not fitted to outcomes.
 * It is never shown per person to managers or admins (GDPR Art. 22: no decision about a person is made
 * from it), and it never raises an alert by itself — alerts come from the safety rules of the
 * instruments (PHQ-9 item 9, severity jumps) and the analysis pipeline's risk flags.
 *
 * **Inputs** (each normalised to 0–1, higher = more risk):
 *
 * | factor                 | weight | from                                                          | normalised as            |
 * |------------------------|--------|---------------------------------------------------------------|--------------------------|
 * | `cbi_work`             | 0.35   | latest CBI work-related score (≤ 90 days old)                 | score / 100              |
 * | `cbi_personal`         | 0.15   | latest CBI personal score (≤ 90 days old)                     | score / 100              |
 * | `pss10`                | 0.15   | latest PSS-10 total (≤ 90 days old)                           | total / 40               |
 * | `who5`                 | 0.10   | latest WHO-5 percentage score (≤ 90 days old)                 | (100 − score) / 100      |
 * | `cbi_work_trend`       | 0.10   | least-squares slope of CBI work (≥ 3 responses over ≥ 14 days) | slope / 20, clamped 0–1 |
 * | `chat_negative_share`  | 0.075  | share of chat analyses with negative sentiment, last 30 days  | the share                |
 * | `voice_video_distress` | 0.075  | share of speech/video analyses whose dominant emotion is sadness, fear or anger (stress proxies), last 30 days | the share |
 *
 * A rising work-related trend of 20 points per 30 days or more counts fully; a falling one adds nothing.
 * A series too short or too brief for a slope (burnout-trend.ts, slopeBasis) has none: the trend is
 * missing, never an extrapolation of responses minutes apart.
 * An analysis signal needs at least 5 analyses in the 30 days; with fewer, or none, it is "no signal".
 *
 * **Missing inputs.** Only the CBI is required (the risk is about burnout): without a CBI response in
 * the last 90 days the level is `insufficient_data` and there is no score. Any other missing input is
 * listed in `missing` and its weight is spread proportionally over the inputs present, so `weight` in
 * each factor is the effective weight (they sum to 1) and `contribution` = weight × normalised × 100
 * (the contributions sum to the score, up to rounding).
 *
 * **Levels.** score < 50 `low`, 50–69 `moderate`, ≥ 70 `high`. With the CBI alone the levels follow
 * the CBI convention (work-related 50 = moderate); the other inputs move the score up or down from there.
 *
 * **Known limits.** The CBI bands themselves are a convention, not validated cut-offs; sentiment and
 * emotion models have their own error rates and biases (language, accent, lighting); few responses make
 * a slope noisy. Treat a level change as a reason to talk, not as a finding.
 */

export const BURNOUT_MODEL = 'burnout-risk/1';

export const BURNOUT_DISCLAIMER =
  'Advice for you, not a diagnosis. A transparent score from your own recent questionnaires and analyses; see the factors.';

export const BURNOUT_WEIGHTS = {
  cbi_work: 0.35,
  cbi_personal: 0.15,
  pss10: 0.15,
  who5: 0.1,
  cbi_work_trend: 0.1,
  chat_negative_share: 0.075,
  voice_video_distress: 0.075,
} as const;
export type BurnoutFactorName = keyof typeof BURNOUT_WEIGHTS;

/** Survey results count for this long. */
export const SURVEY_RECENCY_DAYS = 90;
/** Analysis signals are read over this window. */
export const SIGNAL_WINDOW_DAYS = 30;
/** An analysis share needs this many analyses to be a signal. */
export const MIN_ANALYSES_FOR_SIGNAL = 5;
/** Trend slope (points per 30 days) that counts fully. */
export const TREND_SATURATION = 20;

export const RISK_LEVEL_BOUNDS = { moderate: 50, high: 70 } as const;

const DAY_MS = 86_400_000;

export interface AnalysisShare {
  /** 0–1. */
  readonly share: number;
  readonly count: number;
}

export interface BurnoutRiskInputs {
  readonly now: Date;
  readonly latestCbi?: { readonly at: string; readonly work: number; readonly personal: number };
  readonly latestPss10?: { readonly at: string; readonly total: number };
  readonly latestWho5?: { readonly at: string; readonly total: number };
  /** Null when the series has no slope (burnout-trend.ts decides, with its minimums). */
  readonly cbiWorkSlopePer30Days: number | null;
  readonly chat?: AnalysisShare;
  readonly voiceVideo?: AnalysisShare;
}

export interface BurnoutRiskFactor {
  name: BurnoutFactorName;
  value: number;
  weight: number;
  contribution: number;
}

export interface BurnoutRisk {
  level: 'low' | 'moderate' | 'high' | 'insufficient_data';
  score: number | null;
  factors: BurnoutRiskFactor[];
  missing: BurnoutFactorName[];
  model: string;
  disclaimer: string;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));
const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

const recent = (at: string | undefined, now: Date, days: number): boolean =>
  at !== undefined && now.getTime() - Date.parse(at) <= days * DAY_MS;

export const riskLevelOf = (score: number): 'low' | 'moderate' | 'high' =>
  score >= RISK_LEVEL_BOUNDS.high ? 'high' : score >= RISK_LEVEL_BOUNDS.moderate ? 'moderate' : 'low';

/** The model: see the card above. Pure. */
export const burnoutRisk = (inputs: BurnoutRiskInputs): BurnoutRisk => {
  const { now } = inputs;
  const present: { name: BurnoutFactorName; value: number; normalised: number }[] = [];
  const cbi = recent(inputs.latestCbi?.at, now, SURVEY_RECENCY_DAYS) ? inputs.latestCbi : undefined;
  if (cbi) {
    present.push({ name: 'cbi_work', value: cbi.work, normalised: clamp01(cbi.work / 100) });
    present.push({ name: 'cbi_personal', value: cbi.personal, normalised: clamp01(cbi.personal / 100) });
  }
  const pss = inputs.latestPss10;
  if (pss && recent(pss.at, now, SURVEY_RECENCY_DAYS))
    present.push({ name: 'pss10', value: pss.total, normalised: clamp01(pss.total / 40) });
  const who5 = inputs.latestWho5;
  if (who5 && recent(who5.at, now, SURVEY_RECENCY_DAYS))
    present.push({ name: 'who5', value: who5.total, normalised: clamp01((100 - who5.total) / 100) });
  const slope = inputs.cbiWorkSlopePer30Days;
  if (slope !== null)
    present.push({ name: 'cbi_work_trend', value: slope, normalised: clamp01(slope / TREND_SATURATION) });
  if (inputs.chat && inputs.chat.count >= MIN_ANALYSES_FOR_SIGNAL)
    present.push({
      name: 'chat_negative_share',
      value: round(inputs.chat.share, 3),
      normalised: clamp01(inputs.chat.share),
    });
  if (inputs.voiceVideo && inputs.voiceVideo.count >= MIN_ANALYSES_FOR_SIGNAL)
    present.push({
      name: 'voice_video_distress',
      value: round(inputs.voiceVideo.share, 3),
      normalised: clamp01(inputs.voiceVideo.share),
    });

  const names = Object.keys(BURNOUT_WEIGHTS) as BurnoutFactorName[];
  const missing = names.filter((name) => !present.some((p) => p.name === name));
  const base = { model: BURNOUT_MODEL, disclaimer: BURNOUT_DISCLAIMER };
  if (!cbi) return { ...base, level: 'insufficient_data', score: null, factors: [], missing };

  const totalWeight = present.reduce((sum, p) => sum + BURNOUT_WEIGHTS[p.name], 0);
  const factors = present.map((p) => {
    const weight = BURNOUT_WEIGHTS[p.name] / totalWeight;
    return {
      name: p.name,
      value: p.value,
      weight: round(weight, 4),
      contribution: weight * p.normalised * 100,
    };
  });
  const score = round(
    factors.reduce((sum, f) => sum + f.contribution, 0),
    1,
  );
  return {
    ...base,
    level: riskLevelOf(score),
    score,
    factors: factors.map((f) => ({ ...f, contribution: round(f.contribution, 1) })),
    missing,
  };
};

/** Emotions read as distress: sadness, and fear and anger as proxies for stress (no `stress` label exists). */
export const DISTRESS_EMOTIONS = ['sadness', 'fear', 'anger'] as const;
