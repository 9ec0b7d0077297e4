import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_TIME_WINDOW } from '#contract/analysis-window.ts';
import {
  analyzedAtProblem,
  isMonthClosed,
  latestClosedMonth,
  monthClosesAt,
  STREAM_MARGIN_MS,
} from '#domain/reporting-window.ts';

const window = DEFAULT_ANALYSIS_TIME_WINDOW;
const received = new Date('2026-12-04T12:00:00.000Z');
const hours = (n: number) => n * 3_600_000;

describe('the analysis time window', () => {
  it('pins the default: 48 h back, 5 min ahead', () => {
    expect(DEFAULT_ANALYSIS_TIME_WINDOW).toEqual({ pastHours: 48, futureMinutes: 5 });
  });

  it('accepts analyzedAt inside the window, its edges included', () => {
    for (const at of [
      received,
      new Date(received.getTime() - hours(48)),
      new Date(received.getTime() + 5 * 60_000),
    ])
      expect(analyzedAtProblem(at.toISOString(), received, window, 'body.analyzedAt')).toBeUndefined();
  });

  it('refuses one beyond either edge, naming the field, the reason and the window', () => {
    const old = analyzedAtProblem(
      new Date(received.getTime() - hours(48) - 1).toISOString(),
      received,
      window,
      'body.items.3.analyzedAt',
    );
    expect(old).toEqual({
      field: 'body.items.3.analyzedAt',
      code: 'too_old',
      message:
        'must be at most 48 h before and 5 min after the time it is received (2026-12-02T12:00:00.000Z – 2026-12-04T12:05:00.000Z)',
    });
    const ahead = analyzedAtProblem('2026-12-04T13:06:00+01:00', received, window, 'body.analyzedAt');
    expect(ahead?.code).toBe('in_the_future');
  });
});

describe('closed months', () => {
  it('closes a month at its end plus the back-dating window plus the stream margin', () => {
    expect(monthClosesAt('2026-11', window).toISOString()).toBe(
      new Date(Date.parse('2026-12-01T00:00:00Z') + hours(48) + STREAM_MARGIN_MS).toISOString(),
    );
    expect(monthClosesAt('2026-12', window).toISOString()).toBe('2027-01-03T01:00:00.000Z');
    const closes = monthClosesAt('2026-11', window);
    expect(isMonthClosed('2026-11', new Date(closes.getTime() - 1), window)).toBe(false);
    expect(isMonthClosed('2026-11', closes, window)).toBe(true);
  });

  it('finds the latest closed month: the previous one once its window has passed, else the one before', () => {
    expect(latestClosedMonth(new Date('2026-12-04T12:00:00Z'), window)).toBe('2026-11');
    expect(latestClosedMonth(new Date('2026-12-02T12:00:00Z'), window)).toBe('2026-10');
    expect(latestClosedMonth(new Date('2027-01-15T09:00:00Z'), window)).toBe('2026-12');
    expect(latestClosedMonth(new Date('2027-01-01T00:30:00Z'), window)).toBe('2026-11');
    // A longer window moves the close accordingly (a week: 8 January 01:00).
    const week = { pastHours: 168, futureMinutes: 5 };
    expect(latestClosedMonth(new Date('2027-01-08T00:59:59Z'), week)).toBe('2026-11');
    expect(latestClosedMonth(new Date('2027-01-08T01:00:00Z'), week)).toBe('2026-12');
  });
});
