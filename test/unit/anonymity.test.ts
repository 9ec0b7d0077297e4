import { describe, expect, it } from 'vitest';
import { cellsToSuppress, DEFAULT_THRESHOLDS, effectiveThresholds, totalVisible } from '#domain/anonymity.ts';

const cells = (...counts: number[]) => counts.map((contributors, i) => ({ id: `d${i}`, contributors }));

describe('anonymity thresholds', () => {
  it('pins the defaults of PRIVACY.md: 5 for activity, 10 for clinical scales', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ kActivity: 5, kClinical: 10 });
  });

  it('never lets a stage go below 5, but lets it go higher', () => {
    expect(effectiveThresholds({ kActivity: 2, kClinical: 3 })).toEqual({ kActivity: 5, kClinical: 5 });
    expect(effectiveThresholds({ kActivity: 8 })).toEqual({ kActivity: 8, kClinical: 10 });
  });

  it('suppresses a cell at k − 1 contributors and shows it at k', () => {
    expect(cellsToSuppress(cells(4, 20, 30), 5, false)).toEqual(new Set(['d0']));
    expect(cellsToSuppress(cells(5, 20, 30), 5, false)).toEqual(new Set());
    expect(totalVisible(4, 5)).toBe(false);
    expect(totalVisible(5, 5)).toBe(true);
  });

  it('adds the next-smallest sibling when exactly one is suppressed and the total is shown', () => {
    // d0 (3) alone hidden would be total − d1 − d2 − d3: hide d2 (the smallest visible) too.
    expect(cellsToSuppress(cells(3, 40, 7, 12), 5, true)).toEqual(new Set(['d0', 'd2']));
    // Without the total on show there is nothing to subtract from.
    expect(cellsToSuppress(cells(3, 40, 7, 12), 5, false)).toEqual(new Set(['d0']));
  });

  it('needs no complement when two or more siblings are already hidden', () => {
    expect(cellsToSuppress(cells(3, 2, 40, 12), 5, true)).toEqual(new Set(['d0', 'd1']));
  });

  it('breaks ties between equally small siblings deterministically', () => {
    expect(
      cellsToSuppress(
        [
          { id: 'b', contributors: 9 },
          { id: 'x', contributors: 1 },
          { id: 'a', contributors: 9 },
        ],
        5,
        true,
      ),
    ).toEqual(new Set(['x', 'a']));
  });
});
