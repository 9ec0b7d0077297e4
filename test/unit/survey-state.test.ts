import './support/test-env.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SurveyResponse } from '#contract/survey.ts';
import {
  CBI_SERIES_KEPT,
  cbiSeriesWithin,
  EMPTY_SURVEY_STATE,
  surveyStateOf,
  withResponse,
} from '#domain/survey-state.ts';
import { surveyStateFrom } from '#data/survey-repository.ts';

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
  });
});
