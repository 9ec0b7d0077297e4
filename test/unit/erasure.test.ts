import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';
import {
  assertWithinPartitions,
  chunksOf,
  countByEntityType,
  entityTypeOf,
  PurgeScopeError,
  purgeDueAt,
  sessionIdOf,
  totalOf,
} from '#domain/erasure.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stageConfigs } from '../../lib/config/stages.ts';

const SUB = '0f6c2b1e-5d4a-4b3c-8a29-1e0d9c8b7a65';

describe('purgeDueAt', () => {
  it('is the request time plus the grace period in whole days', () => {
    const requested = new Date('2026-11-23T08:15:30.123Z');
    expect(purgeDueAt(requested, 30).toISOString()).toBe('2026-12-23T08:15:30.123Z');
    expect(purgeDueAt(requested, 1).toISOString()).toBe('2026-11-24T08:15:30.123Z');
  });

  it('refuses a grace period that is not a positive whole number of days', () => {
    const requested = new Date('2026-11-23T00:00:00Z');
    expect(() => purgeDueAt(requested, 0)).toThrow();
    expect(() => purgeDueAt(requested, 1.5)).toThrow();
  });
});

describe('purge counts', () => {
  it('counts by entity type; missing or malformed types count as UNKNOWN', () => {
    const items = [
      { PK: 'p', SK: '1', entityType: 'CHAT_ANALYSIS' },
      { PK: 'p', SK: '2', entityType: 'CHAT_ANALYSIS' },
      { PK: 'p', SK: '3', entityType: 'USER' },
      { PK: 'p', SK: '4' },
      { PK: 'p', SK: '5', entityType: 'not a type; DROP' },
    ];
    const counts = countByEntityType(items);
    expect(counts).toEqual({ CHAT_ANALYSIS: 2, USER: 1, UNKNOWN: 2 });
    expect(totalOf(counts)).toBe(items.length);
    expect(entityTypeOf({ PK: 'p', SK: 's', entityType: 42 })).toBe('UNKNOWN');
  });

  it('chunks preserve every item in order, no chunk above the size', () => {
    const items = Array.from({ length: 53 }, (_, i) => i);
    const chunks = chunksOf(items, 25);
    expect(chunks.map((c) => c.length)).toEqual([25, 25, 3]);
    expect(chunks.flat()).toEqual(items);
    expect(chunksOf([], 25)).toEqual([]);
    expect(() => chunksOf(items, 0)).toThrow();
  });
});

describe('assertWithinPartitions', () => {
  const allowed = new Set([`USER#${SUB}`, `AGG#USER#${SUB}`]);

  it('lets through keys of the allowed partitions only', () => {
    expect(() =>
      assertWithinPartitions(
        [
          { PK: `USER#${SUB}`, SK: 'PROFILE' },
          { PK: `AGG#USER#${SUB}`, SK: 'MONTH#2026-11' },
        ],
        allowed,
      ),
    ).not.toThrow();
  });

  it('stops at any key outside them, including look-alikes and audit records', () => {
    for (const PK of [`USER#${SUB}x`, `AUDIT#${SUB}`, 'USER#someone-else', `user#${SUB}`, 'DEPT#1']) {
      expect(() =>
        assertWithinPartitions(
          [
            { PK: `USER#${SUB}`, SK: 'A' },
            { PK, SK: 'B' },
          ],
          allowed,
        ),
      ).toThrow(PurgeScopeError);
    }
  });
});

describe('sessionIdOf', () => {
  it('reads the session id from `id` or `sessionId`', () => {
    expect(sessionIdOf({ id: 'a1b2c3d4-0000-4000-8000-000000000000' })).toBe(
      'a1b2c3d4-0000-4000-8000-000000000000',
    );
    expect(sessionIdOf({ sessionId: 'abc-123' })).toBe('abc-123');
  });

  it('refuses values that could address another partition', () => {
    expect(sessionIdOf({ id: 'x#USER#victim' })).toBeUndefined();
    expect(sessionIdOf({ id: '' })).toBeUndefined();
    expect(sessionIdOf({ id: 7 })).toBeUndefined();
    expect(sessionIdOf({})).toBeUndefined();
  });
});

describe('erasure grace period config', () => {
  it('is set per stage: 30 days in prod and staging, shorter where data is not real', () => {
    expect(stageConfigs.prod.retention.erasureGraceDays).toBe(30);
    expect(stageConfigs.staging.retention.erasureGraceDays).toBe(30);
    expect(stageConfigs.dev.retention.erasureGraceDays).toBe(7);
    expect(stageConfigs.local.retention.erasureGraceDays).toBe(1);
    for (const config of Object.values(stageConfigs))
      expect(StageConfigSchema.safeParse(config).success).toBe(true);
  });

  it('cannot be zero (no grace) or unbounded', () => {
    const prod = stageConfigs.prod;
    for (const days of [0, 91, 1.5]) {
      const result = StageConfigSchema.safeParse({
        ...prod,
        retention: { ...prod.retention, erasureGraceDays: days },
      });
      expect(result.success).toBe(false);
    }
  });

  it('reaches the functions as ERASURE_GRACE_DAYS', () => {
    expect(parseRuntimeEnv({ STAGE: 'dev', ERASURE_GRACE_DAYS: '30' }).erasureGraceDays).toBe(30);
    expect(parseRuntimeEnv({ STAGE: 'dev' }).erasureGraceDays).toBeUndefined();
    for (const bad of ['0', '-1', 'thirty', '1.5'])
      expect(() => parseRuntimeEnv({ STAGE: 'dev', ERASURE_GRACE_DAYS: bad })).toThrow(/ERASURE_GRACE_DAYS/);
  });
});
