import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  ANALYSIS_INPUTS,
  ANALYSIS_INPUTS_CHECKED,
  ANALYSIS_TYPES,
  AnalysisBatchBody,
  AnalysisBatchBodyChecked,
  AnalysisBatchParams,
  AnalysisBatchParamsChecked,
  EMOTION_LABELS,
  MAX_BATCH_ITEMS,
  type AnalysisType,
} from '#contract/analysis.ts';
import {
  storeBatchCheckedRoute,
  storeBatchRoute,
  storeChatCheckedRoute,
  storeChatRoute,
  storeSpeechCheckedRoute,
  storeSpeechRoute,
  storeVideoCheckedRoute,
  storeVideoRoute,
} from '#contract/routes/analyses.ts';
import { issuesToDetails } from '#http/validation.ts';
import { asParsedJson, entries, holdsToSchema, mostly, outcome } from './support/checked-oracle.ts';

/** Something with a `length` that is not a string: zod's length checks run on it after the wrong type. */
const lengthy = fc.oneof(
  fc.array(fc.constantFrom('crisis', 'self_harm', 'x'), { maxLength: 4 }),
  fc.record({ length: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ length: fc.integer({ min: -1, max: 3 }) }),
);

/** Around each bound, and outside the safe integers and the finite numbers JSON can carry. */
const number = (...edges: number[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...edges) },
    { weight: 3, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 53, -(2 ** 53), 1e300, -0, '1', null, true) },
  );
const probability = number(0, 1, 0.5, -0.001, 1.001);

const label = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EMOTION_LABELS) },
  { weight: 1, arbitrary: fc.constantFrom('boredom', '__proto__', 'Joy', 'constructor') },
);
const emotionScores = mostly(entries(label, mostly(probability, 20), 4));

const indicatorName = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'Stress',
      'ünicode',
      '',
      '7',
      'a'.repeat(40),
      'a'.repeat(41),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
);
/** Maps of any content, and maps of valid entries one below, at and one above their limit, sometimes plus one more. */
const freeForm = (value: fc.Arbitrary<unknown>, limit: number) =>
  fc.oneof(
    { weight: 6, arbitrary: entries(indicatorName, value) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), {
            minLength: limit - 1,
            maxLength: limit + 1,
          }),
          fc.option(fc.tuple(indicatorName, value), { nil: undefined }),
        )
        .map(([names, extra]) =>
          Object.fromEntries([...names.map((name) => [name, 0.5] as const), ...(extra ? [extra] : [])]),
        ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
  );

/** Names and versions around their lengths, with spaces to trim, counted in code points. */
const modelText = (max: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.string({ maxLength: 4 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '  ',
        ' m ',
        'm'.repeat(max),
        'm'.repeat(max + 1),
        ` ${'m'.repeat(max)} `,
        '😀'.repeat(max),
        '😀'.repeat(max + 1),
        '\ud800',
      ),
    },
    { weight: 1, arbitrary: lengthy },
  );
const model = mostly(
  fc
    .record({ name: modelText(100), version: modelText(50) }, { requiredKeys: [] })
    .chain((fields) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(fields) },
        { weight: 1, arbitrary: fc.constant({ ...fields, extra: 1 }) },
      ),
    ),
);
const sentiment = mostly(
  fc.record(
    {
      label: mostly(fc.constantFrom('positive', 'negative', 'neutral', 'meh')),
      score: probability,
      extra: fc.constant(true),
    },
    { requiredKeys: [] },
  ),
  8,
);

const timestamp = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00+02:00') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('yesterday', '2026-02-30T10:00:00Z', '2026-11-20T10:00:00', '2026-11-20', ''),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const userId = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', '', 'A'.repeat(36)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const sourceId = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'a\nb',
      's'.repeat(1024),
      's'.repeat(1025),
      '😀'.repeat(1024),
      '😀'.repeat(1025),
    ),
  },
  { weight: 1, arbitrary: lengthy },
);
const riskFlags = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constantFrom('crisis', 'self_harm', 'bored'), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'ab', 'abc') },
  { weight: 1, arbitrary: lengthy },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const transcription = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom('', 't'.repeat(20_000), 't'.repeat(20_001), '😀'.repeat(20_001)) },
  { weight: 1, arbitrary: lengthy },
);

/** Mostly a valid value of the field (so that whole bodies pass often), now and then one of its edges. */
const validOr = <T, U>(valid: fc.Arbitrary<T>, edges: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: edges });
const validProbability = fc.double({ min: 0, max: 1, noNaN: true });
const validName = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const fields = {
  userId: validOr(fc.uuid(), userId),
  sentiment: validOr(
    fc.record({ label: fc.constantFrom('positive', 'negative', 'neutral'), score: validProbability }),
    sentiment,
  ),
  emotions: validOr(
    entries(fc.constantFrom(...EMOTION_LABELS), validProbability, 3).filter(
      (map) => Object.keys(map).length > 0,
    ),
    emotionScores,
  ),
  model: validOr(
    fc.record({ name: fc.constantFrom('m', ' m ', 'model-x'), version: fc.constantFrom('1', ' 2.0') }),
    model,
  ),
  analyzedAt: timestamp,
  mentalState: validOr(entries(validName, validProbability), freeForm(probability, 20)),
  riskFlags: validOr(fc.subarray(['crisis', 'self_harm']), riskFlags),
  sourceId: validOr(fc.stringMatching(/^[a-z0-9:/.-]{1,10}$/), sourceId),
  transcription: validOr(fc.string({ minLength: 1, maxLength: 6 }), transcription),
  durationSec: validOr(
    fc.double({ min: 0.001, max: 86_400, noNaN: true }),
    number(86_400, 86_400.5, 0, 0.001, -1, 12.5),
  ),
  voiceFeatures: validOr(
    entries(validName, fc.double({ noNaN: true, noDefaultInfinity: true })),
    freeForm(number(-1, 0, 3.5), 50),
  ),
  facialEmotions: validOr(
    entries(fc.constantFrom(...EMOTION_LABELS), validProbability, 3).filter(
      (map) => Object.keys(map).length > 0,
    ),
    emotionScores,
  ),
  framesAnalysed: validOr(
    fc.integer({ min: 1, max: 10_000_000 }),
    number(1, 0, 10_000_000, 10_000_001, 300, 1.5),
  ),
};
const REQUIRED: Record<AnalysisType, Array<keyof typeof fields>> = {
  chat: ['sentiment', 'emotions', 'model', 'analyzedAt'],
  speech: ['sentiment', 'emotions', 'model', 'analyzedAt', 'durationSec'],
  video: ['sentiment', 'emotions', 'model', 'analyzedAt', 'facialEmotions', 'framesAnalysed', 'durationSec'],
};
const OPTIONAL: Record<AnalysisType, Array<keyof typeof fields>> = {
  chat: ['userId', 'mentalState', 'riskFlags', 'sourceId'],
  speech: ['userId', 'mentalState', 'riskFlags', 'sourceId', 'transcription', 'voiceFeatures'],
  video: ['userId', 'mentalState', 'riskFlags', 'sourceId'],
};

/**
 * Bodies of one type: mostly with its required fields (so that bodies pass often), some of its optional
 * ones, now and then a field of another type or one no type has, sometimes any fields left out.
 */
const bodyOf = (type: AnalysisType) => {
  const own = Object.fromEntries([...REQUIRED[type], ...OPTIONAL[type]].map((name) => [name, fields[name]]));
  const complete = fc.record(own, { requiredKeys: REQUIRED[type] });
  const body = fc.oneof(
    { weight: 8, arbitrary: complete },
    { weight: 1, arbitrary: fc.record(own, { requiredKeys: [] }) },
  );
  return fc
    .tuple(
      body,
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('extra', '__proto__', 'transcription', 'framesAnalysed', 'UserId'),
        },
      ),
      fc.jsonValue({ maxDepth: 1 }),
    )
    .map(([values, extra, value]) =>
      extra === null || extra in values
        ? values
        : Object.fromEntries([...Object.entries(values), [extra, value]]),
    );
};

describe('the analysis inputs, checked by hand (ANALYSIS_INPUTS_CHECKED)', () => {
  it.each(ANALYSIS_TYPES)(
    '%s: passes and refuses exactly what the contract schema does: the same parsed body, the same 400 details (property)',
    (type) => {
      holdsToSchema(
        ANALYSIS_INPUTS[type],
        ANALYSIS_INPUTS_CHECKED[type],
        fc
          .oneof(
            { weight: 20, arbitrary: bodyOf(type) },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          )
          .map(asParsedJson),
        { runs: 4000, atLeast: 600 },
      );
    },
  );
});

describe('the analysis stores as their handlers run them', () => {
  it.each([
    ['chat', storeChatCheckedRoute, storeChatRoute],
    ['speech', storeSpeechCheckedRoute, storeSpeechRoute],
    ['video', storeVideoCheckedRoute, storeVideoRoute],
  ] as const)("%s: the route table's store route in all but the body schema", (type, checkedRoute, route) => {
    const { request: checked, ...runtime } = checkedRoute;
    const { request: contract, ...table } = route;
    expect(runtime).toStrictEqual(table);
    expect(checked.body).toBe(ANALYSIS_INPUTS_CHECKED[type]);
    expect(contract.body).toBe(ANALYSIS_INPUTS[type]);
  });

  it('names each problem as the contract schema does (examples)', () => {
    const input = asParsedJson({
      sentiment: { label: 'meh', score: 2 },
      emotions: { joy: 0.5, boredom: 0.1 },
      model: { name: '  ', version: '1' },
      analyzedAt: 'yesterday',
      mentalState: { Stress: 0.5, fatigue: 1.5 },
      riskFlags: ['crisis', 'self_harm', 'crisis'],
      durationSec: 0,
      extra: 1,
    });
    expect(outcome(ANALYSIS_INPUTS_CHECKED.speech, input)).toEqual({
      details: [
        {
          field: 'body.sentiment.label',
          code: 'invalid_value',
          message: 'must be one of: positive, negative, neutral',
        },
        { field: 'body.sentiment.score', code: 'too_big', message: 'must be ≤ 1' },
        { field: 'body.emotions.boredom', code: 'unrecognized_keys', message: 'is not an allowed field' },
        { field: 'body.model.name', code: 'too_small', message: 'must be at least 1 characters' },
        { field: 'body.analyzedAt', code: 'invalid_format', message: 'must be a valid datetime' },
        {
          field: 'body.mentalState.Stress',
          code: 'invalid_key',
          message:
            'is not an allowed key: must be a lowercase letter, then up to 39 lowercase letters, digits or `_`',
        },
        { field: 'body.mentalState.fatigue', code: 'too_big', message: 'must be ≤ 1' },
        { field: 'body.riskFlags', code: 'too_big', message: 'must have at most 2 items' },
        { field: 'body.durationSec', code: 'too_small', message: 'must be > 0' },
        { field: 'body.extra', code: 'unrecognized_keys', message: 'is not an allowed field' },
      ],
    });
    expect(outcome(ANALYSIS_INPUTS_CHECKED.speech, input)).toStrictEqual(
      outcome(ANALYSIS_INPUTS.speech, input),
    );
  });
});

describe("the batch's request, checked by hand (AnalysisBatchParamsChecked, AnalysisBatchBodyChecked)", () => {
  const outcomeIn = (location: 'params' | 'body', schema: z.ZodMiniType, input: unknown) => {
    const result = z.safeParse(schema, input);
    return result.success
      ? { value: result.data }
      : { details: issuesToDetails(location, result.error.issues, input) };
  };

  it('its body: passes and refuses exactly what AnalysisBatchBody does, with the same 400 details (property)', () => {
    let passed = 0;
    let refused = 0;
    const items = fc.oneof(
      { weight: 12, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 4 }) },
      {
        weight: 3,
        arbitrary: fc
          .constantFrom(0, MAX_BATCH_ITEMS - 1, MAX_BATCH_ITEMS, MAX_BATCH_ITEMS + 1, 250)
          .map((length) => Array.from({ length }, (_, index) => ({ index }))),
      },
      { weight: 2, arbitrary: lengthy },
      { weight: 1, arbitrary: fc.record({ length: fc.constantFrom(0, 1, 100, 101, '5', null) }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    );
    const body = fc
      .tuple(
        fc.oneof(
          { weight: 8, arbitrary: fc.record({ items }) },
          { weight: 1, arbitrary: fc.record({ items }, { requiredKeys: [] }) },
        ),
        fc.oneof(
          { weight: 8, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom('extra', '__proto__', 'Items') },
        ),
      )
      .map(([fields, extra]) =>
        extra === undefined ? fields : Object.fromEntries([...Object.entries(fields), [extra, 1]]),
      );
    fc.assert(
      fc.property(
        fc
          .oneof(
            { weight: 12, arbitrary: body },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          )
          .map(asParsedJson),
        (input) => {
          const expected = outcomeIn('body', AnalysisBatchBody, input);
          expect(outcomeIn('body', AnalysisBatchBodyChecked, input)).toStrictEqual(expected);
          if (expected.value) passed++;
          else refused++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(passed, `${passed} passed`).toBeGreaterThan(300);
    expect(refused, `${refused} refused`).toBeGreaterThan(300);
  });

  it('its type parameter: the same parsed value or the same 400 details as AnalysisBatchParams', () => {
    const inputs = [
      ...ANALYSIS_TYPES.map((type) => ({ type })),
      { type: 'audio' },
      { type: 'Chat' },
      {},
      { type: 'chat', other: 'x' },
      null,
      undefined,
      'chat',
    ];
    for (const input of inputs)
      expect(outcomeIn('params', AnalysisBatchParamsChecked, input)).toStrictEqual(
        outcomeIn('params', AnalysisBatchParams, input),
      );
  });

  it("is the route table's batch route in all but the request schemas", () => {
    const { request: checked, ...runtime } = storeBatchCheckedRoute;
    const { request: contract, ...table } = storeBatchRoute;
    expect(runtime).toStrictEqual(table);
    expect(checked).toStrictEqual({ params: AnalysisBatchParamsChecked, body: AnalysisBatchBodyChecked });
    expect(contract).toStrictEqual({ params: AnalysisBatchParams, body: AnalysisBatchBody });
  });
});
