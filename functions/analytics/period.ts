import { currentMonth, parsePeriod, previousPeriod, type Period } from '#domain/rollups-periods.ts';
import { validationFailed } from '#http/errors.ts';

/** `?period=` (default: the current month, UTC) and the one before; week 53 of a 52-week year is a 400. */
export const resolvePeriod = (value: string | undefined, now: Date): { period: Period; previous: Period } => {
  const period = value === undefined ? currentMonth(now) : parsePeriod(value);
  if (!period)
    throw validationFailed([
      { field: 'query.period', code: 'invalid_period', message: 'this year has no such ISO week' },
    ]);
  return { period, previous: previousPeriod(period) };
};
