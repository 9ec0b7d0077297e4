import type { InstrumentDescription, InstrumentId } from '#contract/survey.ts';
import { cbi, cbiText } from './cbi.ts';
import { custom, CUSTOM_MAX_ANSWERS, customText } from './custom.ts';
import { gad7, gad7Text } from './gad7.ts';
import { phq9, phq9Text } from './phq9.ts';
import { pss10, pss10Text } from './pss10.ts';
import type { AnswerProblem, Instrument, InstrumentText, ScoreResult } from './types.ts';
import { who5, who5Text } from './who5.ts';

export type { AnswerProblem, Instrument, InstrumentText, ScoreResult } from './types.ts';

/** The catalogue: every instrument the API scores, at its current version. */
export const INSTRUMENTS: Readonly<Record<InstrumentId, Instrument>> = {
  phq9,
  gad7,
  who5,
  pss10,
  cbi,
  custom,
};

export const instrumentById = (id: InstrumentId): Instrument => INSTRUMENTS[id];

/**
 * The catalogue's words for each instrument. Only `describeInstrument` reads them, so a bundle that
 * scores responses and never describes an instrument leaves them out. Each is built by a pure-marked
 * `dropIfUnused` call: as a plain object literal, a flag rule written as a template literal around a
 * cut-off constant (`total ≥ ${…}`) counted as a side effect to esbuild and kept the PHQ-9, GAD-7 and
 * WHO-5 words in surveys.submit (2.5 KB).
 */
const INSTRUMENT_TEXTS: Readonly<Record<InstrumentId, InstrumentText>> = {
  phq9: phq9Text,
  gad7: gad7Text,
  who5: who5Text,
  pss10: pss10Text,
  cbi: cbiText,
  custom: customText,
};

const problem = (itemId: string, code: string, message: string): AnswerProblem => ({
  field: `body.answers.${itemId}`,
  code,
  message,
});

/** Every problem with a response's answers, each naming its item; empty when it can be scored. */
export const answerProblems = (
  instrument: Instrument,
  answers: Readonly<Record<string, unknown>>,
): AnswerProblem[] => {
  if (instrument.id === 'custom') {
    const count = Object.keys(answers).length;
    if (count === 0)
      return [{ field: 'body.answers', code: 'missing', message: 'at least one answer is required' }];
    if (count > CUSTOM_MAX_ANSWERS)
      return [{ field: 'body.answers', code: 'too_big', message: `at most ${CUSTOM_MAX_ANSWERS} answers` }];
    return Object.entries(answers)
      .filter(([, value]) => typeof value === 'number' && !Number.isFinite(value))
      .map(([id]) => problem(id, 'not_finite', 'must be a finite number or a string'));
  }
  const known = new Set(instrument.items.map((item) => item.id));
  const problems: AnswerProblem[] = Object.keys(answers)
    .filter((id) => !known.has(id))
    .map((id) =>
      problem(id, 'unknown_item', `is not an item of ${instrument.id} version ${instrument.version}`),
    );
  for (const item of instrument.items) {
    const value = answers[item.id];
    const scale = item.scale ?? instrument.scale;
    if (value === undefined) {
      if (!item.optional) problems.push(problem(item.id, 'missing', 'is required'));
    } else if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push(problem(item.id, 'not_integer', 'must be an integer'));
    } else if (scale && (value < scale.min || value > scale.max)) {
      problems.push(problem(item.id, 'out_of_range', `must be between ${scale.min} and ${scale.max}`));
    }
  }
  return [...problems, ...(instrument.checkAnswers?.(answers) ?? [])];
};

export type Scoring =
  | { readonly ok: true; readonly result: ScoreResult }
  | { readonly ok: false; readonly problems: AnswerProblem[] };

/**
 * Checks and scores a response: either the result, or every problem naming its item (never a silently
 * wrong score). Pure: re-scoring stored answers with the same version gives the stored result.
 */
export const scoreResponse = (
  instrument: Instrument,
  answers: Readonly<Record<string, unknown>>,
): Scoring => {
  const problems = answerProblems(instrument, answers);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, result: instrument.score(answers as Readonly<Record<string, number>>) };
};

/** What GET /surveys/instruments shows of an instrument: its scoring, in its own words. */
export const describeInstrument = (instrument: Instrument): InstrumentDescription => {
  const text = INSTRUMENT_TEXTS[instrument.id];
  return {
    id: instrument.id,
    version: instrument.version,
    name: text.name,
    measures: text.measures,
    period: text.period,
    items: instrument.items.map((item) => ({
      id: item.id,
      label: text.labels[item.id] ?? item.id,
      scored: item.scored !== false,
      optional: item.optional === true,
      ...(item.reverseScored ? { reverseScored: true } : {}),
      ...(item.subscale ? { subscale: item.subscale } : {}),
      ...(item.scale ? { scale: { ...item.scale, anchors: [...(text.itemAnchors?.[item.id] ?? [])] } } : {}),
    })),
    scale: instrument.scale ? { ...instrument.scale, anchors: [...(text.anchors ?? [])] } : null,
    scoring: text.scoring,
    bands: instrument.bands.map((band, index) => {
      const next = instrument.bands[index + 1];
      return { id: band.id, min: band.min, ...(next ? { below: next.min } : {}) };
    }),
    flags: text.flags.map((flag) => ({ ...flag })),
    severityJump: text.severityJump ?? null,
    licence: text.licence,
  };
};

export const instrumentCatalogue = () => ({
  instruments: Object.values(INSTRUMENTS).map(describeInstrument),
});
