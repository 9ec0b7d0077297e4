import { runtimeEnv } from '#contract/runtime-env.ts';
import { isMonthClosed, latestClosedMonth, monthClosesAt } from '#domain/reporting-window.ts';
import {
  currentMonth,
  parsePeriod,
  previousMonth,
  previousPeriod,
  type Period,
} from '#domain/rollups-periods.ts';
import { validationFailed } from '#http/errors.ts';

/**
 * The user summary's `?period=` (default: the current month, UTC) and the one before: the user's own
 * data, any month or ISO week, open ones included. Week 53 of a 52-week year is a 400.
 */
export const resolvePeriod = (value: string | undefined, now: Date): { period: Period; previous: Period } => {
  const period = value === undefined ? currentMonth(now) : parsePeriod(value);
  if (!period)
    throw validationFailed([
      { field: 'query.period', code: 'invalid_period', message: 'this year has no such ISO week' },
    ]);
  return { period, previous: previousPeriod(period) };
};

/**
 * The dashboard's `?period=`: a calendar month that is closed (docs/anonymity.md: no live period to
 * difference); by default the latest closed one. An open month is a 400 naming the first instant it
 * will be served. (Weeks never get here: the query schema refuses them, saying why.)
 */
export const resolveDashboardMonth = (
  value: string | undefined,
  now: Date,
): { period: Period; previous: Period } => {
  const window = runtimeEnv().analysisTimeWindow;
  const key = value ?? latestClosedMonth(now, window);
  if (!isMonthClosed(key, now, window))
    throw validationFailed([
      {
        field: 'query.period',
        code: 'period_not_closed',
        message: `${key} is not closed yet: it is served from ${monthClosesAt(key, window).toISOString()} (the month's end, the ${window.pastHours} h an analysis may be back-dated, and an hour for the stream), so no one can compare two reads around a single submission`,
      },
    ]);
  return { period: { granularity: 'MONTH', key }, previous: previousMonth(key) };
};
