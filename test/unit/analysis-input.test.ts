import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_INPUTS,
  EMOTION_LABELS,
  ModelRef,
  Probability,
  RiskFlags,
  Sentiment,
  SourceId,
  type AnalysisType,
} from '#contract/analysis.ts';
import { freeFormMap, IsoTimestamp, pattern, uuid } from '#contract/common.ts';
import { issuesToDetails } from '#http/validation.ts';

/**
 * The analysis inputs count the keys of their maps (at least one emotion, at most 20 indicators, at most
 * 50 voice features) with `z.check`, not `z.refine`: the refinement is a schema kind of its own that
 * only these routes used (0.5 KB of every analysis store's bundle, docs/build.md). The oracle below is
 * the contract as it was written with `z.refine`; both must accept the same bodies with the same parsed
 * value and refuse the others with the same 400 details.
 */
const IndicatorName = z
  .string()
  .check(
    pattern(/^[a-z][a-z0-9_]{0,39}$/, 'a lowercase letter, then up to 39 lowercase letters, digits or `_`'),
  );
const OracleEmotionScores = z
  .strictObject(Object.fromEntries(EMOTION_LABELS.map((label) => [label, z.optional(Probability)])))
  .check(z.refine((value) => Object.keys(value).length > 0, { message: 'must name at least one emotion' }));
const DurationSec = z.number().check(z.positive(), z.maximum(86_400));
const oracleCommonFields = () => ({
  userId: z.optional(uuid()),
  sentiment: Sentiment,
  emotions: OracleEmotionScores,
  model: ModelRef,
  analyzedAt: IsoTimestamp,
  mentalState: z.optional(
    freeFormMap(IndicatorName, Probability).check(
      z.refine((value) => Object.keys(value).length <= 20, { message: 'must have at most 20 indicators' }),
    ),
  ),
  riskFlags: z.optional(RiskFlags),
  sourceId: z.optional(SourceId),
});
const ORACLE: Record<AnalysisType, z.ZodMiniType> = {
  chat: z.strictObject(oracleCommonFields()),
  speech: z.strictObject({
    ...oracleCommonFields(),
    transcription: z.optional(z.string().check(z.minLength(1), z.maxLength(20_000))),
    durationSec: DurationSec,
    voiceFeatures: z.optional(
      freeFormMap(IndicatorName, z.number()).check(
        z.refine((value) => Object.keys(value).length <= 50, { message: 'must have at most 50 features' }),
      ),
    ),
  }),
  video: z.strictObject({
    ...oracleCommonFields(),
    facialEmotions: OracleEmotionScores,
    framesAnalysed: z.int().check(z.minimum(1), z.maximum(10_000_000)),
    durationSec: DurationSec,
  }),
};

/** What a route answers for a body: the parsed value, or the 400's details. */
const outcome = (schema: z.ZodMiniType, body: unknown) => {
  const result = z.safeParse(schema, body);
  return result.success
    ? { data: result.data }
    : { details: issuesToDetails('body', result.error.issues, body) };
};

/** A value as it arrives: through JSON, so a `__proto__` key is an own key, as JSON.parse leaves it. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const mapOf = (key: fc.Arbitrary<string>, value: fc.Arbitrary<unknown>, maxLength: number) =>
  fc
    .array(fc.tuple(key, value), { maxLength })
    .map((entries) => asJson(Object.fromEntries(entries)) as Record<string, unknown>);

const probability = fc.oneof(
  { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }), weight: 3 },
  { arbitrary: fc.double({ min: -0.25, max: 1.25, noNaN: true }), weight: 1 },
  { arbitrary: fc.constantFrom(0, 1, '0.5', null, true), weight: 1 },
);
const emotions = fc.oneof(
  mapOf(fc.constantFrom(...EMOTION_LABELS, 'boredom', '__proto__'), probability, 4),
  fc.constantFrom({}, [], 'joy', null),
);
const validName = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const indicatorName = fc.oneof(
  { arbitrary: validName, weight: 4 },
  { arbitrary: fc.constantFrom('__proto__', 'constructor', 'Stress', 'ünicode', ''), weight: 1 },
);
/**
 * Maps of any content, and maps of valid entries one below, at and one above their limit (20
 * indicators, 50 features), sometimes with one more entry that is not valid, so both sides of each
 * count and the count behind another issue are all seen.
 */
const freeForm = (limit: number) =>
  fc.oneof(
    mapOf(indicatorName, probability, 6),
    fc
      .tuple(
        fc.uniqueArray(validName, { minLength: limit - 1, maxLength: limit + 1 }),
        fc.option(fc.tuple(indicatorName, probability), { nil: undefined }),
      )
      .map(([names, extra]) =>
        asJson(Object.fromEntries([...names.map((name) => [name, 0.5] as const), ...(extra ? [extra] : [])])),
      ),
    fc.constantFrom({}, [], 'x', null),
  );
const valid = {
  sentiment: { label: 'negative', score: 0.7 },
  model: { name: 'm', version: '1' },
  analyzedAt: '2026-11-20T10:00:00.000Z',
};
const body = fc
  .record(
    {
      userId: fc.constantFrom('33333333-3333-4333-8333-333333333333', 'not-a-uuid'),
      sentiment: fc.oneof(fc.constant(valid.sentiment), fc.constant({ label: 'meh', score: 2 })),
      emotions,
      model: fc.oneof(fc.constant(valid.model), fc.constant({ name: '  ', version: '1' })),
      analyzedAt: fc.constantFrom(valid.analyzedAt, 'yesterday'),
      mentalState: freeForm(20),
      riskFlags: fc.constantFrom(['crisis'], ['crisis', 'crisis', 'self_harm'], ['bored']),
      transcription: fc.constantFrom('words', ''),
      durationSec: fc.constantFrom(12.5, 0, -1),
      voiceFeatures: freeForm(50),
      facialEmotions: emotions,
      framesAnalysed: fc.constantFrom(300, 0, 1.5),
      unexpected: fc.constant('field'),
    },
    { requiredKeys: ['emotions'] },
  )
  .map(asJson);

describe('analysis inputs: key counts checked with z.check', () => {
  it.each(Object.keys(ANALYSIS_INPUTS) as AnalysisType[])(
    '%s: the same parsed value or the same 400 details as the z.refine contract (property)',
    (type) => {
      fc.assert(
        fc.property(body, (candidate) => {
          expect(outcome(ANALYSIS_INPUTS[type], candidate)).toStrictEqual(outcome(ORACLE[type], candidate));
        }),
        { numRuns: 2_000 },
      );
    },
  );

  it('refuses an empty emotion map and too many indicators or features, naming the field', () => {
    const base = { ...valid, emotions: { joy: 0.5 } };
    const indicators = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`i${i}`, 0.1]));
    const features = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 1]));
    expect(outcome(ANALYSIS_INPUTS.chat, { ...base, emotions: {} })).toEqual({
      details: [{ field: 'body.emotions', code: 'custom', message: 'must name at least one emotion' }],
    });
    expect(outcome(ANALYSIS_INPUTS.chat, { ...base, mentalState: indicators })).toEqual({
      details: [{ field: 'body.mentalState', code: 'custom', message: 'must have at most 20 indicators' }],
    });
    expect(outcome(ANALYSIS_INPUTS.speech, { ...base, durationSec: 3, voiceFeatures: features })).toEqual({
      details: [{ field: 'body.voiceFeatures', code: 'custom', message: 'must have at most 50 features' }],
    });
  });
});
