import type { ErrorDetail } from '#contract/common.ts';

export const MAX_AUDIT_DAYS = 31;

/** ISO-8601 with any offset → UTC `Z` form, which is how every stored timestamp sorts. */
export const toUtcIso = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();
const DAY_MS = 86_400_000;

/**
 * The UTC days from `to` back to `from` (newest first), for searches across subjects. Without bounds:
 * the last 7 days. A range longer than MAX_AUDIT_DAYS, or reversed, is a problem naming the field.
 */
export const auditDays = (
  from: string | undefined,
  to: string | undefined,
  now: Date,
): { days: string[]; from: string; to: string } | { problems: ErrorDetail[] } => {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - 7 * DAY_MS);
  if (start > end)
    return { problems: [{ field: 'query.from', code: 'after_to', message: 'must not be after `to`' }] };
  const startDay = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const days: string[] = [];
  for (
    let day = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
    day >= startDay;
    day -= DAY_MS
  ) {
    days.push(new Date(day).toISOString().slice(0, 10));
    if (days.length > MAX_AUDIT_DAYS) {
      return {
        problems: [
          {
            field: 'query.from',
            code: 'range_too_long',
            message: `a search without subjectId spans at most ${MAX_AUDIT_DAYS} days`,
          },
        ],
      };
    }
  }
  return { days, from: start.toISOString(), to: end.toISOString() };
};
