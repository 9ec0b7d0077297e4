import { CBI_BANDS } from './instruments/cbi.ts';
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

/** Slope of one score of the series in points per 30 days (time in days since the first response). */
export const slopePer30Days = (
  series: readonly BurnoutObservation[],
  score: (observation: BurnoutObservation) => number,
): number | null => {
  const first = series[0];
  if (!first) return null;
  const origin = Date.parse(first.at);
  const slopePerDay = leastSquaresSlope(
    series.map((o) => ({ x: (Date.parse(o.at) - origin) / DAY_MS, y: score(o) })),
  );
  return slopePerDay === null ? null : round2(slopePerDay * TREND_PERIOD_DAYS);
};

export interface BurnoutTrendSummary {
  slopePer30Days: { work: number | null; personal: number | null };
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
    latest: latest
      ? { at: latest.at, work: latest.work, personal: latest.personal, band: bandOf(CBI_BANDS, latest.work) }
      : null,
    change: { work: change, flagged: change !== null && Math.abs(change) >= CHANGE_THRESHOLD },
  };
};
