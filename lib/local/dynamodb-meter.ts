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
});

type Consumed = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;

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
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
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

/** Runs `work` with a fresh meter and returns its result with what it cost. */
export const metered = async <T>(work: () => Promise<T>): Promise<{ result: T; cost: DynamoDbCost }> => {
  const cost = emptyCost();
  const result = await current.run(cost, work);
  return { result, cost };
};

export const formatCost = (cost: DynamoDbCost): string =>
  [
    `round-trips=${cost.roundTrips}`,
    `transactions=${cost.transactions}`,
    `write-calls=${cost.writeCalls}`,
    `read-units=${cost.readUnits}`,
    `write-units=${cost.writeUnits}`,
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
  };
};

/**
 * Routes allowed past the read target, and why. The export reads everything held about a user (profile,
 * their partition page by page, consent history, the audit trail about them) into parts of at most
 * 5 MB: its cost grows with the data by design, and it is rare (a user's own request). A manager's
 * user listing reads their departments, then the listing, then writes its own audit record.
 */
export const COST_TARGET_EXCEPTIONS: Readonly<Record<string, string>> = {
  'privacy.export': 'reads the whole of the user’s data, page by page',
  'users.list':
    'a manager’s listing looks up the departments they manage first, and every listing is audited: 3 round trips (an admin’s: 2)',
};

/**
 * The DynamoDB cost targets for one request of a route with the given data access: a route
 * without table access makes no call; a read route at most 2 round trips (unless excepted) and no write
 * but its audit record; a write puts everything it writes (entity, audit, counters, alerts) in one call,
 * one transaction. Returns what the request broke; empty = within the targets.
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
  if (data === 'read-write' && cost.writeCalls > 1) misses.push(`${cost.writeCalls} write calls`);
  return misses;
};
