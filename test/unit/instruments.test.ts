import { resolve } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_IDS } from '#contract/survey.ts';
import { InstrumentCatalogue } from '#contract/survey.ts';
import {
  answerProblems,
  describeInstrument,
  instrumentCatalogue,
  INSTRUMENTS,
  scoreResponse,
  type Instrument,
} from '#domain/instruments/index.ts';
import { cbi } from '#domain/instruments/cbi.ts';
import { gad7 } from '#domain/instruments/gad7.ts';
import { phq9 } from '#domain/instruments/phq9.ts';
import { pss10 } from '#domain/instruments/pss10.ts';
import { who5 } from '#domain/instruments/who5.ts';

/** Answers with every listed item set to `value`, then the overrides. */
const answersOf = (ids: readonly string[], value: number, overrides: Record<string, number> = {}) => ({
  ...Object.fromEntries(ids.map((id) => [id, value])),
  ...overrides,
});
const q = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`);
const CBI_PERSONAL = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
const CBI_WORK = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7'];
const CBI_CLIENT = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

const scored = (instrument: Instrument, answers: Record<string, unknown>) => {
  const result = scoreResponse(instrument, answers);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.result;
};

/** Answers whose sum over q1..qn is exactly `total` (fills items up to `max` from the first). */
const summingTo = (n: number, max: number, total: number) => {
  const answers: Record<string, number> = {};
  let left = total;
  for (const id of q(n)) {
    const value = Math.min(max, left);
    answers[id] = value;
    left -= value;
  }
  if (left !== 0) throw new Error('total out of range');
  return answers;
};

describe('PHQ-9', () => {
  // Every band boundary: the last score of a band and the first of the next.
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('total %i is %s', (total, band) => {
    // Item 9 stays 0 (filled last), so the flag does not interfere unless the total needs it.
    const result = scored(phq9, summingTo(9, 3, total));
    expect(result.scores.total).toBe(total);
    expect(result.band).toBe(band);
    expect(result.flags.includes('screen_positive')).toBe(total >= 10);
  });

  it('raises suicidal_ideation for item 9 > 0 whatever the total', () => {
    const result = scored(phq9, answersOf(q(9), 0, { q9: 1 }));
    expect(result.scores.total).toBe(1);
    expect(result.band).toBe('minimal');
    expect(result.flags).toEqual(['suicidal_ideation']);
    expect(scored(phq9, answersOf(q(9), 0)).flags).toEqual([]);
  });

  it('records item 10 without scoring it, and does not require it', () => {
    const without = scored(phq9, answersOf(q(9), 2));
    const withItem10 = scored(phq9, answersOf(q(9), 2, { q10: 3 }));
    expect(withItem10.scores.total).toBe(18);
    expect(withItem10).toEqual(without);
  });
});

describe('GAD-7', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('total %i is %s', (total, band) => {
    const result = scored(gad7, summingTo(7, 3, total));
    expect(result.scores.total).toBe(total);
    expect(result.band).toBe(band);
    expect(result.flags).toEqual(total >= 10 ? ['screen_positive'] : []);
  });
});

describe('WHO-5', () => {
  it.each([
    // raw, ×4, band, flags — items spread evenly so no item is ≤ 1 unless the total forces it
    [{ q1: 5, q2: 5, q3: 5, q4: 5, q5: 5 }, 25, 100, 'good', []],
    [{ q1: 0, q2: 0, q3: 0, q4: 0, q5: 0 }, 0, 0, 'poor', ['likely_depression', 'low_item']],
    // 13 × 4 = 52: the lowest good total
    [{ q1: 3, q2: 3, q3: 3, q4: 2, q5: 2 }, 13, 52, 'good', []],
    // 12 × 4 = 48: below 50 is poor
    [{ q1: 3, q2: 3, q3: 2, q4: 2, q5: 2 }, 12, 48, 'poor', []],
    // 7 × 4 = 28: likely depression at ≤ 28 (and items of 1 make it low)
    [{ q1: 2, q2: 2, q3: 1, q4: 1, q5: 1 }, 7, 28, 'poor', ['likely_depression', 'low_item']],
    // 8 × 4 = 32: above 28, not flagged
    [{ q1: 2, q2: 2, q3: 2, q4: 2, q5: 0 }, 8, 32, 'poor', ['low_item']],
    // a high total with one item at 1 is still poor
    [{ q1: 5, q2: 5, q3: 5, q4: 5, q5: 1 }, 21, 84, 'poor', ['low_item']],
    // … and at 2 it is not
    [{ q1: 5, q2: 5, q3: 5, q4: 5, q5: 2 }, 22, 88, 'good', []],
  ])('%j → raw %i, %i, %s', (answers, raw, total, band, flags) => {
    const result = scored(who5, answers);
    expect(result.scores).toEqual({ total, raw });
    expect(result.band).toBe(band);
    expect(result.flags).toEqual(flags);
  });
});

describe('PSS-10', () => {
  it.each(['q4', 'q5', 'q7', 'q8'])('reverse-scores %s (4 − x)', (id) => {
    const base = answersOf(q(10), 0, { q4: 4, q5: 4, q7: 4, q8: 4 }); // reverse items at 4 count 0
    expect(scored(pss10, base).scores.total).toBe(0);
    expect(scored(pss10, { ...base, [id]: 0 }).scores.total).toBe(4);
    expect(scored(pss10, { ...base, [id]: 1 }).scores.total).toBe(3);
  });

  it.each(['q1', 'q2', 'q3', 'q6', 'q9', 'q10'])('scores %s as answered', (id) => {
    const base = answersOf(q(10), 0, { q4: 4, q5: 4, q7: 4, q8: 4 });
    expect(scored(pss10, { ...base, [id]: 3 }).scores.total).toBe(3);
  });

  it.each([
    [0, 'low'],
    [13, 'low'],
    [14, 'moderate'],
    [26, 'moderate'],
    [27, 'high'],
    [40, 'high'],
  ])('total %i is %s', (total, band) => {
    // Forward items first (6 × 4 = 24), then reverse items lowered from 4 to add the rest.
    const answers: Record<string, number> = answersOf(q(10), 0, { q4: 4, q5: 4, q7: 4, q8: 4 });
    let left = total;
    for (const id of ['q1', 'q2', 'q3', 'q6', 'q9', 'q10', 'q4', 'q5', 'q7', 'q8']) {
      const add = Math.min(4, left);
      answers[id] = ['q4', 'q5', 'q7', 'q8'].includes(id) ? 4 - add : add;
      left -= add;
    }
    const result = scored(pss10, answers);
    expect(result.scores.total).toBe(total);
    expect(result.band).toBe(band);
  });

  it('is flagged in the catalogue as not free for commercial use', () => {
    const entry = instrumentCatalogue().instruments.find((i) => i.id === 'pss10');
    expect(entry?.licence.commercialUseAllowed).toBe(false);
    expect(entry?.licence.note).toMatch(/non-commercial/);
  });
});

describe('CBI', () => {
  const cbiAnswers = (personal: number, work: number, client?: number) => ({
    ...answersOf(CBI_PERSONAL, personal),
    // the reverse item answered so that it scores like the others
    ...answersOf(CBI_WORK, work, { w7: 4 - work }),
    ...(client === undefined ? {} : answersOf(CBI_CLIENT, client)),
  });

  it('maps answers 0–4 to 0/25/50/75/100 and averages each subscale', () => {
    for (const value of [0, 1, 2, 3, 4]) {
      const result = scored(cbi, cbiAnswers(value, value, value));
      expect(result.scores.subscales).toEqual({ personal: value * 25, work: value * 25, client: value * 25 });
      expect(result.scores.total).toBe(value * 25);
    }
  });

  it('reverse-scores the leisure-energy work item ((4 − x) × 25)', () => {
    // Every work item 0 except w7: w7 = 0 scores 100, w7 = 4 scores 0.
    const base = { ...answersOf(CBI_PERSONAL, 0), ...answersOf(CBI_WORK, 0) };
    expect(scored(cbi, { ...base, w7: 0 }).scores.subscales?.work).toBe(14.29); // 100 / 7
    expect(scored(cbi, { ...base, w7: 4 }).scores.subscales?.work).toBe(0);
    expect(scored(cbi, { ...base, w7: 1 }).scores.subscales?.work).toBe(10.71); // 75 / 7
    expect(cbi.items.filter((item) => item.reverseScored).map((item) => item.id)).toEqual(['w7']);
  });

  it.each([
    // work answers (7 items, w7 entered as answered) → mean → band
    [[2, 2, 2, 2, 2, 1, 2], 46.43, 'low'], // (50·5 + 25 + 50) / 7 = 325/7, the highest low mean (w7 = 2 → 50)
    [[2, 2, 2, 2, 2, 2, 2], 50, 'moderate'],
    [[3, 3, 3, 2, 2, 2, 2], 60.71, 'moderate'],
    [[3, 3, 3, 3, 3, 3, 1], 75, 'high'], // w7 = 1 → 75
    [[4, 4, 4, 4, 4, 4, 1], 96.43, 'high'],
    [[4, 4, 4, 4, 4, 4, 0], 100, 'severe'],
  ])('work answers %j → %f (%s), the response band', (work, mean, band) => {
    const answers = {
      ...answersOf(CBI_PERSONAL, 0),
      ...Object.fromEntries(CBI_WORK.map((id, i) => [id, work[i] as number])),
    };
    const result = scored(cbi, answers);
    expect(result.scores.subscales?.work).toBe(mean);
    expect(result.scores.total).toBe(mean);
    expect(result.band).toBe(band);
    expect(result.subscaleBands?.work).toBe(band);
    expect(result.subscaleBands?.personal).toBe('low');
  });

  it.each([
    [1, 25, 'low'],
    [2, 50, 'moderate'],
    [3, 75, 'high'],
    [4, 100, 'severe'],
  ])('bands the personal subscale too (all %i → %i, %s)', (value, score, band) => {
    const result = scored(cbi, cbiAnswers(value, 0));
    expect(result.scores.subscales?.personal).toBe(score);
    expect(result.subscaleBands?.personal).toBe(band);
    expect(result.band).toBe('low'); // the response band is the work-related one
  });

  it('has no client subscale when the client block is left out, and wants all six when started', () => {
    const result = scored(cbi, cbiAnswers(1, 1));
    expect(result.scores.subscales).toEqual({ personal: 25, work: 25 });
    const partial = scoreResponse(cbi, { ...cbiAnswers(1, 1), c1: 2, c2: 2 });
    expect(partial.ok).toBe(false);
    if (!partial.ok)
      expect(partial.problems.map((p) => p.field)).toEqual(
        ['c3', 'c4', 'c5', 'c6'].map((id) => `body.answers.${id}`),
      );
  });

  it('requires every personal and work item', () => {
    const { p3: _p3, w7: _w7, ...answers } = cbiAnswers(2, 2);
    const result = scoreResponse(cbi, answers);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((p) => [p.field, p.code])).toEqual([
        ['body.answers.p3', 'missing'],
        ['body.answers.w7', 'missing'],
      ]);
  });
});

describe('answer problems name each item', () => {
  it('reports missing, non-integer, out-of-range and unknown items at once', () => {
    const problems = answerProblems(phq9, {
      ...answersOf(q(9), 1),
      q2: undefined as unknown as number,
      q3: 1.5,
      q4: '2',
      q5: 4,
      q6: -1,
      q10: 4,
      q11: 0,
    });
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['body.answers.q11', 'unknown_item'],
      ['body.answers.q2', 'missing'],
      ['body.answers.q3', 'not_integer'],
      ['body.answers.q4', 'not_integer'],
      ['body.answers.q5', 'out_of_range'],
      ['body.answers.q6', 'out_of_range'],
      ['body.answers.q10', 'out_of_range'],
    ]);
    expect(problems.find((p) => p.field === 'body.answers.q5')?.message).toBe('must be between 0 and 3');
  });

  it.each([
    [gad7, 'q1', 4],
    [who5, 'q1', 6],
    [pss10, 'q1', 5],
    [cbi, 'p1', 5],
  ] as const)('%s: one above the scale is out of range', (instrument, id, value) => {
    const problems = answerProblems(instrument, { [id]: value });
    expect(problems).toContainEqual(
      expect.objectContaining({ field: `body.answers.${id}`, code: 'out_of_range' }),
    );
  });

  it('custom stores anything short and scores nothing', () => {
    const custom = INSTRUMENTS.custom;
    expect(scored(custom, { mood: 'ok', energy: 7 })).toEqual({
      scores: { total: null },
      band: null,
      flags: [],
    });
    expect(answerProblems(custom, {})).toEqual([
      { field: 'body.answers', code: 'missing', message: 'at least one answer is required' },
    ]);
  });
});

describe('the catalogue', () => {
  it('words every item and every answer of every scale (the text is kept apart from the scoring)', () => {
    for (const entry of instrumentCatalogue().instruments) {
      for (const item of entry.items) {
        expect(item.label, `${entry.id}.${item.id}`).not.toBe(item.id);
        if (item.scale) expect(item.scale.anchors).toHaveLength(item.scale.max - item.scale.min + 1);
      }
      if (entry.scale)
        expect(entry.scale.anchors, entry.id).toHaveLength(entry.scale.max - entry.scale.min + 1);
    }
  });

  it('lists every instrument with ids, versions, items in order, scales, bands and licence notes', () => {
    const catalogue = instrumentCatalogue();
    expect(InstrumentCatalogue.parse(catalogue)).toEqual(catalogue);
    expect(catalogue.instruments.map((i) => i.id)).toEqual([...INSTRUMENT_IDS]);
    const phq = catalogue.instruments.find((i) => i.id === 'phq9');
    expect(phq?.items.map((i) => i.id)).toEqual([...q(9), 'q10']);
    expect(phq?.items.at(-1)).toMatchObject({ scored: false, optional: true });
    expect(phq?.bands).toEqual([
      { id: 'minimal', min: 0, below: 5 },
      { id: 'mild', min: 5, below: 10 },
      { id: 'moderate', min: 10, below: 15 },
      { id: 'moderately_severe', min: 15, below: 20 },
      { id: 'severe', min: 20 },
    ]);
    for (const instrument of catalogue.instruments) expect(instrument.licence.note.length).toBeGreaterThan(0);
  });

  it('stays out of a bundle that scores responses and never describes an instrument', async () => {
    // What surveys.submit does with the instruments, bundled and minified as a function is.
    const { outputFiles } = await build({
      stdin: {
        contents:
          "import { instrumentById, scoreResponse } from '#domain/instruments/index.ts';\n" +
          'export const score = (id, answers) => scoreResponse(instrumentById(id), answers);',
        resolveDir: resolve(import.meta.dirname, '../..'),
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
    });
    const bundle = outputFiles[0]?.text ?? '';
    expect(bundle).toContain('suicidal_ideation');
    for (const entry of instrumentCatalogue().instruments) expect(bundle, entry.id).not.toContain(entry.name);
  });
});

/** Random valid answers for an instrument (CBI with or without the client block; PHQ-9 with or without item 10). */
const validAnswers = (instrument: Instrument) =>
  fc
    .tuple(
      fc.record(
        Object.fromEntries(
          instrument.items
            .filter((item) => !item.optional)
            .map((item) => {
              const scale = item.scale ?? instrument.scale ?? { min: 0, max: 0 };
              return [item.id, fc.integer({ min: scale.min, max: scale.max })];
            }),
        ),
      ),
      fc.boolean(),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 6, maxLength: 6 }),
    )
    .map(([required, withOptional, extra]) => {
      if (!withOptional) return required;
      const optional = instrument.items.filter((item) => item.optional);
      return {
        ...required,
        ...Object.fromEntries(
          optional.map((item, i) => {
            const scale = item.scale ?? instrument.scale ?? { min: 0, max: 0 };
            return [item.id, Math.min(scale.max, extra[i] ?? 0)];
          }),
        ),
      };
    });

describe.each(['phq9', 'gad7', 'who5', 'pss10', 'cbi'] as const)('%s (property)', (id) => {
  const instrument = INSTRUMENTS[id];
  it('scores every valid response within range, and re-scoring the stored result reproduces it', () => {
    fc.assert(
      fc.property(validAnswers(instrument), (answers) => {
        const first = scoreResponse(instrument, answers);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        // What is stored is JSON: re-score the answers read back from it.
        const stored = JSON.parse(JSON.stringify({ answers, ...first.result })) as {
          answers: Record<string, number>;
        };
        const again = scoreResponse(instrument, stored.answers);
        expect(again).toEqual({ ok: true, result: JSON.parse(JSON.stringify(first.result)) });
        const range = describeInstrument(instrument).scoring.range;
        const total = first.result.scores.total;
        expect(total).not.toBeNull();
        if (range && total !== null) {
          expect(total).toBeGreaterThanOrEqual(range.min);
          expect(total).toBeLessThanOrEqual(range.max);
        }
        for (const value of Object.values(first.result.scores.subscales ?? {})) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
        }
        expect(instrument.bands.map((b) => b.id)).toContain(first.result.band);
      }),
      { numRuns: 300 },
    );
  });
});
