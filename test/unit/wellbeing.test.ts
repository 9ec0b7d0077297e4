import './support/test-env.ts';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import * as fc from 'fast-check';
import {
  ANALYSIS_TYPES,
  ChatAnalysisInput,
  RISK_FLAG_VALUES,
  SpeechAnalysisInput,
  type SpeechAnalysisInput as SpeechInput,
} from '#contract/analysis.ts';
import { ENV, parseRuntimeEnv } from '#contract/runtime-env.ts';
import { nameBasedUuid, planAnalysis, type PlannedAnalysis } from '#domain/analysis.ts';
import { newSessionId, sessionDurationSec, sessionStartOf } from '#domain/emo-buddy.ts';
import { isLive, rawTextPolicyOf, rawTextRetention } from '#domain/retention.ts';
import { RISK_FLAGS } from '#domain/risk.ts';
import { packBatch, type BatchAnalysisWrite } from '#data/analysis-repository.ts';
import * as keys from '#data/dynamodb/keys.ts';
import * as partitions from '#data/dynamodb/partitions.ts';
import { storedResponseOf, type StoredResponse } from '#data/idempotency-store.ts';
import { ApiError } from '#http/errors.ts';
import { idempotencyCaller, idempotencyKeyOf, requestFingerprint } from '#http/idempotency.ts';

const NOW = new Date('2026-11-23T08:15:30.123Z');
const SUB = '0f6c2b1e-5d4a-4b3c-8a29-1e0d9c8b7a65';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const speechBody: SpeechInput = {
  sentiment: { label: 'negative', score: 0.7 },
  emotions: { sadness: 0.8 },
  model: { name: 'voice', version: '3' },
  analyzedAt: '2026-11-23T09:15:30+01:00',
  durationSec: 12,
  transcription: 'I cannot sleep',
  riskFlags: ['crisis'],
};

describe('contract and domain agree', () => {
  it('on the risk flags and the analysis types', () => {
    expect([...RISK_FLAG_VALUES]).toEqual([...RISK_FLAGS]);
    expect([...ANALYSIS_TYPES]).toEqual([...keys.ANALYSIS_TYPES]);
  });

  it('refuses emotion labels outside the fixed set and probabilities outside 0–1', () => {
    const { transcription: _t, durationSec: _d, ...chatBody } = speechBody;
    const base = z.parse(ChatAnalysisInput, chatBody);
    expect(base.emotions).toEqual({ sadness: 0.8 });
    const bad = z.safeParse(ChatAnalysisInput, { ...base, emotions: { contempt: 0.1, joy: 1.01 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(
      ['emotions', 'emotions.joy'].sort(),
    );
    expect(z.safeParse(SpeechAnalysisInput, { ...speechBody, audioBase64: 'AAAA' }).success).toBe(false);
  });
});

describe('nameBasedUuid', () => {
  it('is a valid UUID, the same for the same name and different for another', () => {
    const a = nameBasedUuid('client:x:key-1|0');
    expect(a).toMatch(UUID);
    expect(a.charAt(14)).toBe('8');
    expect(nameBasedUuid('client:x:key-1|0')).toBe(a);
    expect(nameBasedUuid('client:x:key-1|1')).not.toBe(a);
    expect(nameBasedUuid('client:y:key-1|0')).not.toBe(a);
  });
});

describe('EmoBuddy session ids', () => {
  it('are UUIDv7 carrying their start time, which the sort key is derived from', () => {
    const id = newSessionId(NOW, new Uint8Array(10).fill(0xff));
    expect(id).toMatch(UUID);
    expect(id.charAt(14)).toBe('7');
    expect(sessionStartOf(id)).toBe(NOW.toISOString());
    expect(sessionStartOf(id.toUpperCase())).toBe(NOW.toISOString());
  });

  it('order by time as strings, and ids this API never issued have no start', () => {
    const earlier = newSessionId(new Date(NOW.getTime() - 1), new Uint8Array(10).fill(0xff));
    const later = newSessionId(NOW, new Uint8Array(10));
    expect(earlier < later).toBe(true);
    expect(sessionStartOf('9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d')).toBeUndefined(); // v4
    expect(sessionStartOf('not-a-uuid')).toBeUndefined();
  });

  it('last whole seconds from start to end, never negative', () => {
    expect(sessionDurationSec('2026-11-23T08:00:00.000Z', '2026-11-23T08:01:30.600Z')).toBe(91);
    expect(sessionDurationSec('2026-11-23T08:00:00.000Z', '2026-11-23T07:00:00.000Z')).toBe(0);
  });
});

describe('raw-text retention', () => {
  it('keeps raw text for the stage’s days, or drops it', () => {
    expect(rawTextRetention({ store: true, days: 30 }, NOW)).toEqual({
      stored: true,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 30 * 86_400,
    });
    expect(rawTextRetention({ store: false, days: 30 }, NOW)).toEqual({ stored: false });
  });

  it('treats an item as gone from its expiry second on; items without one never expire', () => {
    const now = Math.floor(NOW.getTime() / 1000);
    expect(isLive({ expiresAt: now + 1 }, NOW)).toBe(true);
    expect(isLive({ expiresAt: now }, NOW)).toBe(false);
    expect(isLive({}, NOW)).toBe(true);
  });

  it('comes from the runtime settings, which must give a period where text is stored', () => {
    const env = parseRuntimeEnv({ [ENV.stage]: 'x', [ENV.storeRawText]: 'true', [ENV.rawTextDays]: '7' });
    expect(rawTextPolicyOf(env)).toEqual({ store: true, days: 7 });
    expect(parseRuntimeEnv({ [ENV.stage]: 'x' }).storeRawText).toBe(false);
    expect(() => rawTextPolicyOf({ storeRawText: true, rawTextDays: undefined })).toThrow(/RAW_TEXT_DAYS/);
    expect(() => parseRuntimeEnv({ [ENV.stage]: 'x', [ENV.rawTextDays]: '0' })).toThrow(/RAW_TEXT_DAYS/);
  });
});

describe('planAnalysis', () => {
  const plan = (store: boolean, body: SpeechInput = speechBody) =>
    planAnalysis({
      type: 'speech',
      body,
      userId: SUB,
      id: 'a1',
      alertId: 'alert-1',
      now: NOW,
      rawText: { store, days: 30 },
    });

  it('keeps the transcription where the stage stores raw text, and the analysis expires with it', () => {
    const planned = plan(true);
    expect(planned.analysis).toMatchObject({
      transcription: 'I cannot sleep',
      transcriptionStored: true,
      analyzedAt: '2026-11-23T08:15:30.000Z',
      userId: SUB,
    });
    expect(planned.expiresAtEpoch).toBe(Math.floor(NOW.getTime() / 1000) + 30 * 86_400);
    expect(planned.analysis.expiresAt).toBe(new Date(planned.expiresAtEpoch! * 1000).toISOString());
  });

  it('drops it, says so, and sets no expiry where the stage stores none', () => {
    const planned = plan(false);
    expect(planned.analysis.transcription).toBeUndefined();
    expect(planned.analysis.transcriptionStored).toBe(false);
    expect(planned.expiresAtEpoch).toBeUndefined();
    const { transcription: _t, ...withoutText } = speechBody;
    expect(plan(true, withoutText).analysis.transcriptionStored).toBeUndefined();
  });

  it('opens an alert for crisis/self-harm flags naming the analysis, and none without', () => {
    const planned = plan(true);
    expect(planned.alert).toMatchObject({
      id: 'alert-1',
      userId: SUB,
      status: 'open',
      reasons: ['crisis'],
      source: { type: 'speech_analysis', id: 'a1' },
    });
    expect(planned.analysis.alertRaised).toBe(true);
    const calm = plan(true, { ...speechBody, riskFlags: [] });
    expect(calm.alert).toBeUndefined();
    expect(calm.analysis.alertRaised).toBe(false);
  });
});

describe('packBatch', () => {
  /** A batch write of `userId`, with the three items of an alert when flagged. */
  const write = (userId: string, flagged = false) =>
    ({
      planned: { analysis: { userId } } as PlannedAnalysis,
      alertItems: flagged ? [{}, {}, {}] : [],
    }) as BatchAnalysisWrite;
  /**
   * Actions of a packed transaction: per group the subject's account check and one audit record, and
   * each analysis that raised an alert with its alert's items; the others are written after it.
   */
  const actionsOf = (groups: ReturnType<typeof packBatch>[number]) =>
    groups.reduce(
      (sum, g) =>
        sum + 2 + g.writes.reduce((n, w) => n + (w.alertItems.length > 0 ? 1 + w.alertItems.length : 0), 0),
      0,
    );

  it('puts 100 analyses of one user without alerts behind one account check and one audit record', () => {
    const packed = packBatch(Array.from({ length: 100 }, () => write('u1')));
    expect(packed.map((groups) => groups.map((g) => g.writes.length))).toEqual([[100]]);
    expect(packed.map(actionsOf)).toEqual([2]);
  });

  it('gives each user of a transaction one group: 100 analyses of 20 users take 40 actions, not 300', () => {
    const users = Array.from({ length: 20 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    const packed = packBatch(Array.from({ length: 100 }, (_, i) => write(users[i % 20]!)));
    expect(packed.map(actionsOf)).toEqual([40]);
    expect(packed.flat()).toHaveLength(20);
    for (const groups of packed) expect(new Set(groups.map((g) => g.subjectId)).size).toBe(groups.length);
  });

  it('keeps each analysis that raised an alert in the transaction with its alert', () => {
    // Each flagged analysis takes 4 actions (its put and 3 alert items): 24 fit beside the group's 2.
    const packed = packBatch(Array.from({ length: 100 }, () => write('u1', true)));
    expect(packed.map((groups) => groups.map((g) => g.writes.length))).toEqual([[24], [24], [24], [24], [4]]);
    expect(packed.map(actionsOf)).toEqual([98, 98, 98, 98, 18]);
  });

  it('leaves one action free for the caller check, keeps every write once and every group to one subject (any batch)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 100 }),
        (spec) => {
          const writes = spec.map(([user, flagged]) => write(`user-${user}`, flagged));
          const packed = packBatch(writes);
          for (const groups of packed) expect(actionsOf(groups)).toBeLessThanOrEqual(99);
          const packedWrites = packed.flatMap((groups) => groups.flatMap((g) => g.writes));
          expect(new Set(packedWrites)).toEqual(new Set(writes));
          expect(packedWrites).toHaveLength(writes.length);
          for (const group of packed.flat())
            for (const w of group.writes) expect(w.planned.analysis.userId).toBe(group.subjectId);
        },
      ),
    );
  });
});

describe('EmoBuddy and idempotency keys', () => {
  it('build the documented shapes and stay compatible with the purge/export partitions', () => {
    const id = newSessionId(NOW, new Uint8Array(10));
    expect(keys.emoSession(SUB, NOW.toISOString(), id)).toEqual({
      PK: `USER#${SUB}`,
      SK: `EMOSESSION#${NOW.toISOString()}#${id}`,
    });
    expect(keys.emoSessionById(id)).toEqual({ GSI1PK: `EMOSESSION#${id}`, GSI1SK: 'META' });
    expect(keys.emoActiveSession(SUB)).toEqual({ PK: `USER#${SUB}`, SK: 'EMOSESSION#ACTIVE' });
    expect(keys.emoMessage(id, 7)).toEqual({ PK: `EMOSESSION#${id}`, SK: 'MSG#0000000007' });
    expect(keys.emoMessage(id, 10).SK > keys.emoMessage(id, 9).SK).toBe(true);
    expect(partitions.emoMessages(id)).toBe(keys.emoMessage(id, 1).PK);
    // The session range holds every session and leaves the active pointer out.
    const sk = keys.emoSession(SUB, NOW.toISOString(), id).SK;
    expect(sk > keys.emoSessionRange.from && sk < keys.emoSessionRange.to).toBe(true);
    expect(keys.emoActiveSession(SUB).SK > keys.emoSessionRange.to).toBe(true);
    expect(keys.idempotencyRecord('ab12')).toEqual({ PK: 'IDEMPOTENCY#ab12', SK: 'RECORD' });
  });
});

describe('a completed Idempotency-Key record', () => {
  it('replays exactly the response that was stored', () => {
    const responses = fc.record(
      {
        statusCode: fc.integer({ min: 100, max: 599 }),
        body: fc.jsonValue(),
        headers: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 20 })),
      },
      { requiredKeys: ['statusCode'] },
    );
    fc.assert(
      fc.property(responses, (response: StoredResponse) => {
        // What completeIdempotencyKey stores: JSON.stringify of the response (a -0 reads back as 0).
        const json = JSON.stringify(response);
        expect(storedResponseOf(json)).toStrictEqual(JSON.parse(json));
      }),
    );
    // A header named `__proto__` too (a zod record, which the parse once was, dropped it).
    const json = '{"statusCode":201,"headers":{"__proto__":"kept","location":"/x"}}';
    expect(storedResponseOf(json)).toStrictEqual(JSON.parse(json));
  });

  it('refuses a stored response that is not one instead of replaying it', () => {
    for (const stored of [
      'not json',
      'null',
      '[]',
      '{}',
      '{"statusCode":"201"}',
      '{"statusCode":201.5}',
      '{"statusCode":42}',
      '{"statusCode":201,"headers":{"location":7}}',
    ])
      expect(() => storedResponseOf(stored), stored).toThrow();
  });
});

describe('Idempotency-Key', () => {
  it('accepts 1–255 printable ASCII characters and names the header otherwise', () => {
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(idempotencyKeyOf({ 'idempotency-key': 'batch-2026-11-23-0001' })).toBe('batch-2026-11-23-0001');
    for (const bad of ['', 'k'.repeat(256), 'clé', 'a\nb']) {
      try {
        idempotencyKeyOf({ 'idempotency-key': bad });
        expect.unreachable(`accepted ${JSON.stringify(bad)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).details?.[0]?.field).toBe('headers.Idempotency-Key');
      }
    }
  });

  it('fingerprints route + params + body, independent of key order', () => {
    const a = requestFingerprint('analyses.storeChat', {}, { a: 1, b: { c: [1, { d: 2, e: 3 }] } });
    expect(requestFingerprint('analyses.storeChat', {}, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(a);
    expect(requestFingerprint('analyses.storeChat', {}, { a: 2, b: { c: [1, { d: 2, e: 3 }] } })).not.toBe(a);
    expect(requestFingerprint('analyses.storeSpeech', {}, { a: 1, b: { c: [1, { d: 2, e: 3 }] } })).not.toBe(
      a,
    );
  });

  it('scopes keys per caller', () => {
    const user = {
      kind: 'user',
      sub: SUB,
      username: 'u',
      roles: ['employee'],
      scopes: [],
      clientId: 'c',
    } as const;
    expect(idempotencyCaller(user)).toBe(`user:${SUB}`);
    expect(idempotencyCaller({ kind: 'machine', clientId: 'pipeline', scopes: [] })).toBe('client:pipeline');
    expect(() => idempotencyCaller({ kind: 'anonymous' })).toThrow(ApiError);
  });
});
