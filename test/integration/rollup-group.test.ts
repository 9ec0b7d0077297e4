import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Client from '#data/client.ts';
import type * as RollupRepository from '#data/rollup-repository.ts';
import type * as Aggregator from '../../functions/streams/aggregate-rollups.ts';
import { createProfileInProcess, pointAtEmulators } from './support/in-process.ts';

/**
 * The stream aggregator's grouped path (shared/data/rollup-group.ts) against the one-record path, on
 * DynamoDB Local: the same stream records, applied once as batches (grouped: one transaction per group)
 * and once record by record (applyStreamRecord) to a mirror set of users and a mirror department, end
 * in the same ledgers, user rollups, department rollups and contributor markers. Each run has its own
 * users and departments; the organisation's rollups (shared by every test) are not compared — they go
 * through the same code as the department's.
 */
let restoreEnv: () => void = () => undefined;
let rollups: typeof RollupRepository;
let client: typeof Client;
let aggregator: typeof Aggregator;

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  rollups = await import('#data/rollup-repository.ts');
  client = await import('#data/client.ts');
  aggregator = await import('../../functions/streams/aggregate-rollups.ts');
});
afterAll(() => restoreEnv());

vi.setConfig({ testTimeout: 300_000 });

const lambdaContext = { awsRequestId: 'rollup-group', getRemainingTimeInMillis: () => 60_000 } as Context;
/** May 2024 is open at the first clock and closed at the second: later changes to it are revisions. */
const inMay = { now: () => new Date('2024-05-20T12:00:00Z') };
const inJune = { now: () => new Date('2024-06-20T12:00:00Z') };

const createPerson = async (departmentId: string): Promise<string> =>
  createProfileInProcess('rollup-group', departmentId);

// --- the generated stream ---------------------------------------------------------------------------

/** What a source item looks like after a write (its owner and key are filled in per side). */
const imageArb = fc.oneof(
  fc.record({
    entityType: fc.constant('CHAT_ANALYSIS'),
    analyzedAt: fc.constantFrom(
      '2024-05-14T10:00:00.000Z',
      '2024-05-31T23:00:00.000Z',
      '2024-06-03T08:00:00.000Z',
    ),
    sentiment: fc.record({
      label: fc.constantFrom('positive', 'negative', 'neutral'),
      score: fc.constant(0.8),
    }),
    emotions: fc.dictionary(
      fc.constantFrom('joy', 'sadness', 'anger', 'fear'),
      fc.double({ min: 0, max: 1, noNaN: true }),
      {
        maxKeys: 3,
      },
    ),
    riskFlags: fc.oneof(fc.constant([]), fc.constant(['self_harm'])),
  }),
  fc.record({
    entityType: fc.constant('EMO_SESSION'),
    startedAt: fc.constantFrom('2024-05-02T09:00:00.000Z', '2024-06-01T09:00:00.000Z'),
    status: fc.constantFrom('active', 'ended'),
    messageCount: fc.integer({ min: 0, max: 9 }),
  }),
);

/** One write of the stream: an item of user 0 or 1 put (insert/modify), removed, or expired by TTL. */
const opArb = fc.record({
  user: fc.integer({ min: 0, max: 1 }),
  item: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('put', 'put', 'remove', 'expire', 'noise'),
  image: imageArb,
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

let sequence = BigInt(Date.now()) * 1_000_000n;

/**
 * The stream records of `ops` for one side's users (the same sequence numbers on both sides). Items
 * have fixed sort keys per (user, item); a removal of an absent item and noise (a profile update) are
 * records the aggregator must pass over.
 */
const streamOf = (
  ops: readonly Op[],
  people: readonly string[],
  seqs: readonly bigint[],
): DynamoDBRecord[] => {
  const present = new Map<string, Record<string, unknown>>();
  return ops.map((op, index) => {
    const userId = people[op.user]!;
    const PK = `USER#${userId}`;
    const SK = op.kind === 'noise' ? 'PROFILE' : `ITEM#${op.item}`;
    const id = `${op.user}|${op.item}`;
    const old = present.get(id);
    const base = {
      eventID: randomUUID(),
      eventSource: 'aws:dynamodb',
      eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/test/stream/x',
    };
    const dynamodb = { Keys: marshall({ PK, SK }) as never, SequenceNumber: seqs[index]!.toString() };
    if (op.kind === 'noise') {
      const image = marshall({ PK, SK, entityType: 'USER_PROFILE', fullName: 'x' }) as never;
      return { ...base, eventName: 'MODIFY', dynamodb: { ...dynamodb, NewImage: image, OldImage: image } };
    }
    if (op.kind === 'put') {
      const image = { PK, SK, userId, ...op.image };
      present.set(id, image);
      return {
        ...base,
        eventName: old ? 'MODIFY' : 'INSERT',
        dynamodb: {
          ...dynamodb,
          NewImage: marshall(image) as never,
          ...(old ? { OldImage: marshall(old) as never } : {}),
        },
      };
    }
    present.delete(id);
    return {
      ...base,
      eventName: 'REMOVE',
      ...(op.kind === 'expire'
        ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }
        : {}),
      dynamodb: { ...dynamodb, OldImage: marshall(old ?? { PK, SK, userId, ...op.image }) as never },
    };
  });
};

// --- the two sides ----------------------------------------------------------------------------------

interface Side {
  readonly department: string;
  readonly people: readonly string[];
}

const newSide = async (): Promise<Side> => {
  const department = randomUUID();
  return { department, people: await Promise.all([createPerson(department), createPerson(department)]) };
};

/** Batches through the handler, as the event source mapping delivers them. */
const applyGrouped = async (records: DynamoDBRecord[], clock: { now: () => Date }, batchSize = 100) => {
  const handler = aggregator.createAggregatorHandler(clock);
  for (let start = 0; start < records.length; start += batchSize)
    expect(await handler({ Records: records.slice(start, start + batchSize) }, lambdaContext)).toEqual({
      batchItemFailures: [],
    });
};

/** Record by record on the one-record path. */
const applySequential = async (records: DynamoDBRecord[], clock: { now: () => Date }) => {
  const owners = rollups.ownerFactsCache();
  for (const record of records)
    await rollups.applyStreamRecord(aggregator.toRecordInput(record), owners, clock);
};

const partition = async (pk: string) => {
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.documentClient.send(
      new QueryCommand({
        TableName: client.tableName(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/**
 * A side's rollup state with its ids replaced by placeholders: counters (zeros dropped: a rollup whose
 * changes cancel out within a group is not written at all), revision state, marker counts, ledgers.
 * Write bookkeeping (`rev`, `updatedAt`) differs by design.
 */
const snapshot = async (side: Side) => {
  const rename = (text: string) =>
    side.people.reduce(
      (t, person, i) => t.replaceAll(person, `person${i}`),
      text.replaceAll(side.department, 'dept'),
    );
  const items = (
    await Promise.all([
      partition(`AGG#DEPT#${side.department}`),
      ...side.people.map((person) => partition(`AGG#USER#${person}`)),
    ])
  ).flat();
  const state: State = {};
  for (const item of items) {
    const { PK, SK, rev: _rev, updatedAt: _updated, ...rest } = item;
    const counters = Object.entries(rest).filter(([name, value]) => name.includes('.') && value !== 0);
    const others = Object.entries(rest).filter(([name]) => !name.includes('.'));
    state[rename(`${String(PK)}|${String(SK)}`)] = JSON.parse(
      rename(
        JSON.stringify(Object.fromEntries([...others, ...counters].sort(([a], [b]) => a.localeCompare(b)))),
      ),
    );
  }
  return state;
};

type State = Record<string, Record<string, unknown>>;
const countersOf = (item: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(item ?? {}).filter(([name, value]) => name.includes('.') && value !== 0));

/** Without the revision state, and without rollup items that hold nothing. */
const unrevised = (state: State): State =>
  Object.fromEntries(
    Object.entries(state).flatMap(([key, { revised: _revised, asClosed: _asClosed, ...rest }]) =>
      rest.entityType === 'ROLLUP' && Object.keys(countersOf(rest)).length === 0 ? [] : [[key, rest]],
    ),
  );

describe('contribution ledger items', () => {
  it('store the aggregate part as a reference when it is the user part’s aggregate view, and read back the same state', async () => {
    const { aggregateView, contributionOf, EMPTY_LEDGER } = await import('#domain/rollups.ts');
    const { itemBytes } = await import('../../lib/local/dynamodb-meter.ts');
    const user = contributionOf({
      entityType: 'CHAT_ANALYSIS',
      analyzedAt: '2024-06-05T10:00:00.000Z',
      sentiment: { label: 'negative', score: 0.9 },
      emotions: { anger: 0.1, disgust: 0.1, fear: 0.2, joy: 0.1, sadness: 0.3, surprise: 0.1, neutral: 0.1 },
      riskFlags: [],
    })!;
    const counted = { ...EMPTY_LEDGER, user, agg: aggregateView(user), aggDepartment: 'd', seq: '42' };
    const expired = { ...counted, user: null, removed: true };
    const withdrawn = { ...counted, agg: null, aggDepartment: null, aggExcluded: true };
    const now = new Date('2024-06-20T12:00:00Z');
    for (const state of [counted, expired, withdrawn, EMPTY_LEDGER]) {
      const item = rollups.ledgerItem('sub-1', 'CHAT#x', state, 3, now);
      expect(rollups.ledgerOf(item)).toEqual({ ...state, rev: 3 });
    }
    const item = rollups.ledgerItem('sub-1', 'CHAT#x', counted, 3, now);
    expect(item.agg).toBe('userView');
    // An analysis with every emotion label: one write unit (≤ 1 KB), where two copies needed two.
    expect(itemBytes(item)).toBeLessThanOrEqual(1024);
    expect(itemBytes({ ...item, agg: counted.agg })).toBeGreaterThan(1024);
  });
});

describe('stream aggregator groups', () => {
  it('end in the same rollups, markers and ledgers as the records applied one by one, and a redelivery changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 100 }),
        fc.nat(),
        async (before, during, batchSize, redeliverFrom) => {
          const seqs = [...before, ...during].map(() => (sequence += 1n));
          const [grouped, sequential] = await Promise.all([newSide(), newSide()]);
          const groupedRecords = streamOf([...before, ...during], grouped.people, seqs);
          const sequentialRecords = streamOf([...before, ...during], sequential.people, seqs);
          // `before` while May is open, `during` once it has closed (revisions of May).
          await applyGrouped(groupedRecords.slice(0, before.length), inMay, batchSize);
          await applySequential(sequentialRecords.slice(0, before.length), inMay);
          await applyGrouped(groupedRecords.slice(before.length), inJune, batchSize);
          await applySequential(sequentialRecords.slice(before.length), inJune);
          const groupedState = await snapshot(grouped);
          const sequentialState = await snapshot(sequential);
          expect(unrevised(groupedState)).toEqual(unrevised(sequentialState));
          // Revisions: what the group marks revised, the one-record path does too, with the same
          // snapshot. A closed month that one record changed and a later record of the same group
          // restored is not written by the group (nothing anyone could read changed): the one-record
          // path marks it revised with unchanged numbers; any other revision the group makes too.
          for (const [key, cell] of Object.entries(groupedState))
            if (cell.revised === true)
              expect(sequentialState[key]).toMatchObject({ revised: true, asClosed: cell.asClosed });
          for (const [key, cell] of Object.entries(sequentialState))
            if (
              cell.revised === true &&
              !isDeepStrictEqual(countersOf(cell), countersOf(cell.asClosed as never))
            )
              expect(groupedState[key]?.revised).toBe(true);
          // Lambda retrying a batch from some record: everything from there again, all no-ops.
          const all = groupedRecords;
          await applyGrouped(all.slice(redeliverFrom % all.length), inJune, batchSize);
          expect(await snapshot(grouped)).toEqual(groupedState);
        },
      ),
      { numRuns: 12 },
    );
  });

  /** Inserts of `count` chat analyses of one person, spread over the items 0…count−1. */
  const chats = (person: string, count: number, label: string): DynamoDBRecord[] =>
    Array.from({ length: count }, (_, item) => {
      sequence += 1n;
      const image = {
        PK: `USER#${person}`,
        SK: `ITEM#${item}`,
        userId: person,
        entityType: 'CHAT_ANALYSIS',
        analyzedAt: '2024-06-05T10:00:00.000Z',
        sentiment: { label, score: 0.9 },
        emotions: { joy: 0.5 },
        riskFlags: [],
      };
      return {
        eventID: randomUUID(),
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          Keys: marshall({ PK: image.PK, SK: image.SK }) as never,
          NewImage: marshall(image) as never,
          SequenceNumber: sequence.toString(),
        },
      };
    });

  const departmentJune = async (department: string) => {
    const read = await rollups.readRollups([
      { scope: { kind: 'department', id: department }, period: { granularity: 'MONTH', key: '2024-06' } },
    ]);
    return read({ kind: 'department', id: department }, { granularity: 'MONTH', key: '2024-06' }) ?? {};
  };

  it('applies a partially failed batch once: the records after the poisoned one now, the redelivery from it as no-ops', async () => {
    const department = randomUUID();
    const [ana, ben] = await Promise.all([createPerson(department), createPerson(department)]);
    const poisoned: DynamoDBRecord = {
      ...chats(ana, 1, 'positive')[0]!,
      eventID: randomUUID(),
      dynamodb: {
        Keys: marshall({ PK: `USER#${ana}`, SK: 'ITEM#poisoned' }) as never,
        NewImage: marshall({ PK: `USER#${ana}`, SK: 'ITEM#poisoned', entityType: 'CHAT_ANALYSIS' }) as never,
        SequenceNumber: (sequence += 1n).toString(),
      },
    };
    const batch = [...chats(ana, 5, 'negative'), poisoned, ...chats(ben, 5, 'positive')];
    const handler = aggregator.createAggregatorHandler(inJune);
    expect(await handler({ Records: batch }, lambdaContext)).toEqual({
      batchItemFailures: [{ itemIdentifier: poisoned.dynamodb?.SequenceNumber }],
    });
    const once = await departmentJune(department);
    expect(once).toMatchObject({
      'activity.items': 10,
      'sentiment.chat.negative': 5,
      'sentiment.chat.positive': 5,
      'contributors.all': 2,
      'contributors.sentiment.negative': 1,
    });
    // Lambda retries from the failed record: it fails again, the rest are no-ops.
    expect(await handler({ Records: batch.slice(5) }, lambdaContext)).toEqual({
      batchItemFailures: [{ itemIdentifier: poisoned.dynamodb?.SequenceNumber }],
    });
    expect(await departmentJune(department)).toEqual(once);
  });

  it('counts a record without a sequence number once even when a batch holds it twice (its processed marker)', async () => {
    const department = randomUUID();
    const person = await createPerson(department);
    const [record] = chats(person, 1, 'positive');
    const { SequenceNumber: _seq, ...unnumbered } = record!.dynamodb!;
    const twice = { ...record!, dynamodb: unnumbered };
    const handler = aggregator.createAggregatorHandler(inJune);
    expect(await handler({ Records: [twice, twice] }, lambdaContext)).toEqual({ batchItemFailures: [] });
    expect(await departmentJune(department)).toMatchObject({ 'activity.items': 1, 'contributors.all': 1 });
  });

  it('falls back to one record at a time when another writer changes an item the group read, and counts each record once', async () => {
    const department = randomUUID();
    const person = await createPerson(department);
    const handler = aggregator.createAggregatorHandler(inJune);
    await handler({ Records: chats(person, 3, 'positive') }, lambdaContext);
    // The same items modified; a competing write bumps one ledger's revision between the group's read
    // and its transaction, so the group's ledger condition fails (a real conflict on the emulator).
    const modified = chats(person, 3, 'negative').map((record) => ({
      ...record,
      eventName: 'MODIFY' as const,
    }));
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const keys = await import('#data/dynamodb/keys.ts');
    const stack = client.documentClient.middlewareStack;
    let groupsSent = 0;
    stack.add(
      (next, context) => async (args) => {
        // The document client's commands reach this stack as the base client's (marshalled) ones.
        const input = args.input as { TransactItems?: { Put?: { Item?: Record<string, unknown> } }[] };
        const isLedger = (sk: unknown) =>
          (typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S)?.startsWith('SRC#') === true;
        const ledgersInTransaction = context.commandName?.startsWith('TransactWrite')
          ? (input.TransactItems ?? []).filter((a) => isLedger(a.Put?.Item?.SK)).length
          : 0;
        if (ledgersInTransaction > 1) {
          groupsSent += 1;
          await client.documentClient.send(
            new UpdateCommand({
              TableName: client.tableName(),
              Key: keys.rollupSource(person, 'ITEM#1'),
              UpdateExpression: 'ADD #rev :one',
              ExpressionAttributeNames: { '#rev': 'rev' },
              ExpressionAttributeValues: { ':one': 1 },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'competingLedgerWrite' },
    );
    try {
      expect(await handler({ Records: modified }, lambdaContext)).toEqual({ batchItemFailures: [] });
    } finally {
      stack.remove('competingLedgerWrite');
    }
    expect(groupsSent).toBe(1);
    expect(await departmentJune(department)).toMatchObject({
      'activity.items': 3,
      'sentiment.chat.negative': 3,
      'sentiment.chat.positive': 0,
      'contributors.all': 1,
      'contributors.sentiment.negative': 1,
      'contributors.sentiment.positive': 0,
    });
  });
});
