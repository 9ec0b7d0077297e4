import type { ErrorDetail } from '#contract/common.ts';
import type { InstrumentId, SurveyScores } from '#contract/survey.ts';

/** A scale of integer answers (what each value means is the instrument's text: `InstrumentText`). */
export interface AnswerScale {
  readonly min: number;
  readonly max: number;
}

export interface InstrumentItem {
  readonly id: string;
  /** Scored as (max − x): PSS-10 items 4, 5, 7, 8; the CBI leisure-energy item. */
  readonly reverseScored?: true;
  /** Recorded but not part of any score (PHQ-9 item 10). */
  readonly scored?: false;
  /** May be left out (PHQ-9 item 10; the CBI client-related block as a whole). */
  readonly optional?: true;
  readonly subscale?: string;
  /** The item's own scale, where it differs from the instrument's. */
  readonly scale?: AnswerScale;
}

/** A band: `min` ≤ score < the next band's `min`. Bands are listed in ascending order. */
export interface BandDefinition {
  readonly id: string;
  readonly min: number;
}

export interface ScoreResult {
  readonly scores: SurveyScores;
  readonly band: string | null;
  readonly flags: readonly string[];
  /** CBI: the band of each subscale. */
  readonly subscaleBands?: Readonly<Record<string, string>>;
}

/** A problem with one answer: `body.answers.<itemId>`, a code, and what is expected. */
export type AnswerProblem = ErrorDetail;

/**
 * The change vs the user's previous response to the same instrument (same version) that raises a risk
 * alert: the banded score rising by `bandSteps` bands or more, or by `increase` points or more while
 * landing at `minimum` or above. `score` names the compared score: the total, or a subscale.
 */
export interface SeverityJumpRule {
  readonly score: 'total' | { readonly subscale: string };
  readonly bandSteps?: number;
  readonly increase?: number;
  readonly minimum?: number;
}

/**
 * What scoring an instrument needs: its items, scales, bands and rules. Its words (labels, anchors,
 * licence) are its `InstrumentText`, which only the catalogue reads, so that the submission's bundle
 * carries the scoring alone.
 */
export interface Instrument {
  readonly id: InstrumentId;
  readonly version: string;
  readonly items: readonly InstrumentItem[];
  /** The answer scale of the items (null for `custom`, whose items are free-form). */
  readonly scale: AnswerScale | null;
  readonly bands: readonly BandDefinition[];
  readonly severityJump?: SeverityJumpRule;
  /** Problems beyond the per-item checks (e.g. the CBI client block answered only in part). */
  readonly checkAnswers?: (answers: Readonly<Record<string, unknown>>) => AnswerProblem[];
  /** Scores answers that passed the checks (every required item present, integers in range). */
  readonly score: (answers: Readonly<Record<string, number>>) => ScoreResult;
}

/** How the catalogue (GET /surveys/instruments) describes an instrument, beside its scoring. */
export interface InstrumentText {
  readonly name: string;
  readonly measures: string;
  readonly period: string | null;
  /** Our own short label of each item (never the official item text), by item id. */
  readonly labels: Readonly<Record<string, string>>;
  /** What each answer of the instrument's scale means: `anchors[i]` for `min + i`. */
  readonly anchors: readonly string[] | null;
  /** The anchors of an item's own scale, where it has one (by item id). */
  readonly itemAnchors?: Readonly<Record<string, readonly string[]>>;
  readonly scoring: { readonly method: string; readonly range: { min: number; max: number } | null };
  readonly flags: readonly { readonly id: string; readonly rule: string }[];
  /** The severity-jump rule in words (instruments with one). */
  readonly severityJump?: string;
  readonly licence: {
    readonly note: string;
    readonly commercialUseAllowed: boolean;
    readonly citation: string;
  };
}
