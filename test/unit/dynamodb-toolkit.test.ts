import './support/test-env.ts';
import { describe, expect, it } from 'vitest';
import { BATCH_MAX_ATTEMPTS, batchRetryDelayMs } from '#data/dynamodb/backoff.ts';
import { transaction, TransactionFailedError } from '#data/dynamodb/transaction.ts';

const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('batch backoff', () => {
  it('doubles from 10–20 ms to at most 1 s, never less than half of its step', () => {
    for (let attempt = 1; attempt < BATCH_MAX_ATTEMPTS; attempt++) {
      const step = Math.min(1_000, 10 * 2 ** attempt);
      expect(batchRetryDelayMs(attempt, () => 0)).toBe(step / 2);
      expect(batchRetryDelayMs(attempt, () => 1)).toBe(step);
    }
    expect(batchRetryDelayMs(20, () => 1)).toBe(1_000);
  });
});

describe('transaction builder', () => {
  const tx = () =>
    transaction()
      .add('account', {
        ConditionCheck: {
          TableName: 't',
          Key: { PK: 'a', SK: 'b' },
          ConditionExpression: 'attribute_exists(PK)',
        },
      })
      .add('analysis', {
        Put: { TableName: 't', Item: { PK: 'c', SK: 'd' }, ConditionExpression: 'attribute_not_exists(PK)' },
      })
      .add('audit', { Put: { TableName: 't', Item: { PK: 'e', SK: 'f' } } });

  it('names the actions that cancelled it, whatever their position', () => {
    const error = tx().explain(cancelled('None', 'ConditionalCheckFailed', 'None'));
    expect(error).toBeInstanceOf(TransactionFailedError);
    const failed = error as TransactionFailedError;
    expect(failed.failures).toEqual([{ action: 'analysis', code: 'ConditionalCheckFailed' }]);
    expect(failed.failed('analysis')).toBe(true);
    expect(failed.failed('account')).toBe(false);
    expect(failed.failedConditions).toEqual(['analysis']);
    expect(failed.contended).toBe(true);
    expect(failed.conflictsOnly).toBe(false);
    expect(failed.message).toMatch(/analysis ConditionalCheckFailed/);
  });

  it('matches indexed names by their group, and tells conflicts from other failures', () => {
    const built = transaction()
      .add('marker:0', { ConditionCheck: { TableName: 't', Key: {}, ConditionExpression: 'x' } })
      .add('marker:1', { ConditionCheck: { TableName: 't', Key: {}, ConditionExpression: 'x' } });
    const conflict = built.explain(cancelled('None', 'TransactionConflict')) as TransactionFailedError;
    expect(conflict.failed('marker:*', 'TransactionConflict')).toBe(true);
    expect(conflict.conflictsOnly).toBe(true);
    const throttled = built.explain(cancelled('ThrottlingError', 'None')) as TransactionFailedError;
    expect(throttled.contended).toBe(false);
    expect((throttled.cause as Error).name).toBe('TransactionCanceledException');
  });

  it('leaves every other error as it is', () => {
    const other = new Error('boom');
    expect(tx().explain(other)).toBe(other);
    expect(tx().size).toBe(3);
  });
});
