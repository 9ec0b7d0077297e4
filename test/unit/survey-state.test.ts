import './support/test-env.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { BurnoutPoint, INSTRUMENT_IDS, MAX_ANSWER_LENGTH, SurveyResponse } from '#contract/survey.ts';
import {
  CBI_SERIES_KEPT,
  cbiSeriesWithin,
  EMPTY_SURVEY_STATE,
  surveyStateOf,
  withResponse,
} from '#domain/survey-state.ts';
import { surveyResponseFrom, surveyStateFrom } from '#data/survey-repository.ts';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (day: number) => new Date(T0 + day * DAY_MS).toISOString();

const phq9 = (id: string, day: number, total: number): SurveyResponse => ({
  id,
  userId: 'u',
  instrument: 'phq9',
  version: '1',
  answers: {},
  scores: { total },
  band: total >= 10 ? 'moderate' : 'minimal',
  flags: [],
  submittedAt: at(day),
});

const cbi = (id: string, day: number, work: number): SurveyResponse => ({
  id,
  userId: 'u',
  instrument: 'cbi',
  version: '1',
  answers: {},
  scores: { total: work, subscales: { work, personal: 50 } },
  band: 'moderate',
  flags: [],
  submittedAt: at(day),
});

describe('survey state', () => {
  it('keeps the latest response per instrument, whatever order they arrive in', () => {
    let state = withResponse(EMPTY_SURVEY_STATE, phq9('a', 2, 12));
    state = withResponse(state, phq9('b', 1, 3)); // older: does not replace the latest
    state = withResponse(state, cbi('c', 0, 25));
    expect(state.version).toBe(3);
    expect(state.latest.phq9).toMatchObject({
      id: 'a',
      scores: { total: 12 },
      band: 'moderate',
      version: '1',
    });
    expect(state.latest.cbi).toMatchObject({ id: 'c', scores: { total: 25 } });
    expect(state.latest.gad7).toBeUndefined();
    expect(state.cbiSeries).toEqual([{ responseId: 'c', at: at(0), work: 25, personal: 50 }]);
    expect(state.cbiCount).toBe(1);
  });

  it('keeps the newest CBI_SERIES_KEPT observations, oldest first, and counts all of them', () => {
    const responses = Array.from({ length: CBI_SERIES_KEPT + 10 }, (_, i) => cbi(`r${i}`, i, i % 100));
    const state = surveyStateOf(responses);
    expect(state.cbiCount).toBe(CBI_SERIES_KEPT + 10);
    expect(state.cbiSeries).toHaveLength(CBI_SERIES_KEPT);
    expect(state.cbiSeries[0]?.responseId).toBe('r10');
    expect(state.cbiSeries.at(-1)?.responseId).toBe(`r${CBI_SERIES_KEPT + 9}`);
  });

  it('is the same state whatever order the responses were stored in (property)', () => {
    const responses = Array.from({ length: 12 }, (_, i) =>
      i % 2 ? cbi(`r${i}`, i, 25 * (i % 4)) : phq9(`r${i}`, i, i),
    );
    fc.assert(
      fc.property(fc.shuffledSubarray(responses, { minLength: responses.length }), (order) => {
        const stored = order.reduce(withResponse, EMPTY_SURVEY_STATE);
        const rebuilt = surveyStateOf(responses);
        expect({ ...stored, version: 0 }).toEqual(rebuilt);
      }),
    );
  });

  it('serves a trend window from the kept series only when no older response can be in it', () => {
    const all = surveyStateOf(Array.from({ length: 5 }, (_, i) => cbi(`r${i}`, i * 10, 50)));
    // Every response is kept: any window is complete, even one starting long before the first.
    expect(cbiSeriesWithin(all, at(-400), at(25))?.map((o) => o.responseId)).toEqual(['r0', 'r1', 'r2']);
    const truncated = surveyStateOf(
      Array.from({ length: CBI_SERIES_KEPT + 3 }, (_, i) => cbi(`r${i}`, i, 50)),
    );
    // The oldest kept is day 3: a window from day 3 on is complete, one from day 2 needs the responses.
    expect(cbiSeriesWithin(truncated, at(3), at(5))?.map((o) => o.responseId)).toEqual(['r3', 'r4', 'r5']);
    expect(cbiSeriesWithin(truncated, at(2), at(5))).toBeUndefined();
    expect(cbiSeriesWithin(EMPTY_SURVEY_STATE, at(0), at(1))).toEqual([]);
  });
});

describe('the stored survey state (surveyStateFrom)', () => {
  const state = withResponse(withResponse(EMPTY_SURVEY_STATE, phq9('a', 2, 12)), cbi('c', 0, 25));
  const stored = { PK: 'stored-pk', SK: 'stored-sk', entityType: 'SURVEY_STATE', ...state };

  it('reads back what was stored, without the storage attributes, and none as the empty state', () => {
    expect(surveyStateFrom(stored)).toEqual(state);
    expect(surveyStateFrom(undefined)).toEqual(EMPTY_SURVEY_STATE);
  });

  it('refuses a row that is not a survey state instead of handing the alert rules a wrong value', () => {
    const wrongBand = { ...stored, latest: { phq9: { ...state.latest.phq9, band: 3 } } };
    const wrongInstrument = { ...stored, latest: { phq10: state.latest.phq9 } };
    const wrongSeries = { ...stored, cbiSeries: [{ responseId: 'c', at: at(0), work: '25', personal: 50 }] };
    for (const row of [wrongBand, wrongInstrument, wrongSeries]) expect(() => surveyStateFrom(row)).toThrow();
    expect(() => surveyStateFrom(wrongBand)).toThrow('item.latest.phq9.band');
  });

  /** The zod schema the written-out parse replaced (shared/data/survey-repository.ts), as the oracle. */
  const ZOD_ORACLE = z.object({
    version: z._default(z.int().check(z.minimum(0)), 0),
    latest: z._default(
      z.partialRecord(
        z.enum(INSTRUMENT_IDS),
        z.object({
          id: z.string(),
          submittedAt: z.string(),
          version: z.string(),
          scores: z.object({
            total: z.nullable(z.number()),
            raw: z.optional(z.number()),
            subscales: z.optional(z.record(z.string(), z.number())),
          }),
          band: z.nullable(z.string()),
        }),
      ),
      {},
    ),
    cbiSeries: z._default(z.array(BurnoutPoint), []),
    cbiCount: z._default(z.int().check(z.minimum(0)), 0),
  });

  /**
   * Anything at all, including what a DynamoDB item can hold beside plain values (a string set, a
   * binary) and objects without a prototype.
   */
  const other = fc.oneof(
    fc.anything(),
    fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, '1'),
    fc.constantFrom(new Set(['phq9']), new Set([1]), new Uint8Array([1]), new Date(0)),
    fc
      .dictionary(fc.string({ maxLength: 4 }), fc.anything())
      .map((d) => Object.assign(Object.create(null), d)),
  );
  /** Mostly the right kind of value (so that whole rows parse often), sometimes anything. */
  const mostly = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: other });
  /** A record from entries: `Object.fromEntries` makes `__proto__` an own key, as a parsed JSON row can. */
  const entries = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>) =>
    fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 4 }), fc.boolean()).map(([pairs, withHidden]) => {
      const record = Object.fromEntries(pairs);
      // A non-enumerable key is not one of the record's keys, whatever its value.
      if (withHidden) Object.defineProperty(record, 'hidden', { value: Number.NaN, enumerable: false });
      return record;
    });
  const count = fc.oneof(
    { weight: 8, arbitrary: fc.nat() },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.constant(2 ** 53)) },
  );
  const score = fc.oneof(
    { weight: 8, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.NEGATIVE_INFINITY, -0) },
  );
  const text = fc.string({ maxLength: 8 });
  const key = fc.oneof(
    { weight: 8, arbitrary: text },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString') },
  );
  const scores = fc.record(
    {
      total: mostly(fc.option(score, { nil: null })),
      raw: mostly(score),
      subscales: mostly(entries(key, mostly(score))),
      extra: other,
    },
    { requiredKeys: ['total'] },
  );
  const latestEntry = fc.record(
    {
      id: mostly(text),
      submittedAt: mostly(text),
      version: mostly(text),
      scores: mostly(scores),
      band: mostly(fc.option(text, { nil: null })),
      extra: other,
    },
    { requiredKeys: ['id', 'submittedAt', 'version', 'scores', 'band'] },
  );
  const instrumentKey = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...INSTRUMENT_IDS) },
    { weight: 1, arbitrary: key },
  );
  const point = fc.record(
    {
      responseId: mostly(text),
      at: mostly(text),
      work: mostly(score),
      personal: mostly(score),
      client: mostly(score),
      extra: other,
    },
    { requiredKeys: ['responseId', 'at', 'work', 'personal'] },
  );
  const storedState = fc.record(
    {
      PK: text,
      version: mostly(count),
      latest: mostly(entries(instrumentKey, mostly(latestEntry))),
      cbiSeries: mostly(fc.array(mostly(point), { maxLength: 4 })),
      cbiCount: mostly(count),
    },
    { requiredKeys: [] },
  );

  it('accepts and reads exactly what the zod schema it replaced accepts and reads (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 9, arbitrary: storedState },
          // Not a missing row (undefined): that is the empty state, answered before any parse.
          { weight: 1, arbitrary: other.filter((row) => Boolean(row)) },
        ),
        (row) => {
          const expected = ZOD_ORACLE.safeParse(row);
          if (expected.success) expect(surveyStateFrom(row)).toStrictEqual(expected.data);
          else expect(() => surveyStateFrom(row)).toThrow('stored survey state');
        },
      ),
      { numRuns: 3000 },
    );
  });

  describe('a stored response (surveyResponseFrom)', () => {
    const response = cbi('r', 1, 50);
    const storedResponse = { PK: 'pk', SK: 'sk', entityType: 'SURVEY_RESPONSE', createdAt: 'c', ...response };

    it('reads back what was stored, without the keys and bookkeeping fields, and refuses what is not one', () => {
      expect(surveyResponseFrom(storedResponse)).toEqual(response);
      expect(() => surveyResponseFrom({ ...storedResponse, instrument: 'phq10' })).toThrow(
        'stored survey response: item.instrument is malformed',
      );
    });

    const answer = fc.oneof(
      { weight: 4, arbitrary: score },
      { weight: 4, arbitrary: text },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'x'.repeat(MAX_ANSWER_LENGTH),
          'x'.repeat(MAX_ANSWER_LENGTH + 1),
          // Counted in code points, as zod counts: two UTF-16 units each.
          '😀'.repeat(MAX_ANSWER_LENGTH),
          '😀'.repeat(MAX_ANSWER_LENGTH + 1),
        ),
      },
    );
    const storedItem = fc.record(
      {
        PK: text,
        entityType: text,
        updatedAt: text,
        id: mostly(text),
        userId: mostly(text),
        instrument: mostly(instrumentKey),
        version: mostly(text),
        answers: mostly(entries(key, mostly(answer))),
        scores: mostly(scores),
        band: mostly(fc.option(text, { nil: null })),
        flags: mostly(fc.array(mostly(text), { maxLength: 3 })),
        subscaleBands: mostly(entries(key, mostly(text))),
        submittedAt: mostly(text),
        extra: other,
      },
      {
        requiredKeys: [
          'id',
          'userId',
          'instrument',
          'version',
          'answers',
          'scores',
          'band',
          'flags',
          'submittedAt',
        ],
      },
    );

    it("accepts and reads exactly what the contract's SurveyResponse schema accepts and reads (property)", () => {
      const bookkeeping = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entityType', 'createdAt', 'updatedAt']);
      fc.assert(
        fc.property(storedItem, (item) => {
          const fields = Object.fromEntries(Object.entries(item).filter(([name]) => !bookkeeping.has(name)));
          const expected = z.safeParse(SurveyResponse, fields);
          if (expected.success) expect(surveyResponseFrom(item)).toStrictEqual(expected.data);
          else expect(() => surveyResponseFrom(item)).toThrow('stored survey response');
        }),
        { numRuns: 3000 },
      );
    });
  });
});
