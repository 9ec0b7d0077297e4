import { ANALYSIS_TYPES, EMOTION_LABELS } from '#contract/analysis.ts';
import * as category from './rollup-categories.ts';
import * as counter from './rollup-counters.ts';
import {
  bandsOf,
  SCORED_INSTRUMENTS,
  SENTIMENT_LABELS,
  type ContributorCategory,
  type Counters,
} from './rollups.ts';

/**
 * # The statistics the dashboard publishes, and how they are linked (pure)
 *
 * Every number of a dashboard cell (docs/anonymity.md lists them) belongs to one statistic. A statistic
 * has its own population — a contributor category of the rollups, counted exactly per cell — and its
 * threshold class: k for activity, sentiment and emotions, the clinical k for instruments and their
 * bands. It is shown only when its own population reaches its k, and then all its values together
 * (an emotion's count and the sum behind its mean; an instrument's responses and the sum behind its
 * mean score). Derived numbers (shares, means, trends) are computed only from shown values.
 *
 * Published numbers are linked by linear relations, which an insider can combine:
 * - across siblings: the organisation's value = Σ departments' + the never-shown cell of users without
 *   a department, for every value;
 * - within a cell ({@link CELL_RELATIONS}): analyses = positive + negative + neutral; an instrument's
 *   responses = Σ its bands (band counts are published organisation-wide only, see `publishedIn`).
 * Suppression and its audit (shared/domain/anonymity.ts) work on exactly these.
 *
 * Trimmed on purpose — each would add a relation tying statistics together (so one small value would
 * take others down with it) or a per-person usage intensity, for little worth on a wellbeing dashboard:
 * the item count, analyses per type (chat/speech/video), the count of survey responses across
 * instruments (it would tie the clinical statistics to the activity ones), custom surveys, EmoBuddy
 * message and end counts (they also change after the month), and contributor counts of single
 * statistics (only the cell's is shown). The rollups keep what they need for the user's own summary.
 */
export type ThresholdClass = 'activity' | 'clinical';

export interface StatisticValue {
  /** Unique over all statistics: `emotion.joy.count`, `instrument.phq9.sum`. */
  readonly id: string;
  readonly read: (counters: Counters | undefined) => number;
}

export interface Statistic {
  readonly id: string;
  /** Its population: the contributor category whose distinct count decides whether it is shown. */
  readonly category: ContributorCategory;
  readonly threshold: ThresholdClass;
  readonly values: readonly StatisticValue[];
  /**
   * Where it is published: in every cell, or in the organisation's only (band counts: per department
   * they would hide the department's mean score whenever one band is small; the departments' band counts
   * stay in the model as never-shown values, protected like any other).
   */
  readonly publishedIn: 'every cell' | 'organisation';
}

/** A counter's value; an absent counter (or cell) counts 0. */
export const valueOf = (counters: Counters | undefined, name: string): number => counters?.[name] ?? 0;
const sumOf = (counters: Counters | undefined, names: readonly string[]): number =>
  names.reduce((total, name) => total + valueOf(counters, name), 0);

const single = (id: string, name: string): StatisticValue => ({ id, read: (c) => valueOf(c, name) });
const summed = (id: string, names: readonly string[]): StatisticValue => ({
  id,
  read: (c) => sumOf(c, names),
});

export const STATISTICS: readonly Statistic[] = [
  {
    id: 'contributors',
    category: category.all,
    threshold: 'activity',
    values: [single('contributors', counter.contributors(category.all))],
    publishedIn: 'every cell',
  },
  {
    id: 'analyses',
    category: category.analyses,
    threshold: 'activity',
    values: [
      summed(
        'analyses',
        ANALYSIS_TYPES.map((type) => counter.analyses(type)),
      ),
    ],
    publishedIn: 'every cell',
  },
  ...SENTIMENT_LABELS.map((label): Statistic => ({
    id: `sentiment.${label}`,
    category: category.sentiment(label),
    threshold: 'activity',
    values: [
      summed(
        `sentiment.${label}`,
        ANALYSIS_TYPES.map((type) => counter.sentiment(type, label)),
      ),
    ],
    publishedIn: 'every cell',
  })),
  ...EMOTION_LABELS.map((label): Statistic => ({
    id: `emotion.${label}`,
    category: category.emotion(label),
    threshold: 'activity',
    values: [
      single(`emotion.${label}.count`, counter.emotionCount(label)),
      single(`emotion.${label}.sum`, counter.emotionMicros(label)),
    ],
    publishedIn: 'every cell',
  })),
  {
    id: 'emoBuddy.sessions',
    category: category.emoBuddy,
    threshold: 'activity',
    values: [single('emoBuddy.sessions', counter.emoSessions)],
    publishedIn: 'every cell',
  },
  ...SCORED_INSTRUMENTS.map((id): Statistic => ({
    id: `instrument.${id}`,
    category: category.instrument(id),
    threshold: 'clinical',
    values: [
      single(`instrument.${id}.responses`, counter.surveys(id)),
      single(`instrument.${id}.sum`, counter.scoreMilli(id)),
    ],
    publishedIn: 'every cell',
  })),
  ...SCORED_INSTRUMENTS.flatMap((id) =>
    bandsOf(id).map((band): Statistic => ({
      id: `band.${id}.${band}`,
      category: category.band(id, band),
      threshold: 'clinical',
      values: [single(`band.${id}.${band}`, counter.band(id, band))],
      publishedIn: 'organisation',
    })),
  ),
];

/** A linear relation within one cell: `total` = Σ `parts` (value ids). */
export interface CellRelation {
  readonly total: string;
  readonly parts: readonly string[];
}

export const CELL_RELATIONS: readonly CellRelation[] = [
  { total: 'analyses', parts: SENTIMENT_LABELS.map((label) => `sentiment.${label}`) },
  ...SCORED_INSTRUMENTS.map((id) => ({
    total: `instrument.${id}.responses`,
    parts: bandsOf(id).map((band) => `band.${id}.${band}`),
  })),
];

export const statisticById: ReadonlyMap<string, Statistic> = new Map(STATISTICS.map((s) => [s.id, s]));

/** A statistic's distinct contributors in a cell. */
export const contributorsOf = (counters: Counters | undefined, statistic: Statistic): number =>
  valueOf(counters, counter.contributors(statistic.category));
