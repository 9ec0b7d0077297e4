import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { submitCheckedRoute, submitRoute } from '#contract/routes/surveys.ts';
import {
  INSTRUMENT_IDS,
  MAX_ANSWER_LENGTH,
  SubmitSurveyResponseBody,
  SubmitSurveyResponseBodyChecked,
} from '#contract/survey.ts';
import { asParsedJson, entries, holdsToSchema, mostly, outcome } from './support/checked-oracle.ts';

const itemId = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      '',
      'a b',
      'ä',
      '7',
      '-1.5',
      'x'.repeat(64),
      'x'.repeat(65),
      '1'.repeat(65),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

/** Something with a `length` that is not a string: zod's length checks run on it after the wrong type. */
const lengthy = fc.oneof(
  fc.array(fc.integer(), { maxLength: 40 }),
  fc.record({ length: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ length: fc.integer({ min: -1, max: 40 }) }),
);

/** Strings around the longest answer, counted in code points (an emoji is two UTF-16 units, one code point). */
const LONG_TEXTS = [
  'x'.repeat(MAX_ANSWER_LENGTH),
  'x'.repeat(MAX_ANSWER_LENGTH + 1),
  '😀'.repeat(MAX_ANSWER_LENGTH),
  '😀'.repeat(MAX_ANSWER_LENGTH + 1),
  `${'😀'.repeat(MAX_ANSWER_LENGTH - 1)}\ud800\ud800`,
];

const answer = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -2, max: 6 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: lengthy },
  { weight: 1, arbitrary: fc.constantFrom(...LONG_TEXTS) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);

const version = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 34 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'v'.repeat(32),
      'v'.repeat(33),
      '😀'.repeat(32),
      '😀'.repeat(33),
      '\ud800',
    ),
  },
  { weight: 2, arbitrary: lengthy },
);

const bodyFields = {
  instrument: mostly(fc.constantFrom(...INSTRUMENT_IDS, 'phq10', 'PHQ9')),
  version: mostly(version),
  answers: mostly(entries(itemId, answer)),
};
/** Mostly with an instrument and answers (so that bodies pass often), sometimes with any fields left out. */
const body = fc.oneof(
  { weight: 6, arbitrary: fc.record(bodyFields, { requiredKeys: ['instrument', 'answers'] }) },
  { weight: 1, arbitrary: fc.record(bodyFields, { requiredKeys: [] }) },
);

/** Now and then a field the body may not have, `__proto__` among them. */
const withExtraFields = fc
  .tuple(
    body,
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('extra', '__proto__', 'Instrument') },
    ),
    fc.jsonValue({ maxDepth: 1 }),
  )
  .map(([fields, extra, value]) =>
    extra === null ? fields : Object.fromEntries([...Object.entries(fields), [extra, value]]),
  );

describe("the submission's body, checked by hand (SubmitSurveyResponseBodyChecked)", () => {
  it('passes and refuses exactly what the contract schema does: the same parsed body, the same 400 details (property)', () => {
    holdsToSchema(
      SubmitSurveyResponseBody,
      SubmitSurveyResponseBodyChecked,
      fc
        .oneof(
          { weight: 12, arbitrary: withExtraFields },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
        .map(asParsedJson),
      { runs: 4000, atLeast: 400 },
    );
  });

  it('names each problem as the contract schema does (examples)', () => {
    const input = JSON.parse(
      '{"instrument":"phq10","version":"","answers":{"q1":true,"a b":1,"q2":"' +
        'x'.repeat(MAX_ANSWER_LENGTH + 1) +
        '"},"extra":1}',
    ) as unknown;
    expect(outcome(SubmitSurveyResponseBodyChecked, input)).toEqual({
      details: [
        {
          field: 'body.instrument',
          code: 'invalid_value',
          message: `must be one of: ${INSTRUMENT_IDS.join(', ')}`,
        },
        { field: 'body.version', code: 'too_small', message: 'must be at least 1 characters' },
        { field: 'body.answers.q1', code: 'invalid_union', message: 'does not match any allowed shape' },
        {
          field: 'body.answers.a b',
          code: 'invalid_key',
          message: 'is not an allowed key: must be 1–64 letters, digits, `_`, `.` or `-`',
        },
        { field: 'body.answers.q2', code: 'too_big', message: 'must be at most 1000 characters' },
        { field: 'body.extra', code: 'unrecognized_keys', message: 'is not an allowed field' },
      ],
    });
    expect(outcome(SubmitSurveyResponseBodyChecked, input)).toStrictEqual(
      outcome(SubmitSurveyResponseBody, input),
    );
  });

  it("is the route table's submission route in all but the body schema", () => {
    const { request: checked, ...runtime } = submitCheckedRoute;
    const { request: contract, ...table } = submitRoute;
    expect(runtime).toStrictEqual(table);
    expect(checked.body).toBe(SubmitSurveyResponseBodyChecked);
    expect(contract.body).toBe(SubmitSurveyResponseBody);
  });
});
