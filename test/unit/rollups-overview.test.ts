import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';
import { DEFAULT_THRESHOLDS, effectiveThresholds } from '#domain/anonymity.ts';
import { counter, type Counters } from '#domain/rollups.ts';
import { buildOverview, visibilityOf, type OverviewInput } from '#domain/rollups-overview.ts';

/** A cell whose contributors (of any kind, with analyses, with a PHQ-9) are given. */
const cell = (all: number, options: { analyses?: number; phq9?: number; items?: number } = {}): Counters => ({
  [counter.items]: options.items ?? all,
  [counter.contributors('all')]: all,
  ...(options.analyses
    ? {
        [counter.contributors('analyses')]: options.analyses,
        [counter.sentiment('chat', 'negative')]: options.analyses,
      }
    : {}),
  ...(options.phq9
    ? {
        [counter.contributors('phq9')]: options.phq9,
        [counter.surveys('phq9')]: options.phq9,
        [counter.scored('phq9')]: options.phq9,
        [counter.scoreMilli('phq9')]: options.phq9 * 8_000,
      }
    : {}),
});

const input = (
  departments: Record<string, Counters | undefined>,
  extra: Partial<OverviewInput> = {},
): OverviewInput => {
  const organisation: Counters = {};
  for (const counters of Object.values(departments))
    for (const [name, value] of Object.entries(counters ?? {}))
      organisation[name] = (organisation[name] ?? 0) + value;
  return {
    thresholds: DEFAULT_THRESHOLDS,
    organisation,
    departments: Object.entries(departments).map(([id, counters]) => ({
      id,
      name: id.toUpperCase(),
      counters,
    })),
    unassigned: undefined,
    ...extra,
  };
};

const EMPTY = input({});
const options = (departmentIds: string[], includeOrganisation = true) => ({
  period: '2026-11',
  previousPeriod: '2026-10',
  includeOrganisation,
  departmentIds,
});

describe('dashboard overview: k-anonymity', () => {
  it('hides a department at k − 1 contributors with no numbers at all, and shows it at k', () => {
    const atKMinus1 = buildOverview(input({ a: cell(4), b: cell(30), c: cell(40) }), EMPTY, options(['a']));
    expect(atKMinus1.departments).toEqual([{ departmentId: 'a', name: 'A', suppressed: true }]);
    const atK = buildOverview(input({ a: cell(5), b: cell(30), c: cell(40) }), EMPTY, options(['a']));
    expect(atK.departments[0]).toMatchObject({ departmentId: 'a', suppressed: false, contributors: 5 });
  });

  it('applies the clinical threshold to instrument cells: hidden at 9, shown at 10', () => {
    const overview = buildOverview(
      input({ a: cell(20, { phq9: 9 }), b: cell(20, { phq9: 10 }), c: cell(20, { phq9: 12 }) }),
      EMPTY,
      options(['a', 'b']),
    );
    const [a, b] = overview.departments as { instruments: Record<string, unknown> }[];
    expect(a?.instruments.phq9).toEqual({ suppressed: true });
    // b is the smallest visible PHQ-9 sibling while a is the only hidden one: complementary.
    expect(b?.instruments.phq9).toEqual({ suppressed: true });
    const shown = buildOverview(
      input({ a: cell(20, { phq9: 10 }), b: cell(20, { phq9: 10 }) }),
      EMPTY,
      options(['a']),
    ).departments[0] as { instruments: Record<string, unknown> };
    expect(shown.instruments.phq9).toEqual({
      suppressed: false,
      contributors: 10,
      responses: 10,
      meanScore: 8,
      bands: {},
    });
  });

  it('suppresses the next-smallest sibling when exactly one is hidden and the total is shown', () => {
    const visibility = visibilityOf(input({ small: cell(3), mid: cell(7), big: cell(40), other: cell(12) }));
    expect([...visibility.hidden.activity].sort()).toEqual(['mid', 'small']);
    expect(visibility.organisation.activity).toBe(true);
  });

  it('counts users without a department as a sibling: hiding them alone hides the smallest department too', () => {
    const visibility = visibilityOf(input({ a: cell(20), b: cell(8) }, { unassigned: cell(2) }));
    expect(visibility.hidden.activity.has('b')).toBe(true);
    expect(visibility.hidden.activity.has('a')).toBe(false);
  });

  it('ignores empty departments when deciding complements (they hide nothing)', () => {
    // Without this, the empty department would count as a second hidden cell and leave "small" recoverable.
    const visibility = visibilityOf(input({ small: cell(3), empty: undefined, big: cell(40), mid: cell(9) }));
    expect([...visibility.hidden.activity].sort()).toEqual(['empty', 'mid', 'small']);
  });

  it('needs no complement when the organisation total is itself hidden', () => {
    const visibility = visibilityOf(input({ a: cell(2), b: cell(1) }));
    expect(visibility.organisation.activity).toBe(false);
    const overview = buildOverview(input({ a: cell(2), b: cell(1) }), EMPTY, options(['a', 'b']));
    expect(overview.organisation).toEqual({ suppressed: true });
  });

  it('decides suppression on every department, whoever asks, and shows managers no organisation cell', () => {
    const all = input({ small: cell(3), mid: cell(7), big: cell(40), other: cell(12) });
    const manager = buildOverview(all, EMPTY, options(['mid'], false));
    expect(manager.organisation).toBeNull();
    expect(manager.departments).toEqual([{ departmentId: 'mid', name: 'MID', suppressed: true }]);
  });

  it('gives a trend only where the cell was visible in the previous period too', () => {
    const now = input({ a: cell(10, { analyses: 10, items: 30 }), b: cell(10), c: cell(50) });
    // In October b was below k, and c (not a) the smallest visible sibling when a complement was needed.
    const before = input({ a: cell(8, { analyses: 8, items: 20 }), b: cell(3), c: cell(6) });
    const overview = buildOverview(now, before, options(['a', 'b']));
    const [a, b] = overview.departments as { trend?: unknown; suppressed: boolean }[];
    expect(a?.trend).toEqual({
      previousPeriod: '2026-10',
      contributors: 2,
      items: 10,
      negativeSentimentShare: 0,
      meanScores: { phq9: null, gad7: null, who5: null, pss10: null, cbi: null },
    });
    expect(b?.trend).toBeNull(); // hidden in October
  });
});

describe('thresholds from the stage config', () => {
  it('reads ANONYMITY_THRESHOLDS and never lets it go below 5', () => {
    const env = parseRuntimeEnv({ STAGE: 'dev', ANONYMITY_THRESHOLDS: '{"kActivity":3,"kClinical":12}' });
    expect(env.anonymityThresholds).toEqual({ kActivity: 3, kClinical: 12 });
    expect(effectiveThresholds(env.anonymityThresholds ?? {})).toEqual({ kActivity: 5, kClinical: 12 });
    expect(() => parseRuntimeEnv({ STAGE: 'dev', ANONYMITY_THRESHOLDS: 'five' })).toThrow(
      /ANONYMITY_THRESHOLDS/,
    );
  });
});
