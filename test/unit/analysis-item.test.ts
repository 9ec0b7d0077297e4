import './support/test-env.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Analysis, ANALYSIS_TYPES, EMOTION_LABELS } from '#contract/analysis.ts';
import { isoOfEpoch } from '#domain/retention.ts';
import { toAnalysis } from '#data/analysis-repository.ts';

/**
 * A stored analysis is read by hand (shared/data/item-parse.ts), not with the contract's `Analysis`
 * schema: both must read the same items the same way and refuse the same others.
 */
describe('a stored analysis (toAnalysis)', () => {
  const stored = {
    PK: 'USER#u',
    SK: 'CHAT#2026-11-20T10:00:00.000Z#a',
    entityType: 'CHAT_ANALYSIS',
    updatedAt: '2026-11-20T10:00:01.000Z',
    id: 'a',
    type: 'speech',
    userId: 'u',
    sentiment: { label: 'negative', score: 0.7 },
    emotions: { sadness: 0.6 },
    model: { name: 'm', version: '1' },
    analyzedAt: '2026-11-20T10:00:00.000Z',
    riskFlags: ['crisis'],
    transcription: 'words',
    transcriptionStored: true,
    durationSec: 12.5,
    expiresAt: 1_795_000_000,
    alertRaised: true,
    createdAt: '2026-11-20T10:00:01.000Z',
  };

  it('reads back what was stored, without keys and bookkeeping, the expiry as ISO; refuses what is not one', () => {
    const { PK: _pk, SK: _sk, entityType: _type, updatedAt: _updated, ...fields } = stored;
    expect(toAnalysis(stored)).toStrictEqual({ ...fields, expiresAt: isoOfEpoch(stored.expiresAt) });
    expect(() => toAnalysis({ ...stored, sentiment: { label: 'meh', score: 0.7 } })).toThrow(
      'stored analysis: item.sentiment.label is malformed',
    );
  });

  /**
   * Anything at all, including what a DynamoDB item can hold beside plain values (a string set, a
   * binary) and objects without a prototype.
   */
  const other = fc.oneof(
    fc.anything(),
    fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, '1', 2 ** 53, 1.5),
    fc.constantFrom(new Set(['a']), new Uint8Array([1]), new Date(0)),
    fc
      .dictionary(fc.string({ maxLength: 4 }), fc.anything())
      .map((d) => Object.assign(Object.create(null), d)),
  );
  const mostly = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: other });
  /** Mostly a valid value, now and then one of these. */
  const rarely = <T, U>(valid: fc.Arbitrary<T>, ...others: U[]) =>
    fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...others) });
  /** A record from entries: `Object.fromEntries` makes `__proto__` an own key, as a parsed JSON row can. */
  const entries = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>) =>
    fc.tuple(fc.array(fc.tuple(key, value), { maxLength: 3 }), fc.boolean()).map(([pairs, withHidden]) => {
      const record = Object.fromEntries(pairs);
      // A non-enumerable key is not one of the record's keys, whatever its value.
      if (withHidden) Object.defineProperty(record, 'hidden', { value: Number.NaN, enumerable: false });
      return record;
    });
  const text = fc.string({ maxLength: 6 });
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...EMOTION_LABELS, 'stress') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString') },
  );
  const score = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    { weight: 1, arbitrary: fc.double() },
  );
  const numbers = mostly(entries(key, mostly(score)));
  const modelText = (max: number) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('m', ' m ', 'model') },
      {
        weight: 1,
        arbitrary: fc.constantFrom('', '  ', 'm'.repeat(max + 1), '😀'.repeat(max), '😀'.repeat(max + 1)),
      },
    );
  const strictWith = <T>(fields: fc.Arbitrary<T>) =>
    fields.chain((value) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.constant(value) },
        { weight: 1, arbitrary: fc.constant({ ...value, extra: 1 }) },
        {
          weight: 1,
          arbitrary: fc.constant(Object.fromEntries([...Object.entries(value as object), ['__proto__', 1]])),
        },
      ),
    );
  const storedItem = fc.record(
    {
      PK: text,
      SK: text,
      entityType: text,
      updatedAt: text,
      id: mostly(text),
      type: mostly(rarely(fc.constantFrom(...ANALYSIS_TYPES), 'audio')),
      userId: mostly(text),
      sentiment: mostly(
        strictWith(
          fc.record({
            label: mostly(rarely(fc.constantFrom('positive', 'negative', 'neutral'), 'meh')),
            score: mostly(score),
          }),
        ),
      ),
      emotions: numbers,
      model: mostly(strictWith(fc.record({ name: mostly(modelText(100)), version: mostly(modelText(50)) }))),
      analyzedAt: mostly(text),
      mentalState: numbers,
      riskFlags: mostly(fc.array(mostly(text), { maxLength: 2 })),
      sourceId: mostly(text),
      transcription: mostly(text),
      transcriptionStored: mostly(fc.boolean()),
      durationSec: mostly(score),
      voiceFeatures: numbers,
      facialEmotions: numbers,
      framesAnalysed: mostly(rarely(fc.integer(), 1.5, 2 ** 53)),
      // A number is an epoch the TTL attribute holds (one out of Date's range throws before any parse).
      expiresAt: fc.oneof(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        other.filter((value) => typeof value !== 'number'),
      ),
      alertRaised: mostly(fc.boolean()),
      createdAt: mostly(text),
      extra: other,
    },
    {
      requiredKeys: [
        'id',
        'type',
        'userId',
        'sentiment',
        'emotions',
        'model',
        'analyzedAt',
        'riskFlags',
        'alertRaised',
        'createdAt',
      ],
    },
  );

  it("accepts and reads exactly what the contract's Analysis schema accepts and reads (property)", () => {
    let read = 0;
    let refused = 0;
    fc.assert(
      fc.property(storedItem, (item) => {
        // What toAnalysis hands the schema: no keys or bookkeeping fields, a numeric expiry as ISO.
        const { PK: _pk, SK: _sk, entityType: _type, updatedAt: _updated, expiresAt, ...rest } = item;
        const fields = {
          ...rest,
          ...(typeof expiresAt === 'number' ? { expiresAt: isoOfEpoch(expiresAt) } : {}),
        };
        const expected = z.safeParse(Analysis, fields);
        if (expected.success) {
          expect(toAnalysis(item)).toStrictEqual(expected.data);
          read++;
        } else {
          expect(() => toAnalysis(item)).toThrow('stored analysis: item');
          refused++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(read, `${read} read`).toBeGreaterThan(300);
    expect(refused, `${refused} refused`).toBeGreaterThan(300);
  });
});
