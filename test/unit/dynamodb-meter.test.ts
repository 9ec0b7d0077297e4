import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  costTargetMisses,
  formatCost,
  itemBytes,
  parseCost,
  transactWriteUnits,
  type DynamoDbCost,
} from '../../lib/local/dynamodb-meter.ts';

const cost = (roundTrips: number, writeCalls: number, commands: string[] = []): DynamoDbCost => ({
  roundTrips,
  transactions: 0,
  writeCalls,
  readUnits: 1.5,
  writeUnits: 6,
  commands,
  ms: 12.5,
});

describe('DynamoDB cost header and targets', () => {
  it('reads back what it writes in the header', () => {
    const measured = { ...cost(2, 1, ['GetItem', 'TransactWriteItems']), transactions: 1 };
    expect(parseCost(formatCost(measured))).toEqual(measured);
    expect(parseCost(formatCost(cost(0, 0)))).toEqual(cost(0, 0));
  });

  it('holds reads to 2 round trips and one audit write, writes to one call, others to none', () => {
    expect(costTargetMisses('users.get', 'read', cost(2, 1))).toEqual([]);
    expect(costTargetMisses('users.get', 'read', cost(3, 1))).toEqual(['3 round trips on a read route']);
    expect(costTargetMisses('users.get', 'read', cost(2, 2))).toEqual(['2 write calls on a read route']);
    expect(costTargetMisses('users.update', 'read-write', cost(4, 1))).toEqual([]);
    expect(costTargetMisses('users.update', 'read-write', cost(3, 2))).toEqual(['2 write calls']);
    expect(costTargetMisses('docs.ui', 'none', cost(1, 0))).toEqual(['1 round trips without table access']);
  });

  it('lets only the documented exception past the read target', () => {
    expect(costTargetMisses('privacy.export', 'read', cost(6, 1))).toEqual([]);
    expect(costTargetMisses('privacy.export', 'read', cost(6, 2))).toEqual(['2 write calls on a read route']);
  });

  it('lets batch ingestion write its analyses after the audit transaction, and no other write route', () => {
    expect(costTargetMisses('analyses.storeBatch', 'read-write', cost(7, 5))).toEqual([]);
    expect(costTargetMisses('analyses.storeChat', 'read-write', cost(2, 2))).toEqual(['2 write calls']);
  });
});

describe('write units of a transaction', () => {
  const item = (bytes: number) => ({ PK: 'P', SK: 'S', v: 'x'.repeat(bytes) });

  it('measures an item the same marshalled or plain', () => {
    const plain = { PK: 'USER#1', n: 12345, flags: new Set(['a', 'bc']), map: { a: [1, 'two', true] } };
    expect(itemBytes(marshall(plain))).toBe(itemBytes(plain));
    // An attribute is its name's bytes and its value's: `PK` (2) + `USER#1` (6); a set, its members'.
    expect(itemBytes({ PK: 'USER#1' })).toBe(8);
    expect(itemBytes({ flags: new Set(['a', 'bc']) })).toBe(8);
  });

  it('bills 2 units per KB of each item written, at least 2 per action', () => {
    expect(transactWriteUnits([{ Put: { Item: item(10) } }])).toBe(2);
    // Three puts of 1.5 KB: 2 KB each, doubled (DynamoDB Local reports 4 for the whole transaction).
    expect(transactWriteUnits([1, 2, 3].map(() => ({ Put: { Item: item(1500) } })))).toBe(12);
    expect(
      transactWriteUnits([{ Delete: { Key: { PK: 'P', SK: 'S' } } }, { ConditionCheck: { Key: {} } }]),
    ).toBe(4);
  });

  it('counts an update by the size of the item it leaves when that is known, else by what it names', () => {
    const update = {
      Update: { Key: { PK: 'AGG#1', SK: 'DAY#2026-12-04' }, ExpressionAttributeValues: { ':c': 1 } },
    };
    expect(transactWriteUnits([update])).toBe(2);
    expect(transactWriteUnits([update], () => 2500)).toBe(6);
    expect(transactWriteUnits([update], () => undefined)).toBe(2);
  });
});
