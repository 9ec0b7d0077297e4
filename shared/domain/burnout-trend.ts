import { CBI_BANDS } from './instruments/cut-offs.ts';
import { bandOf } from './instruments/bands.ts';

/** One CBI response on the burnout series. */
export interface BurnoutObservation {
  readonly responseId: string;
  /** ISO-8601 UTC submission time. */
  readonly at: string;
  readonly work: number;
  readonly personal: number;
  readonly client?: number;
}

const DAY_MS = 86_400_000;
/** The slope is reported in points per this many days. */
export const TREND_PERIOD_DAYS = 30;
/** A work-related change of at least this many points vs the previous response is flagged. */
export const CHANGE_THRESHOLD = 10;

/**
 * When a series has a slope at all. A least-squares line through responses a few seconds apart turns
 * any change of score into an absurd rate (5 points in 3 seconds is 4 million points per 30 days), so:
 *
 * - at least 3 responses: with 2 the "slope" is only the change between them, which `change` already
 *   reports, and one unusual answer would be the whole trend;
 * - spanning at least 14 days: a rate per 30 days from a shorter span more than doubles whatever moved
 *   in it, and the CBI asks how one has felt in general, not today, so responses days apart mostly
 *   repeat each other. With 14 days the steepest line the 0–100 scale allows is bounded (see
 *   MAX_SLOPE_PER_30_DAYS), and below it the trend says `insufficient_data` with the reason.
 */
export const MIN_RESPONSES_FOR_SLOPE = 3;
export const MIN_SPAN_DAYS_FOR_SLOPE = 14;

/** CBI scores run from 0 to 100. */
const SCORE_RANGE = 100;
/**
 * The steepest least-squares slope scores within a range R can have over a span S is
 * R · (1 + √2) / (2S) (approached by one low point at the start, one high at the end and many high ones
 * S/√2 after the start): the bound
 * of any slope this module reports, per 30 days.
 */
export const MAX_SLOPE_PER_30_DAYS =
  ((SCORE_RANGE * (1 + Math.SQRT2)) / (2 * MIN_SPAN_DAYS_FOR_SLOPE)) * TREND_PERIOD_DAYS;

/** Whether a series is long enough for a slope, and why not when it is not. */
export interface SlopeBasis {
  status: 'ok' | 'insufficient_data';
  responses: number;
  /** Days between the first and the last response of the series. */
  spanDays: number;
  /** Why there is no slope (null with `ok`). */
  reason: string | null;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Ordinary least-squares slope of y over x; null with fewer than two points or when every x is the
 * same (no time elapsed, no slope).
 */
export const leastSquaresSlope = (points: readonly { x: number; y: number }[]): number | null => {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  return sxx === 0 ? null : sxy / sxx;
};

/** Whether the series (oldest first) has enough responses over enough time for a slope. */
export const slopeBasis = (series: readonly BurnoutObservation[]): SlopeBasis => {
  const first = series[0];
  const last = series.at(-1);
  const spanMs = first && last ? Date.parse(last.at) - Date.parse(first.at) : 0;
  const spanDays = round2(spanMs / DAY_MS);
  const responses = series.length;
  const sufficient = responses >= MIN_RESPONSES_FOR_SLOPE && spanMs >= MIN_SPAN_DAYS_FOR_SLOPE * DAY_MS;
  return {
    status: sufficient ? 'ok' : 'insufficient_data',
    responses,
    spanDays,
    reason: sufficient
      ? null
      : `a slope needs at least ${MIN_RESPONSES_FOR_SLOPE} responses spanning at least ${MIN_SPAN_DAYS_FOR_SLOPE} days; ` +
        `this series has ${responses} over ${spanDays} days`,
  };
};

/**
 * Slope of one score of the series in points per 30 days (time in days since the first response);
 * null when the series is too short or too brief for one (slopeBasis).
 */
export const slopePer30Days = (
  series: readonly BurnoutObservation[],
  score: (observation: BurnoutObservation) => number,
): number | null => {
  const first = series[0];
  if (!first || slopeBasis(series).status !== 'ok') return null;
  const origin = Date.parse(first.at);
  const slopePerDay = leastSquaresSlope(
    series.map((o) => ({ x: (Date.parse(o.at) - origin) / DAY_MS, y: score(o) })),
  );
  return slopePerDay === null ? null : round2(slopePerDay * TREND_PERIOD_DAYS);
};

export interface BurnoutTrendSummary {
  slopePer30Days: { work: number | null; personal: number | null };
  slopeBasis: SlopeBasis;
  latest: { at: string; work: number; personal: number; band: string } | null;
  change: { work: number | null; flagged: boolean };
}

/** The trend of a series ordered oldest first: slopes, the latest band, and the change flag. */
export const burnoutTrend = (series: readonly BurnoutObservation[]): BurnoutTrendSummary => {
  const latest = series.at(-1);
  const previous = series.at(-2);
  const change = latest && previous ? round2(latest.work - previous.work) : null;
  return {
    slopePer30Days: {
      work: slopePer30Days(series, (o) => o.work),
      personal: slopePer30Days(series, (o) => o.personal),
    },
    slopeBasis: slopeBasis(series),
    latest: latest
      ? { at: latest.at, work: latest.work, personal: latest.personal, band: bandOf(CBI_BANDS, latest.work) }
      : null,
    change: { work: change, flagged: change !== null && Math.abs(change) >= CHANGE_THRESHOLD },
  };
};
