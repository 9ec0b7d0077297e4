import { describe, expect, it } from 'vitest';
import * as keys from '#data/dynamodb/keys.ts';
import * as partitions from '#data/dynamodb/partitions.ts';
import { applyMarker, category, contributionOf, counter, MalformedSourceError } from '#domain/rollups.ts';
import { isoWeekOf, parsePeriod, periodsOf, previousMonth, previousPeriod } from '#domain/rollups-periods.ts';
import { MemoryRollups } from './support/memory-rollups.ts';

/**
 * The rollup model end to end in memory (support/memory-rollups.ts: the aggregator's pure decisions
 * applied to maps), so exact numbers can be checked after a known sequence of stream records.
 */
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const chat = (
  at: string,
  label: string,
  emotions: Record<string, number>,
  extra: Record<string, unknown> = {},
) => ({
  entityType: 'CHAT_ANALYSIS',
  analyzedAt: at,
  sentiment: { label, score: 0.9 },
  emotions,
  riskFlags: [],
  ...extra,
});
const survey = (
  at: string,
  instrument: string,
  total: number | null,
  band: string | null,
  flags: string[] = [],
) => ({
  entityType: 'SURVEY_RESPONSE',
  submittedAt: at,
  instrument,
  scores: { total },
  band,
  flags,
});
const session = (at: string, status: string, messageCount: number) => ({
  entityType: 'EMO_SESSION',
  startedAt: at,
  status,
  messageCount,
});

describe('ISO weeks and periods', () => {
  it.each([
    ['2024-12-29T12:00:00Z', '2024-W52'], // Sunday
    ['2024-12-30T00:00:00Z', '2025-W01'], // Monday of the week holding 2 January
    ['2021-01-03T23:59:59Z', '2020-W53'], // Sunday before the first Thursday
    ['2021-01-04T00:00:00Z', '2021-W01'],
    ['2026-12-31T10:00:00Z', '2026-W53'], // 2026 starts on a Thursday: 53 weeks
    ['2027-01-03T10:00:00Z', '2026-W53'],
    ['2027-01-04T10:00:00Z', '2027-W01'],
    ['2026-11-23T08:00:00Z', '2026-W48'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeekOf(new Date(iso))).toBe(week);
  });

  it('puts a write into its UTC day, ISO week and month (the week may be in another year)', () => {
    expect(periodsOf('2027-01-01T00:30:00+02:00')).toEqual([
      { granularity: 'DAY', key: '2026-12-31' },
      { granularity: 'WEEK', key: '2026-W53' },
      { granularity: 'MONTH', key: '2026-12' },
    ]);
  });

  it('accepts months and existing ISO weeks only, and knows the period before', () => {
    expect(parsePeriod('2026-11')).toEqual({ granularity: 'MONTH', key: '2026-11' });
    expect(parsePeriod('2026-W53')).toEqual({ granularity: 'WEEK', key: '2026-W53' });
    expect(parsePeriod('2025-W53')).toBeUndefined(); // 2025 has 52 weeks
    expect(parsePeriod('2026-13')).toBeUndefined();
    expect(parsePeriod('2026-W00')).toBeUndefined();
    expect(previousPeriod({ granularity: 'MONTH', key: '2026-01' }).key).toBe('2025-12');
    expect(previousMonth('2026-01')).toEqual({ granularity: 'MONTH', key: '2025-12' });
    expect(previousMonth('2026-03')).toEqual({ granularity: 'MONTH', key: '2026-02' });
    expect(previousPeriod({ granularity: 'WEEK', key: '2027-W01' }).key).toBe('2026-W53');
    expect(previousPeriod({ granularity: 'WEEK', key: '2026-W01' }).key).toBe('2025-W52');
  });
});

describe('rollup deltas from stream records', () => {
  const NOV = '2026-11';

  it('keeps exact rollups through inserts, a redelivered record, a session update and deletions', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.owners.set(BOB, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    expect(
      m.record(
        ALICE,
        'CHAT#1',
        'INSERT',
        '100',
        chat('2026-11-02T10:00:00Z', 'negative', { joy: 0.25, sadness: 0.5 }),
      ),
    ).toBe('applied');
    expect(
      m.record(ALICE, 'CHAT#2', 'INSERT', '101', chat('2026-11-03T10:00:00Z', 'positive', { joy: 0.75 })),
    ).toBe('applied');
    // The same record delivered again is stale against the ledger: nothing changes.
    expect(
      m.record(ALICE, 'CHAT#2', 'INSERT', '101', chat('2026-11-03T10:00:00Z', 'positive', { joy: 0.75 })),
    ).toBe('stale');
    m.record(ALICE, 'SURVEY#phq9#1', 'INSERT', '102', survey('2026-11-04T10:00:00Z', 'phq9', 7, 'mild'));
    m.record(BOB, 'SURVEY#phq9#2', 'INSERT', '103', survey('2026-11-05T10:00:00Z', 'phq9', 12, 'moderate'));
    m.record(BOB, 'EMOSESSION#1', 'INSERT', '104', session('2026-11-05T11:00:00Z', 'active', 0));
    m.record(BOB, 'EMOSESSION#1', 'MODIFY', '105', session('2026-11-05T11:00:00Z', 'active', 2));
    m.record(BOB, 'EMOSESSION#1', 'MODIFY', '106', session('2026-11-05T11:00:00Z', 'ended', 3));

    expect(m.get('DEPT#dept-a', NOV)).toEqual({
      [counter.items]: 5,
      [counter.analyses('chat')]: 2,
      [counter.sentiment('chat', 'negative')]: 1,
      [counter.sentiment('chat', 'positive')]: 1,
      [counter.emotionCount('joy')]: 2,
      [counter.emotionMicros('joy')]: 1_000_000,
      [counter.emotionCount('sadness')]: 1,
      [counter.emotionMicros('sadness')]: 500_000,
      [counter.surveys('phq9')]: 2,
      [counter.scored('phq9')]: 2,
      [counter.scoreMilli('phq9')]: 19_000,
      [counter.band('phq9', 'mild')]: 1,
      [counter.band('phq9', 'moderate')]: 1,
      // A session counts once, when it starts: its messages and its end stay in Bob's own rollups.
      [counter.emoSessions]: 1,
      // Distinct contributors per statistic.
      [counter.contributors(category.all)]: 2,
      [counter.contributors(category.analyses)]: 1,
      [counter.contributors(category.analysisType('chat'))]: 1,
      [counter.contributors(category.sentiment('negative'))]: 1,
      [counter.contributors(category.sentiment('positive'))]: 1,
      [counter.contributors(category.emotion('joy'))]: 1,
      [counter.contributors(category.emotion('sadness'))]: 1,
      [counter.contributors(category.surveys)]: 2,
      [counter.contributors(category.instrument('phq9'))]: 2,
      [counter.contributors(category.band('phq9', 'mild'))]: 1,
      [counter.contributors(category.band('phq9', 'moderate'))]: 1,
      [counter.contributors(category.emoBuddy)]: 1,
    });
    expect(m.get('ORG', NOV)).toEqual(m.get('DEPT#dept-a', NOV));
    expect(m.get(`USER#${BOB}`, NOV)[counter.emoMessages]).toBe(3);
    expect(m.get(`USER#${BOB}`, NOV)[counter.emoEnded]).toBe(1);
    expect(m.get(`USER#${ALICE}`, NOV)[counter.items]).toBe(3);
    expect(m.get(`USER#${ALICE}`, NOV)[counter.contributors('all')]).toBeUndefined();
    // Departments and the organisation keep months only: the one period grid the dashboard serves.
    expect(m.get('DEPT#dept-a', '2026-W45')).toEqual({});
    expect(m.get('DEPT#dept-a', '2026-11-05')).toEqual({});
    expect(m.get(`USER#${ALICE}`, '2026-W45')[counter.items]).toBe(3); // 2–4 Nov: the 2nd is a Monday
    expect(m.get(`USER#${BOB}`, '2026-11-05')[counter.items]).toBe(2);

    // Alice's analyses are removed (a correction): her analysis contributor goes, she stays for phq9.
    m.record(ALICE, 'CHAT#1', 'REMOVE', '107');
    m.record(ALICE, 'CHAT#2', 'REMOVE', '108');
    // A retried older insert of a removed item cannot bring it back (tombstone).
    expect(
      m.record(ALICE, 'CHAT#1', 'INSERT', '100', chat('2026-11-02T10:00:00Z', 'negative', { joy: 0.25 })),
    ).toBe('stale');
    const after = m.get('DEPT#dept-a', NOV);
    expect(after[counter.analyses('chat')]).toBeUndefined();
    expect(after[counter.emotionMicros('joy')]).toBeUndefined();
    expect(after[counter.contributors('analyses')]).toBeUndefined();
    expect(after[counter.contributors(category.emotion('joy'))]).toBeUndefined();
    expect(after[counter.contributors('all')]).toBe(2);
    expect(after[counter.items]).toBe(3);
    expect(m.get(`USER#${ALICE}`, '2026-11-02')).toEqual({}); // back to exactly zero
    expect(m.markers.get(`DEPT#dept-a|${NOV}|${ALICE}`)).toEqual({
      all: 1,
      surveys: 1,
      phq9: 1,
      'band.phq9.mild': 1,
    });
  });

  it('withdraws an item seen after its owner revoked consent, counts nothing new, and never again after a re-grant', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(ALICE, 'EMOSESSION#1', 'INSERT', '1', session('2026-11-02T10:00:00Z', 'active', 1));
    expect(m.get('DEPT#dept-a', NOV)).toEqual({
      [counter.items]: 1,
      [counter.emoSessions]: 1,
      [counter.contributors('all')]: 1,
      [counter.contributors('emoBuddy')]: 1,
    });
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: false });
    m.record(ALICE, 'SURVEY#gad7#1', 'INSERT', '2', survey('2026-11-03T10:00:00Z', 'gad7', 3, 'minimal'));
    m.record(ALICE, 'EMOSESSION#1', 'MODIFY', '3', session('2026-11-02T10:00:00Z', 'ended', 4));
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
    // Her own rollups keep everything: they are her data, not an aggregate.
    expect(m.get(`USER#${ALICE}`, NOV)[counter.items]).toBe(2);
    expect(m.get(`USER#${ALICE}`, NOV)[counter.emoMessages]).toBe(4);
    // Consent granted again: only what is new counts; the session and the GAD-7 stay out.
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(ALICE, 'EMOSESSION#1', 'MODIFY', '4', session('2026-11-02T10:00:00Z', 'ended', 5));
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
    m.record(ALICE, 'EMOSESSION#2', 'INSERT', '5', session('2026-11-20T10:00:00Z', 'active', 0));
    expect(m.get('DEPT#dept-a', NOV)).toMatchObject({ [counter.emoSessions]: 1, [counter.items]: 1 });
    // A removal still takes out exactly what had been counted.
    m.record(ALICE, 'EMOSESSION#2', 'REMOVE', '6');
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
  });

  it('withdraws every past contribution of a user, page by page through the ledger, and nothing of anyone else', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.owners.set(BOB, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(ALICE, 'CHAT#1', 'INSERT', '1', chat('2026-10-30T10:00:00Z', 'negative', { fear: 0.9 }));
    m.record(ALICE, 'SURVEY#phq9#1', 'INSERT', '2', survey('2026-11-03T10:00:00Z', 'phq9', 14, 'moderate'));
    m.record(BOB, 'CHAT#2', 'INSERT', '3', chat('2026-11-04T10:00:00Z', 'positive', { joy: 0.5 }));
    const bobOnly = new MemoryRollups();
    bobOnly.owners.set(BOB, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    bobOnly.record(BOB, 'CHAT#2', 'INSERT', '3', chat('2026-11-04T10:00:00Z', 'positive', { joy: 0.5 }));

    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: false });
    m.withdraw(ALICE);
    for (const month of ['2026-10', NOV])
      for (const scope of ['DEPT#dept-a', 'ORG'])
        expect(m.get(scope, month), `${scope} ${month}`).toEqual(bobOnly.get(scope, month));
    // Withdrawn twice: nothing more happens.
    m.withdraw(ALICE);
    expect(m.get('ORG', NOV)).toEqual(bobOnly.get('ORG', NOV));
    expect(m.get(`USER#${ALICE}`, NOV)[counter.scoreMilli('phq9')]).toBe(14_000);
  });

  it('keeps an expired item’s aggregate part (expiry is not a withdrawal) until its owner withdraws', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(ALICE, 'SPEECH#1', 'INSERT', '1', {
      ...chat('2026-11-02T10:00:00Z', 'neutral', { neutral: 1 }),
      entityType: 'SPEECH_ANALYSIS',
    });
    const counted = m.get('DEPT#dept-a', NOV);
    expect(counted[counter.analyses('speech')]).toBe(1);
    // TTL deletes the item (its raw text is past retention): her own rollups let it go, the month not.
    m.record(ALICE, 'SPEECH#1', 'REMOVE', '2', undefined, true);
    expect(m.get(`USER#${ALICE}`, NOV)).toEqual({});
    expect(m.get('DEPT#dept-a', NOV)).toEqual(counted);
    expect(m.ledgers.get(`${ALICE}|SPEECH#1`)).toMatchObject({ removed: true, user: null });
    // Her later opt-out finds it in the ledger and withdraws it.
    m.withdraw(ALICE);
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
  });

  it('never puts an item that raised a risk signal into department or organisation rollups', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(
      ALICE,
      'CHAT#1',
      'INSERT',
      '1',
      chat('2026-11-02T10:00:00Z', 'negative', { fear: 1 }, { riskFlags: ['crisis'] }),
    );
    m.record(
      ALICE,
      'SURVEY#phq9#1',
      'INSERT',
      '2',
      survey('2026-11-02T11:00:00Z', 'phq9', 4, 'minimal', ['suicidal_ideation']),
    );
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
    expect(m.get('ORG', NOV)).toEqual({});
    expect(m.get(`USER#${ALICE}`, NOV)[counter.items]).toBe(2);
  });

  it('counts users without a department in a never-shown sibling and keeps the first attribution', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: undefined, aggregateConsent: true });
    m.record(ALICE, 'EMOSESSION#1', 'INSERT', '1', session('2026-11-02T10:00:00Z', 'active', 0));
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-b', aggregateConsent: true });
    m.record(ALICE, 'EMOSESSION#1', 'MODIFY', '2', session('2026-11-02T10:00:00Z', 'active', 2));
    expect(m.get('DEPT#unassigned', NOV)).toMatchObject({
      [counter.emoSessions]: 1,
      [counter.contributors('all')]: 1,
    });
    expect(m.get('DEPT#dept-b', NOV)).toEqual({});
  });

  it('withdraws an erased user’s aggregate contributions when the purge deletes the ledger', () => {
    const m = new MemoryRollups();
    m.owners.set(ALICE, { erasing: false, departmentId: 'dept-a', aggregateConsent: true });
    m.record(ALICE, 'SURVEY#cbi#1', 'INSERT', '1', survey('2026-11-02T10:00:00Z', 'cbi', 50, 'moderate'));
    m.owners.set(ALICE, { erasing: true, departmentId: 'dept-a', aggregateConsent: true });
    m.ledgerDeleted(ALICE, 'SURVEY#cbi#1');
    // The purge's later delete of the response itself finds no ledger and changes nothing.
    expect(m.record(ALICE, 'SURVEY#cbi#1', 'REMOVE', '2')).toBe('erasing');
    expect(m.get('DEPT#dept-a', NOV)).toEqual({});
    expect(m.get('ORG', NOV)).toEqual({});
  });

  it('refuses a malformed source image and ignores anything that is not a source item', () => {
    expect(() =>
      contributionOf({ PK: `USER#${ALICE}`, entityType: 'CHAT_ANALYSIS', analyzedAt: 'yesterday' }),
    ).toThrow(MalformedSourceError);
    expect(
      contributionOf({ PK: `USER#${ALICE}`, entityType: 'RISK_ALERT', createdAt: '2026-11-02T10:00:00Z' }),
    ).toBeUndefined();
    expect(contributionOf({ PK: 'EMOSESSION#x', entityType: 'EMO_MESSAGE' })).toBeUndefined();
  });

  it('counts a contributor once per category however many items, and drops them at zero', () => {
    const one = applyMarker(undefined, { all: 1, analyses: 1 });
    expect(one).toEqual({
      next: { all: 1, analyses: 1 },
      contributors: { 'contributors.all': 1, 'contributors.analyses': 1 },
    });
    const two = applyMarker(one.next, { all: 1, analyses: 1 });
    expect(two.contributors).toEqual({});
    expect(applyMarker(two.next, { all: -2, analyses: -1 })).toEqual({
      next: { analyses: 1 },
      contributors: { 'contributors.all': -1 },
    });
  });
});

describe('rollup keys', () => {
  it('builds the rollup, marker, ledger and processed-record keys of shared/data/dynamodb/keys.ts', () => {
    expect(keys.rollup(`USER#${ALICE}`, 'MONTH', '2026-11')).toEqual({
      PK: `AGG#USER#${ALICE}`,
      SK: 'MONTH#2026-11',
    });
    expect(keys.rollup('DEPT#d-1', 'WEEK', '2026-W47')).toEqual({ PK: 'AGG#DEPT#d-1', SK: 'WEEK#2026-W47' });
    expect(keys.rollup('ORG', 'DAY', '2026-11-23')).toEqual({ PK: 'AGG#ORG', SK: 'DAY#2026-11-23' });
    expect(keys.rollupContributor('ORG', 'DAY', '2026-11-23', ALICE)).toEqual({
      PK: 'AGG#ORG',
      SK: `CONTRIB#DAY#2026-11-23#${ALICE}`,
    });
    expect(keys.rollupSource(ALICE, 'CHAT#2026-11-23T08:00:00.000Z#abc')).toEqual({
      PK: `AGG#USER#${ALICE}`,
      SK: 'SRC#CHAT#2026-11-23T08:00:00.000Z#abc',
    });
    expect(keys.processedStreamRecord('e1')).toEqual({ PK: 'AGGEVENT#e1', SK: 'PROCESSED' });
    expect(() => keys.rollup('USER#a#b', 'DAY', '2026-11-23')).toThrow();
  });

  it('keeps the user rollup partition where the erasure purge deletes it', () => {
    expect(keys.rollup(`USER#${ALICE}`, 'DAY', '2026-11-23').PK).toBe(partitions.userRollups(ALICE));
    expect(keys.rollupSource(ALICE, 'CHAT#x').PK).toBe(partitions.userRollups(ALICE));
  });
});
