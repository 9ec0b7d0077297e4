import type { AnalysisTimeWindow } from '#contract/analysis-window.ts';
import type { ErrorDetail } from '#contract/common.ts';

/**
 * Time rules of the analytics (docs/anonymity.md, "Periods"): how far an analysis' own timestamp may
 * lie from the moment the API receives it, and — from the same window — when a month is closed, i.e.
 * when no new item can fall into it any more and its department and organisation aggregates may be
 * served. Pure.
 *
 * Why both belong together: survey responses and EmoBuddy sessions are stamped by the server, but an
 * analysis carries the pipeline's `analyzedAt`. Were it free, a pipeline could place a datum into a
 * month that is already on show and difference two reads around it. Bounded, a month's contents are
 * final once its last day plus the back-dating window (plus a margin for the stream) have passed. The
 * window's shape, default and bounds are a setting: shared/contract/analysis-window.ts.
 */

/**
 * Added to a month's close for the stream: an item received at the very end of the back-dating window
 * reaches the rollups seconds later. (Anything applied after the close anyway marks the cell revised:
 * the margin only saves cells, it is not what keeps them safe.)
 */
export const STREAM_MARGIN_MS = 60 * 60_000;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const describeWindow = (window: AnalysisTimeWindow): string =>
  `at most ${window.pastHours} h before and ${window.futureMinutes} min after the time it is received`;

/**
 * The problem with an `analyzedAt`, if any: outside [receivedAt − pastHours, receivedAt + futureMinutes].
 * `field` names it in the 400 (`body.analyzedAt`, `body.items.3.analyzedAt`).
 */
export const analyzedAtProblem = (
  analyzedAt: string,
  receivedAt: Date,
  window: AnalysisTimeWindow,
  field: string,
): ErrorDetail | undefined => {
  const at = Date.parse(analyzedAt);
  if (Number.isNaN(at)) return undefined; // the schema reports an unreadable timestamp
  const earliest = receivedAt.getTime() - window.pastHours * HOUR_MS;
  const latest = receivedAt.getTime() + window.futureMinutes * MINUTE_MS;
  if (at >= earliest && at <= latest) return undefined;
  return {
    field,
    code: at < earliest ? 'too_old' : 'in_the_future',
    message: `must be ${describeWindow(window)} (${new Date(earliest).toISOString()} – ${new Date(latest).toISOString()})`,
  };
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first instant after the month `2026-11` (UTC). */
export const monthEnd = (month: string): Date => {
  const match = MONTH.exec(month);
  if (!match) throw new Error('not a month');
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
};

/** The first instant the month's aggregates may be served: its end, the back-dating window, the margin. */
export const monthClosesAt = (month: string, window: AnalysisTimeWindow): Date =>
  new Date(monthEnd(month).getTime() + window.pastHours * HOUR_MS + STREAM_MARGIN_MS);

export const isMonthClosed = (month: string, now: Date, window: AnalysisTimeWindow): boolean =>
  now.getTime() >= monthClosesAt(month, window).getTime();

const monthKey = (year: number, monthIndex: number): string => {
  const date = new Date(Date.UTC(year, monthIndex, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** The newest closed month at `now` (the window is at most a week, so one or two months back). */
export const latestClosedMonth = (now: Date, window: AnalysisTimeWindow): string => {
  for (let back = 1; ; back++) {
    const candidate = monthKey(now.getUTCFullYear(), now.getUTCMonth() - back);
    if (isMonthClosed(candidate, now, window)) return candidate;
  }
};
