import './support/test-env.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateView, type Contribution, type LedgerState } from '#domain/rollups.ts';
import { ledgerItem, ledgerOf, markerOf } from '#data/rollup-repository.ts';
import { withdrawalRequestItem, withdrawalRequestOf } from '#data/withdrawal-request.ts';

/**
 * Rows the aggregator acts on are parsed, not cast: what it wrote reads back as written, and a row that
 * does not hold what its kind holds throws (the stream record is retried, then dead-lettered) instead of
 * being added to or subtracted from a rollup half-read.
 */
const SUB = '33333333-3333-4333-8333-333333333333';
const NOW = new Date('2026-11-23T08:15:30.123Z');

const counterName = fc.constantFrom(
  'activity.items',
  'analyses.chat',
  'sentiment.negative',
  'emotionCount.sadness',
  'scoreMilli.phq9',
  'user.private.riskSignals',
);
const contribution: fc.Arbitrary<Contribution> = fc.record(
  {
    at: fc.constant('2026-11-20T10:00:00.000Z'),
    counters: fc.dictionary(counterName, fc.integer({ min: -5, max: 5_000 }), { noNullPrototype: true }),
    categories: fc.uniqueArray(fc.constantFrom('all', 'analyses', 'surveys', 'emoBuddy')),
    riskSignal: fc.boolean(),
  },
  { noNullPrototype: true },
);
const ledger: fc.Arbitrary<LedgerState> = fc
  .record({
    user: fc.option(contribution, { nil: null }),
    aggKind: fc.constantFrom('userView', 'own', 'none'),
    other: contribution,
    aggDepartment: fc.option(fc.constantFrom('d-1', 'unassigned'), { nil: null }),
    seq: fc.option(fc.stringMatching(/^[0-9]{1,21}$/), { nil: null }),
    removed: fc.boolean(),
    aggExcluded: fc.boolean(),
  })
  .map(({ aggKind, other, ...state }) => ({
    ...state,
    agg:
      aggKind === 'userView' && state.user
        ? aggregateView(state.user)
        : aggKind === 'own'
          ? aggregateView(other)
          : null,
  }));

describe('a contribution ledger read back', () => {
  it('is the state that was written, with its revision (the aggregate view stored by reference too)', () => {
    fc.assert(
      fc.property(ledger, fc.nat(1_000), (state, rev) => {
        expect(ledgerOf(ledgerItem(SUB, 'CHAT#2026-11-20#a', state, rev, NOW))).toStrictEqual({
          ...state,
          rev,
        });
      }),
    );
  });

  it('throws for a ledger whose contribution is not one', () => {
    const item = ledgerItem(
      SUB,
      'CHAT#2026-11-20#a',
      {
        user: {
          at: NOW.toISOString(),
          counters: { 'activity.items': 1 },
          categories: ['all'],
          riskSignal: false,
        },
        agg: null,
        aggDepartment: null,
        seq: '1',
        removed: false,
        aggExcluded: false,
      },
      1,
      NOW,
    );
    expect(ledgerOf(item)?.user?.counters).toEqual({ 'activity.items': 1 });
    expect(() => ledgerOf({ ...item, user: { counters: { 'activity.items': 1 } } })).toThrow();
    expect(() =>
      ledgerOf({ ...item, user: { ...(item.user as object), counters: { 'activity.items': '1' } } }),
    ).toThrow();
    expect(() => ledgerOf({ ...item, agg: 'somebody else' })).toThrow();
    expect(() => ledgerOf({ ...item, user: 'a string' })).toThrow();
  });
});

describe('a contributor marker read back', () => {
  it('holds its counts and revision; a marker without them counts nothing yet', () => {
    expect(markerOf({ PK: 'p', SK: 's', counts: { all: 2, surveys: 1 }, rev: 3 })).toStrictEqual({
      counts: { all: 2, surveys: 1 },
      rev: 3,
    });
    expect(markerOf({ PK: 'p', SK: 's' })).toStrictEqual({ counts: {}, rev: 0 });
    expect(markerOf(undefined)).toBeUndefined();
  });

  it('throws for counts that are not whole, non-negative numbers', () => {
    for (const counts of [{ all: -1 }, { all: 1.5 }, { all: '1' }, ['all']])
      expect(() => markerOf({ PK: 'p', SK: 's', counts, rev: 1 }), JSON.stringify(counts)).toThrow();
  });
});

describe('a withdrawal request read back', () => {
  const stored = (reason: 'consent_revoked' | 'erasure_requested') => withdrawalRequestItem(SUB, reason, NOW);

  it('is the request that was put, for each reason', () => {
    for (const reason of ['consent_revoked', 'erasure_requested'] as const)
      expect(withdrawalRequestOf(stored(reason))).toStrictEqual({
        sub: SUB,
        reason,
        status: 'pending',
        requestedAt: NOW.toISOString(),
        withdrawn: 0,
        pages: 0,
        rev: NOW.getTime(),
      });
    // After a page that found nothing: the cursor is stored as null.
    expect(withdrawalRequestOf({ ...stored('consent_revoked'), cursor: null, status: 'done' })).toMatchObject(
      {
        cursor: null,
        status: 'done',
      },
    );
  });

  it('throws for a request whose status, reason or progress it cannot read', () => {
    const item = stored('consent_revoked');
    for (const broken of [
      { ...item, status: 'paused' },
      { ...item, reason: 'curiosity' },
      { ...item, rev: '1' },
      { ...item, withdrawn: -1 },
      { ...item, cursor: 7 },
    ])
      expect(() => withdrawalRequestOf(broken)).toThrow();
  });
});
