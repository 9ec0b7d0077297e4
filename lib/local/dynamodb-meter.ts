import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * What one request cost in DynamoDB: round trips (one per `send`, whatever the SDK retried inside it),
 * the commands in order, and the consumed capacity DynamoDB reported (ReturnConsumedCapacity TOTAL).
 * The local runtime measures every handler invocation and answers it in the `X-Local-DynamoDB-Cost`
 * header, so a developer sees it on every local response and the cost test and benchmark read it
 * through the real gateway. Never part of the deployed API.
 */
export interface DynamoDbCost {
  roundTrips: number;
  /** TransactWriteItems / TransactGetItems calls. */
  transactions: number;
  /** Calls that write: Put, Update, Delete, BatchWrite, TransactWrite. */
  writeCalls: number;
  readUnits: number;
  writeUnits: number;
  commands: string[];
  /** How long the metered invocation ran (ms): what Lambda would bill for it, at local speed. */
  ms: number;
}

export const COST_HEADER = 'X-Local-DynamoDB-Cost';

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

const current = new AsyncLocalStorage<DynamoDbCost>();

const emptyCost = (): DynamoDbCost => ({
  roundTrips: 0,
  transactions: 0,
  writeCalls: 0,
  readUnits: 0,
  writeUnits: 0,
  commands: [],
  ms: 0,
});

type Consumed = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;

/** An attribute value as the low-level client sends it (`{ S: 'x' }`, `{ M: {…} }`, …). */
type AttributeValue = Record<string, unknown>;

const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);

/** A marshalled attribute value, as opposed to a plain value the document client has yet to marshall. */
const isAttributeValue = (value: unknown): value is AttributeValue =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Set) &&
  !(value instanceof Uint8Array) &&
  Object.keys(value).length === 1 &&
  ATTRIBUTE_TYPES.has(Object.keys(value)[0]!);

const numberBytes = (value: unknown): number =>
  Math.ceil(String(value).replace(/^-|\.|e.*$/gi, '').length / 2) + 1;

/**
 * The bytes of one value by DynamoDB's item size rules (close enough to bill by): marshalled attribute
 * values, or the plain values the document client sends (the meter sees commands before marshalling).
 */
const valueBytes = (value: unknown): number => {
  if (isAttributeValue(value)) {
    const [[type, inner]] = Object.entries(value) as [[string, unknown]];
    if (type === 'N') return numberBytes(inner);
    if (type === 'NS') return (inner as unknown[]).reduce<number>((sum, n) => sum + numberBytes(n), 0);
    if (type === 'SS' || type === 'BS') return valueBytes(new Set(inner as unknown[]));
    if (type === 'NULL') return 1;
    return valueBytes(inner);
  }
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberBytes(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce<number>((sum, item) => sum + valueBytes(item), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, item) => sum + 1 + valueBytes(item), 0);
  if (typeof value === 'object') return 3 + itemBytes(value as Record<string, unknown>);
  return 0;
};

/** The bytes of an item (or key): attribute names and values. */
export const itemBytes = (item: Readonly<Record<string, unknown>>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);

type TransactWriteAction = Partial<
  Record<
    'Put' | 'Update' | 'Delete' | 'ConditionCheck',
    { Item?: AttributeValue; Key?: AttributeValue; ExpressionAttributeValues?: AttributeValue }
  >
>;

/**
 * Write units of a TransactWriteItems as DynamoDB bills them: 2 per KB (rounded up) of each item the
 * transaction writes, at least 2 per action. DynamoDB Local reports a flat figure for a whole
 * transaction (the units of one item), so the meter computes them from the request: a Put by its item;
 * an Update by `updatedBytes` when given, else by its key and values (a lower bound: the item may be
 * bigger than what the update names); a Delete and a ConditionCheck by their key (2 units).
 */
export const transactWriteUnits = (
  actions: readonly TransactWriteAction[],
  updatedBytes?: (key: AttributeValue) => number | undefined,
): number =>
  actions.reduce((sum, action) => {
    const bytes = action.Put?.Item
      ? itemBytes(action.Put.Item)
      : action.Update?.Key
        ? (updatedBytes?.(action.Update.Key) ??
          itemBytes(action.Update.Key) + itemBytes(action.Update.ExpressionAttributeValues ?? {}))
        : 0;
    return sum + 2 * Math.max(1, Math.ceil(bytes / 1024));
  }, 0);

const installed = new WeakSet<DynamoDBClient>();

/**
 * Counts the commands sent through `client` while a metered call is in progress (other traffic, e.g.
 * the stream poller, passes through untouched). On the base client, so document-client commands count
 * too; at the initialize step, so SDK retries inside one send are one round trip.
 */
export const installDynamoDbMeter = (client: DynamoDBClient): void => {
  if (installed.has(client)) return;
  installed.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const cost = current.getStore();
      const command = context.commandName ?? 'unknown';
      if (!cost || !(READS.has(command) || WRITES.has(command))) return next(args);
      cost.roundTrips += 1;
      cost.commands.push(command.replace(/Command$/, ''));
      if (command.startsWith('Transact')) cost.transactions += 1;
      if (WRITES.has(command)) cost.writeCalls += 1;
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity;
      const units =
        command === 'TransactWriteItemsCommand'
          ? transactWriteUnits((args.input as { TransactItems: TransactWriteAction[] }).TransactItems)
          : (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
              (sum, c) => sum + (c.CapacityUnits ?? 0),
              0,
            );
      if (WRITES.has(command)) cost.writeUnits += units;
      else cost.readUnits += units;
      return result;
    },
    { step: 'initialize', name: 'localDynamoDbMeter' },
  );
};

/** Runs `work` with a fresh meter and returns its result with what it cost, its duration included. */
export const metered = async <T>(work: () => Promise<T>): Promise<{ result: T; cost: DynamoDbCost }> => {
  const cost = emptyCost();
  const started = performance.now();
  try {
    const result = await current.run(cost, work);
    return { result, cost };
  } finally {
    cost.ms = Math.round((performance.now() - started) * 10) / 10;
  }
};

export const formatCost = (cost: DynamoDbCost): string =>
  [
    `round-trips=${cost.roundTrips}`,
    `transactions=${cost.transactions}`,
    `write-calls=${cost.writeCalls}`,
    `read-units=${cost.readUnits}`,
    `write-units=${cost.writeUnits}`,
    `ms=${cost.ms}`,
    // Last, so a reader can match the whole sequence of calls at the end of the header.
    `commands=${cost.commands.join('+') || 'none'}`,
  ].join('; ');

export const parseCost = (header: string): DynamoDbCost => {
  const fields = Object.fromEntries(
    header.split(';').map((part) => {
      const [name, value = ''] = part.trim().split('=');
      return [name, value];
    }),
  );
  return {
    roundTrips: Number(fields['round-trips']),
    transactions: Number(fields.transactions),
    writeCalls: Number(fields['write-calls']),
    readUnits: Number(fields['read-units']),
    writeUnits: Number(fields['write-units']),
    commands: fields.commands && fields.commands !== 'none' ? fields.commands.split('+') : [],
    ms: Number(fields.ms ?? 0),
  };
};

/**
 * Routes allowed past the read target, and why. The export reads everything held about a user (profile,
 * their partition page by page, consent history, the audit trail about them) into parts of at most
 * 5 MB: its cost grows with the data by design, and it is rare (a user's own request). A manager's
 * user listing reads their departments, then the listing, then writes its own audit record. Batch
 * ingestion commits its audit records (with the account checks) in one transaction before it writes the
 * analyses they name in BatchWriteItem calls: no analysis is ever stored unaudited, and the bulk of the
 * batch is written at BatchWriteItem's rate and price (analysis-repository.ts storeAnalysisBatch).
 */
export const COST_TARGET_EXCEPTIONS: Readonly<Record<string, string>> = {
  'privacy.export': 'reads the whole of the user’s data, page by page',
  'users.list':
    'a manager’s listing looks up the departments they manage first, and every listing is audited: 3 round trips (an admin’s: 2)',
  'analyses.storeBatch':
    'one transaction of account checks and audit records, then the analyses they name by BatchWriteItem, 25 per call',
};

/**
 * The DynamoDB cost targets for one request of a route with the given data access: a route
 * without table access makes no call; a read route at most 2 round trips (unless excepted) and no write
 * but its audit record; a write puts everything it writes (entity, audit, counters, alerts) in one call,
 * one transaction (unless excepted). Returns what the request broke; empty = within the targets.
 */
export const costTargetMisses = (
  routeId: string,
  data: 'none' | 'read' | 'read-write',
  cost: DynamoDbCost,
): string[] => {
  const misses: string[] = [];
  if (data === 'none' && cost.roundTrips > 0)
    misses.push(`${cost.roundTrips} round trips without table access`);
  if (data === 'read') {
    if (cost.writeCalls > 1) misses.push(`${cost.writeCalls} write calls on a read route`);
    if (cost.roundTrips > 2 && !COST_TARGET_EXCEPTIONS[routeId])
      misses.push(`${cost.roundTrips} round trips on a read route`);
  }
  if (data === 'read-write' && cost.writeCalls > 1 && !COST_TARGET_EXCEPTIONS[routeId])
    misses.push(`${cost.writeCalls} write calls`);
  return misses;
};
