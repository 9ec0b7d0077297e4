import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  accountStateOf,
  clientAccess,
  sessionAccess,
  type AccessDecision,
  type AccessRecord,
  type AccessRefusal,
  type SessionFacts,
} from '#domain/account-access.ts';
import type { Principal } from '#domain/principal.ts';
import { dynamodb, documentClient, tableName } from './client.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import * as keys from './dynamodb/keys.ts';
import type { TransactAction } from './dynamodb/transaction.ts';

/**
 * The per-request check of the caller's account and sign-in (shared/domain/account-access.ts): every
 * request of a signed-in user (or pipeline) to a route with table access is answered only if, at that
 * moment, the account is active and the token's sign-in is neither older than the last global sign-out
 * nor ended by a logout. Revocation is therefore immediate: the next request after a logout, role
 * change, deactivation or erasure is refused.
 *
 * Cost: one strongly consistent read of the caller's profile item per request — folded into a read
 * or write the route makes anyway wherever it can, so most routes pay no extra round trip. The check
 * rides on the handlers' own DynamoDB client (a middleware on it, installed below), so no route can
 * forget it and no repository has to know about it:
 *
 * - a GetItem of the caller's own profile is made strongly consistent and judged;
 * - the first BatchGetItem gets the caller's profile key added (strongly consistent) and the item
 *   taken out of the answer again (where the sender enabled it: `foldCallerCheckIntoBatchGets`, called by
 *   dynamodb/batch.ts and the EmoBuddy session read);
 * - the first TransactWriteItems gets a ConditionCheck of the caller's profile added, so the write
 *   commits only if the caller may still write — in the same transaction (a transaction that already
 *   touches the caller's profile is preceded by the read instead);
 * - any other write (Put, Update, Delete, BatchWrite) is preceded by the read;
 * - reads that cannot carry it (Query, GetItem of other items) pass, and if nothing carried the check
 *   by the end of the use case, the handler chain makes the read before the answer leaves.
 *
 * A refusal is an AccessRefusedError, which the handler chain answers with 401. Pipelines are checked
 * the same way against their client's record (keys.machineClientAccess), which exists only once the
 * operator has cut that client's tokens.
 */

type Caller =
  | { kind: 'user'; key: keys.Key; session: NonNullable<Extract<Principal, { kind: 'user' }>['session']> }
  | { kind: 'machine'; key: keys.Key; issuedAt: number };

interface Gate {
  caller?: Caller;
  state: 'unchecked' | 'verified' | 'refused';
  refusal?: AccessRefusal;
  pending?: Promise<void> | undefined;
}

/** The caller's access was refused: the handler chain answers 401. */
export class AccessRefusedError extends Error {
  override name = 'AccessRefusedError';
  constructor(readonly reason: AccessRefusal) {
    super(`caller access refused: ${reason}`);
  }
}

export const isAccessRefusal = (error: unknown): error is AccessRefusedError =>
  error instanceof AccessRefusedError;

const invocations = new AsyncLocalStorage<Gate>();

/** Runs one invocation with its own check state (the handler factory wraps every handler in it). */
export const withCallerAccess = <T>(work: () => Promise<T>): Promise<T> =>
  invocations.run({ state: 'unchecked' }, work);

/**
 * From now on, every DynamoDB call of this invocation is conditioned on this caller's access. A user
 * principal without sign-in facts (a token without times or ids) is refused outright.
 */
export const requireCallerAccess = (principal: Principal): void => {
  const gate = invocations.getStore();
  if (!gate) throw new Error('requireCallerAccess outside withCallerAccess');
  if (principal.kind === 'user') {
    if (!principal.session) {
      gate.state = 'refused';
      gate.refusal = 'signed_out';
      return;
    }
    gate.caller = { kind: 'user', key: keys.userProfile(principal.sub), session: principal.session };
  } else if (principal.kind === 'machine') {
    gate.caller = {
      kind: 'machine',
      key: keys.machineClientAccess(principal.clientId),
      issuedAt: principal.issuedAt ?? 0,
    };
  }
};

/** Whether this invocation's caller still has to be checked (a write may then carry the check). */
export const callerAccessPending = (): boolean => {
  const gate = invocations.getStore();
  return gate?.caller !== undefined && gate.state === 'unchecked';
};

type Item = Record<string, unknown>;

/** The access facts of a stored profile (legacy profiles included), or undefined without one. */
export const accessRecordOf = (item: Item | undefined): AccessRecord | undefined =>
  item
    ? {
        state: accountStateOf(item),
        tokensValidAfter: typeof item.tokensValidAfter === 'number' ? item.tokensValidAfter : 0,
        revokedSessions:
          item.revokedSessions && typeof item.revokedSessions === 'object'
            ? (item.revokedSessions as Record<string, number>)
            : {},
      }
    : undefined;

const decide = (caller: Caller, item: Item | undefined): AccessDecision =>
  caller.kind === 'user'
    ? sessionAccess(accessRecordOf(item), caller.session)
    : clientAccess(
        typeof item?.tokensValidAfter === 'number' ? { tokensValidAfter: item.tokensValidAfter } : undefined,
        caller.issuedAt,
      );

const refused = (gate: Gate): AccessRefusedError => new AccessRefusedError(gate.refusal ?? 'signed_out');

const settle = (gate: Gate, decision: AccessDecision): void => {
  if (decision.allowed) {
    gate.state = 'verified';
    return;
  }
  gate.state = 'refused';
  gate.refusal = decision.reason;
  throw refused(gate);
};

/** The state condition shared by the caller check and the checks of other users' accounts. */
const ACTIVE_ACCOUNT =
  '(accountState = :accessActive OR (attribute_not_exists(accountState) AND isActive = :accessYes))';

/**
 * `sessionAccess` (shared/domain/account-access.ts) as a DynamoDB condition on the user's profile, for
 * a write that must commit only while the sign-in holds (the caller check, an erasure request).
 */
export const sessionCondition = (session: SessionFacts) => ({
  expression: `${ACTIVE_ACCOUNT} AND (attribute_not_exists(tokensValidAfter) OR tokensValidAfter <= :accessAuthTime) AND attribute_not_exists(revokedSessions.#accessOrigin)`,
  names: { '#accessOrigin': session.originId },
  values: { ':accessActive': 'active', ':accessYes': true, ':accessAuthTime': session.authTime },
});

/** The caller check as a DynamoDB condition on the caller's item: the same rule as `decide`. */
const callerCondition = (caller: Caller) => {
  if (caller.kind === 'machine')
    return {
      ConditionExpression: 'attribute_not_exists(PK) OR tokensValidAfter <= :accessIssuedAt',
      ExpressionAttributeValues: { ':accessIssuedAt': caller.issuedAt },
    };
  const condition = sessionCondition(caller.session);
  return {
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: condition.names,
    ExpressionAttributeValues: condition.values,
  };
};

/**
 * A ConditionCheck that the user's account is active, for a transaction writing the user's data (a
 * pipeline's analysis, an EmoBuddy message): nothing is written to an account that is closed. When the
 * user is this invocation's caller and not yet checked, it checks the caller's sign-in too, so the one
 * condition carries the whole caller check.
 */
export const activeAccountCheck = (sub: string): TransactAction => {
  const key = keys.userProfile(sub);
  const gate = invocations.getStore();
  const caller = gate?.caller;
  if (caller?.kind === 'user' && gate?.state === 'unchecked' && sameKey(caller.key, key))
    return { ConditionCheck: { TableName: tableName(), Key: key, ...callerCondition(caller) } };
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: key,
      ConditionExpression: ACTIVE_ACCOUNT,
      ExpressionAttributeValues: { ':accessActive': 'active', ':accessYes': true },
    },
  };
};

/** The same rule as a condition on the user's profile, for auditIfPermitted (versioned-write.ts). */
export const activeAccountCondition = (sub: string) => ({
  Key: keys.userProfile(sub),
  ConditionExpression: ACTIVE_ACCOUNT,
  ExpressionAttributeValues: { ':accessActive': 'active', ':accessYes': true },
});

const sameKey = (a: Item | undefined, b: keys.Key): boolean => a?.PK === b.PK && a?.SK === b.SK;

/** Inputs of the gate's own reads, which its middleware lets through. */
const ownInputs = new WeakSet<object>();

const readCallerRecord = async (caller: Caller): Promise<Item | undefined> => {
  const input =
    caller.kind === 'user'
      ? {
          TableName: tableName(),
          Key: caller.key,
          ConsistentRead: true,
          ProjectionExpression:
            'accountState, isActive, erasureRequestedAt, tokensValidAfter, revokedSessions.#origin',
          ExpressionAttributeNames: { '#origin': caller.session.originId },
        }
      : { TableName: tableName(), Key: caller.key, ConsistentRead: true };
  ownInputs.add(input);
  const { Item } = await documentClient.send(new GetCommand(input));
  return Item;
};

/**
 * A user's access facts, strongly consistent, for a sign-in route judging tokens it was just issued
 * (no caller check runs there: the route is public).
 */
export const readAccessRecord = async (sub: string): Promise<AccessRecord | undefined> => {
  const input = {
    TableName: tableName(),
    Key: keys.userProfile(sub),
    ConsistentRead: true,
    ProjectionExpression: 'accountState, isActive, erasureRequestedAt, tokensValidAfter, revokedSessions',
  };
  ownInputs.add(input);
  const { Item } = await documentClient.send(new GetCommand(input));
  return accessRecordOf(Item);
};

/**
 * Checks the caller now unless something this invocation sent already did: one strongly consistent
 * GetItem. Throws AccessRefusedError when refused (again on every later call).
 */
export const verifyCallerAccess = async (): Promise<void> => {
  const gate = invocations.getStore();
  if (!gate) return;
  if (gate.state === 'refused') throw refused(gate);
  const caller = gate.caller;
  if (!caller || gate.state === 'verified') return;
  gate.pending ??= readCallerRecord(caller)
    .then((item) => settle(gate, decide(caller, item)))
    .finally(() => (gate.pending = undefined));
  return gate.pending;
};

/** Why a folded condition failed, for the message: the record as it is now. */
const refuseFromRecord = async (gate: Gate, caller: Caller): Promise<never> => {
  const decision = decide(caller, await readCallerRecord(caller));
  gate.state = 'refused';
  gate.refusal = decision.allowed ? 'signed_out' : decision.reason;
  throw refused(gate);
};

const targetKey = (action: Item): Item | undefined => {
  const put = action.Put as { Item?: Item } | undefined;
  if (put?.Item) return put.Item;
  const other = (action.Update ?? action.Delete ?? action.ConditionCheck) as { Key?: Item } | undefined;
  return other?.Key;
};

/** DynamoDB's limits: 100 keys per BatchGetItem, 100 actions per transaction. */
const MAX_BATCH_KEYS = 100;
const MAX_TRANSACTION_ACTIONS = 100;

type Next = (args: { input: unknown }) => Promise<{ output: unknown }>;

const foldIntoGet = async (gate: Gate, caller: Caller, next: Next, args: { input: unknown }) => {
  const input = args.input as Item;
  if (
    input.TableName !== tableName() ||
    !sameKey(input.Key as Item, caller.key) ||
    input.ProjectionExpression
  )
    return next(args);
  const result = await next({ ...args, input: { ...input, ConsistentRead: true } });
  settle(gate, decide(caller, (result.output as { Item?: Item }).Item));
  return result;
};

const foldIntoBatchGet = async (gate: Gate, caller: Caller, next: Next, args: { input: unknown }) => {
  const input = args.input as {
    RequestItems?: Record<string, { Keys: Item[]; ProjectionExpression?: string }>;
  };
  const table = tableName();
  const request = input.RequestItems?.[table];
  if (!request || request.ProjectionExpression || request.Keys.length >= MAX_BATCH_KEYS) return next(args);
  const asked = request.Keys.some((key) => sameKey(key, caller.key));
  const result = await next({
    ...args,
    input: {
      ...input,
      RequestItems: {
        ...input.RequestItems,
        [table]: {
          ...request,
          Keys: asked ? request.Keys : [...request.Keys, { PK: caller.key.PK, SK: caller.key.SK }],
          ConsistentRead: true,
        },
      },
    },
  });
  const output = result.output as {
    Responses?: Record<string, Item[]>;
    UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
  };
  const unprocessed = output.UnprocessedKeys?.[table];
  if (unprocessed?.Keys?.some((key) => sameKey(key, caller.key))) {
    // Throttled for now: the item stays unchecked, and the caller's retry does not fetch it again.
    if (!asked) {
      unprocessed.Keys = unprocessed.Keys.filter((key) => !sameKey(key, caller.key));
      if (unprocessed.Keys.length === 0) delete output.UnprocessedKeys![table];
    }
    return result;
  }
  const responses = output.Responses?.[table] ?? [];
  const item = responses.find((candidate) => sameKey(candidate, caller.key));
  if (!asked && output.Responses?.[table])
    output.Responses[table] = responses.filter((candidate) => candidate !== item);
  settle(gate, decide(caller, item));
  return result;
};

const foldIntoTransaction = async (gate: Gate, caller: Caller, next: Next, args: { input: unknown }) => {
  const input = args.input as { TransactItems?: Item[] };
  const actions = input.TransactItems ?? [];
  const condition = callerCondition(caller);
  // A repository may carry the check itself (activeAccountCheck): then it is already in place.
  const carried = actions.findIndex((action) => {
    const check = action.ConditionCheck as Item | undefined;
    return (
      sameKey(check?.Key as Item, caller.key) && check?.ConditionExpression === condition.ConditionExpression
    );
  });
  if (
    carried < 0 &&
    (actions.length >= MAX_TRANSACTION_ACTIONS ||
      actions.some((action) => sameKey(targetKey(action), caller.key)))
  ) {
    await verifyCallerAccess();
    return next(args);
  }
  const index = carried >= 0 ? carried : actions.length;
  const sent =
    carried >= 0
      ? args
      : {
          ...args,
          input: {
            ...input,
            TransactItems: [
              ...actions,
              { ConditionCheck: { TableName: tableName(), Key: caller.key, ...condition } },
            ],
          },
        };
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await next(sent);
      gate.state = 'verified';
      return result;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      if ((error as Error).name !== 'TransactionCanceledException' || !Array.isArray(reasons)) throw error;
      const ours = reasons[index]?.Code;
      if (ours === 'ConditionalCheckFailed') return refuseFromRecord(gate, caller);
      // A concurrent write to the caller's profile (a profile edit, a logout): nothing was written, so
      // the same transaction is sent again, as DynamoDB advises for conflicts.
      if (
        ours === 'TransactionConflict' &&
        attempt < 3 &&
        reasons.every((reason) => reason.Code === 'None' || reason.Code === 'TransactionConflict')
      ) {
        await conflictBackoff(attempt + 1);
        continue;
      }
      // The check held at that instant; the transaction failed for the use case's own reasons.
      if (ours === 'None') gate.state = 'verified';
      if (carried < 0)
        (error as { CancellationReasons?: unknown }).CancellationReasons = reasons.slice(0, -1);
      throw error;
    }
  }
};

type Fold = (
  gate: Gate,
  caller: Caller,
  next: Next,
  args: { input: unknown },
) => Promise<{ output: unknown }>;

/**
 * The commands that carry the caller check, by command name. The BatchGetItem fold is added by the
 * modules that send one (`foldCallerCheckIntoBatchGets`), so only their functions carry its code: most
 * routes never send a BatchGetItem. One that did without it would still be checked, by the read the
 * handler chain makes before the answer leaves.
 */
const folds = new Map<string, Fold>([
  ['GetItemCommand', foldIntoGet],
  ['TransactWriteItemsCommand', foldIntoTransaction],
]);

/** Lets this invocation's first BatchGetItem carry the caller check (call before sending one). */
export const foldCallerCheckIntoBatchGets = (): void => {
  folds.set('BatchGetItemCommand', foldIntoBatchGet);
};

const WRITES_WITHOUT_CONDITION = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

const installed = new WeakSet<DynamoDBClient>();

/** Puts the check on the client's commands (once per client; the handlers' client at import). */
export const installCallerAccessCheck = (client: DynamoDBClient): void => {
  if (installed.has(client)) return;
  installed.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const gate = invocations.getStore();
      if (!gate || !gate.caller || ownInputs.has(args.input as object)) return next(args);
      if (gate.state === 'refused') throw refused(gate);
      if (gate.state === 'verified') return next(args);
      const caller = gate.caller;
      const command = context.commandName ?? '';
      // The casts: the middleware stack is typed for every command at once; each fold knows its own.
      const forward = next as unknown as Next;
      const fold = folds.get(command);
      if (fold) return (await fold(gate, caller, forward, args)) as Awaited<ReturnType<typeof next>>;
      if (WRITES_WITHOUT_CONDITION.has(command)) await verifyCallerAccess();
      return next(args);
    },
    { step: 'initialize', name: 'callerAccessCheck' },
  );
};

installCallerAccessCheck(dynamodb);
