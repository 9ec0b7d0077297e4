/**
 * Analytics periods: a month `2026-11` or an ISO-8601 week `2026-W47` (the dashboard serves closed
 * months only: docs/anonymity.md; a user's own summary takes either), and the days the
 * aggregator also keeps (`2026-11-23`). All in UTC. Pure.
 */
export const GRANULARITIES = ['DAY', 'WEEK', 'MONTH'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface Period {
  readonly granularity: Granularity;
  /** `2026-11-23`, `2026-W48` or `2026-11`. */
  readonly key: string;
}

const DAY_MS = 86_400_000;
const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

const utcDay = (date: Date): Date =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/**
 * The ISO week of a date: weeks start on Monday and belong to the year of their Thursday, so
 * 2024-12-30 is in 2025-W01 and 2021-01-03 is in 2020-W53.
 */
export const isoWeekOf = (date: Date): string => {
  const day = utcDay(date);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const ordinal = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  return `${year}-W${pad(Math.floor((ordinal - 1) / 7) + 1)}`;
};

export const dayOf = (date: Date): string =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

export const monthOf = (date: Date): string => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;

/** The day, week and month a timestamp falls in (the rollup items one write adds to). */
export const periodsOf = (iso: string): Period[] => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error('not a timestamp');
  return [
    { granularity: 'DAY', key: dayOf(date) },
    { granularity: 'WEEK', key: isoWeekOf(date) },
    { granularity: 'MONTH', key: monthOf(date) },
  ];
};

/** Monday of an ISO week (UTC midnight). */
const mondayOf = (year: number, week: number): Date => {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayWeek1 = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(mondayWeek1 + (week - 1) * 7 * DAY_MS);
};

export const PERIOD_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2]|W(?:0[1-9]|[1-4]\d|5[0-3]))$/;

/** `2026-11` or `2026-W47`; undefined for anything else, including week 53 of a 52-week year. */
export const parsePeriod = (value: string): Period | undefined => {
  if (!PERIOD_PATTERN.test(value)) return undefined;
  const year = Number(value.slice(0, 4));
  if (value[5] !== 'W') return { granularity: 'MONTH', key: value };
  const week = Number(value.slice(6));
  return isoWeekOf(mondayOf(year, week)) === value ? { granularity: 'WEEK', key: value } : undefined;
};

/**
 * The month before a month key (`2026-01` → `2025-12`). Its own export: the dashboard serves months
 * only, and `previousPeriod` would bring the week and day arithmetic into its bundle.
 */
export const previousMonth = (month: string): Period => ({
  granularity: 'MONTH',
  key: monthOf(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1))),
});

/** The month or week before (for trends). */
export const previousPeriod = (period: Period): Period => {
  const year = Number(period.key.slice(0, 4));
  switch (period.granularity) {
    case 'MONTH':
      return previousMonth(period.key);
    case 'WEEK': {
      const monday = mondayOf(year, Number(period.key.slice(6)));
      return { granularity: 'WEEK', key: isoWeekOf(new Date(monday.getTime() - 7 * DAY_MS)) };
    }
    case 'DAY': {
      const day = new Date(`${period.key}T00:00:00Z`);
      return { granularity: 'DAY', key: dayOf(new Date(day.getTime() - DAY_MS)) };
    }
  }
};

export const currentMonth = (now: Date): Period => ({ granularity: 'MONTH', key: monthOf(now) });

/** The `days` days ending with `now`'s day, newest last (the summary's 30-day signal window). */
export const lastDays = (now: Date, days: number): Period[] =>
  Array.from({ length: days }, (_, i) => ({
    granularity: 'DAY' as const,
    key: dayOf(new Date(now.getTime() - (days - 1 - i) * DAY_MS)),
  }));
