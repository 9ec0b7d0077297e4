import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';

const resources = { message: 'Help is here', contacts: [{ name: 'Line', phone: '116 123' }] };

describe('CRISIS_RESOURCES', () => {
  it('parses the stage crisis resources from JSON', () => {
    expect(
      parseRuntimeEnv({ STAGE: 'dev', CRISIS_RESOURCES: JSON.stringify(resources) }).crisisResources,
    ).toEqual(resources);
    expect(parseRuntimeEnv({ STAGE: 'dev' }).crisisResources).toBeUndefined();
  });

  it.each([
    ['not JSON', '{message'],
    ['the wrong shape', JSON.stringify({ message: 'x' })],
  ])('rejects %s, naming the variable', (_what, value) => {
    expect(() => parseRuntimeEnv({ STAGE: 'dev', CRISIS_RESOURCES: value })).toThrow(/CRISIS_RESOURCES/);
  });
});

describe('idempotency record key', () => {
  it('is the key Powertools computes for <sub>:<Idempotency-Key> (tests stage records with it)', async () => {
    process.env.STAGE ??= 'test';
    process.env.TABLE_NAME ??= 'mha-test-data';
    const { idempotencyRecordKey } = await import('#data/survey-repository.ts');
    const layer = new DynamoDBPersistenceLayer({ tableName: 't', keyAttr: 'PK', sortKeyAttr: 'SK' });
    layer.configure({
      config: new IdempotencyConfig({ eventKeyJmesPath: 'idempotencyKey' }),
      keyPrefix: 'surveys.submit',
    });
    const computed = (
      layer as unknown as { getHashedIdempotencyKey(data: unknown): string }
    ).getHashedIdempotencyKey({
      idempotencyKey: 'sub-1:key-1',
      payload: { a: 1 },
    });
    expect(idempotencyRecordKey('surveys.submit', 'sub-1', 'key-1')).toEqual({
      PK: 'IDEMPOTENCY#surveys.submit',
      SK: computed,
    });
    // Another user's identical key is another record.
    expect(idempotencyRecordKey('surveys.submit', 'sub-2', 'key-1').SK).not.toBe(computed);
  });
});
