import { describe, expect, it } from 'vitest';
import {
  costTargetMisses,
  formatCost,
  parseCost,
  type DynamoDbCost,
} from '../../lib/local/dynamodb-meter.ts';

const cost = (roundTrips: number, writeCalls: number, commands: string[] = []): DynamoDbCost => ({
  roundTrips,
  transactions: 0,
  writeCalls,
  readUnits: 1.5,
  writeUnits: 6,
  commands,
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
});
