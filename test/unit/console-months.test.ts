import { describe, expect, it } from 'vitest';
import { latestClosedMonth } from '#domain/reporting-window.ts';
import { pickableMonths } from '../../web/src/pages/months.ts';

/**
 * The dashboard's month picker: the API answers its latest closed month (on its own clock and the
 * stage's back-dating window), and the console offers that month and the eleven before it. Together,
 * on a fixed clock: never the open month, never a future one, and on the first days of a month (before
 * the previous one closed) the default is the month before that.
 */
const window = { pastHours: 48, futureMinutes: 5 };
const offeredAt = (now: string) => pickableMonths(latestClosedMonth(new Date(now), window));

describe('the dashboard’s months', () => {
  it('mid-month: the previous month first (the default), then the eleven before it', () => {
    const months = offeredAt('2026-12-15T10:00:00Z');
    expect(months[0]).toBe('2026-11');
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toBe('2025-12');
    expect(months.every((month) => month < '2026-12')).toBe(true);
  });

  it('on the first days of a month, before the previous month closed: the one before (the last closed)', () => {
    // November closes on 3 December at 01:00 (its end, 48 h of back-dating, an hour for the stream).
    expect(offeredAt('2026-12-01T00:00:00Z')[0]).toBe('2026-10');
    expect(offeredAt('2026-12-03T00:59:59Z')[0]).toBe('2026-10');
    expect(offeredAt('2026-12-03T00:59:59Z')).not.toContain('2026-11');
    expect(offeredAt('2026-12-03T01:00:00Z')[0]).toBe('2026-11');
  });

  it('across the turn of a year, and with the longest back-dating window (a week)', () => {
    expect(offeredAt('2027-01-10T00:00:00Z').slice(0, 3)).toEqual(['2026-12', '2026-11', '2026-10']);
    expect(
      pickableMonths(
        latestClosedMonth(new Date('2027-01-07T12:00:00Z'), { pastHours: 168, futureMinutes: 5 }),
      )[0],
    ).toBe('2026-11');
  });

  it('offers nothing for an answer that is not a month', () => {
    expect(pickableMonths('2026-W47')).toEqual([]);
    expect(pickableMonths('')).toEqual([]);
  });
});
