import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandOutput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Analysis, AnalysisType } from '#contract/analysis.ts';
import type { PlannedAnalysis } from '#domain/analysis.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { accountStateOf } from '#domain/account-access.ts';
import { epochSeconds, isoOfEpoch, LIVE_FILTER } from '#domain/retention.ts';
import { auditPut } from './audit-repository.ts';
import { activeAccountCheck } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import { keys, stripKeys } from './keys.ts';

/**
 * Analyses in their user's partition (keys.analysis: USER#<sub> / <TYPE>#<analyzedAt>#<id>). Every
 * write puts the analysis, its audit record and (for crisis/self-harm flags) its risk alert in ONE
 * transaction; the analysis put is conditional on a new key, so a re-run under the same Idempotency-Key
 * (deterministic ids) finds its first write instead of storing a duplicate.
 */
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

export interface AnalysisWrite {
  planned: PlannedAnalysis;
  audit: AuditRecord;
  /** The alert's items (risk-alerts.ts alertTransactItems) when the analysis raised one. */
  alertItems: TransactItem[];
}

const entityTypeOf = (type: AnalysisType) => `${type.toUpperCase()}_ANALYSIS`;

const itemKey = ({ analysis }: PlannedAnalysis) =>
  keys.analysis(analysis.userId, analysis.type, analysis.analyzedAt, analysis.id);

const analysisItem = (planned: PlannedAnalysis): Item => {
  const { expiresAt: _iso, ...analysis } = planned.analysis;
  return {
    ...itemKey(planned),
    entityType: entityTypeOf(analysis.type),
    ...analysis,
    updatedAt: analysis.createdAt,
    ...(planned.expiresAtEpoch !== undefined ? { expiresAt: planned.expiresAtEpoch } : {}),
  };
};

/** The API shape of a stored item: no storage keys, the TTL as ISO. */
export const toAnalysis = (item: Item): Analysis => {
  const { entityType: _type, updatedAt: _updated, expiresAt, ...rest } = stripKeys(item);
  return {
    ...(rest as unknown as Analysis),
    ...(typeof expiresAt === 'number' ? { expiresAt: isoOfEpoch(expiresAt) } : {}),
  };
};

const writeItems = ({ planned, audit, alertItems }: AnalysisWrite): TransactItem[] => [
  {
    Put: {
      TableName: tableName(),
      Item: analysisItem(planned),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  },
  auditPut(audit),
  ...alertItems,
];

/** The per-item codes of a cancelled transaction (undefined for any other error). */
export const cancellationCodes = (error: unknown): string[] | undefined => {
  if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return Array.isArray(reasons) ? reasons.map((reason) => reason.Code ?? 'None') : [];
};

export type UserState = 'active' | 'inactive' | 'missing';

const stateOf = (profile: Item | undefined): UserState =>
  !profile ? 'missing' : accountStateOf(profile) === 'active' ? 'active' : 'inactive';

/** The attributes the account state is read from (legacy profiles carry the older two). */
const STATE_PROJECTION = 'accountState, isActive, erasureRequestedAt';

/** Whether a user exists and is active (an erased or deactivated user receives no new data). */
export const userState = async (userId: string): Promise<UserState> => {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.userProfile(userId),
      ProjectionExpression: STATE_PROJECTION,
      ConsistentRead: true,
    }),
  );
  return stateOf(Item);
};

/** The state of many users at once: BatchGetItem (≤ 100 keys per call), unprocessed keys retried. */
export const userStates = async (userIds: readonly string[]): Promise<Map<string, UserState>> => {
  const states = new Map<string, UserState>(userIds.map((id) => [id, 'missing']));
  for (let start = 0; start < userIds.length; start += 100) {
    let pending: Item[] | undefined = userIds.slice(start, start + 100).map((id) => keys.userProfile(id));
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));
      if (attempt > 6) throw new Error('BatchGetItem kept leaving keys unprocessed');
      const result: BatchGetCommandOutput = await documentClient.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: pending,
              ProjectionExpression: `PK, ${STATE_PROJECTION}`,
              ConsistentRead: true,
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName()] ?? []) {
        states.set(String(item.PK).slice('USER#'.length), stateOf(item));
      }
      pending = result.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return states;
};

export type StoreOutcome =
  | { readonly outcome: 'stored'; readonly analysis: Analysis }
  | { readonly outcome: 'duplicate'; readonly analysis: Analysis }
  | { readonly outcome: 'user_missing' | 'user_inactive' };

const existing = async (planned: PlannedAnalysis): Promise<Analysis> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: itemKey(planned), ConsistentRead: true }),
  );
  return Item ? toAnalysis(Item) : planned.analysis;
};

/**
 * One analysis: the user's account must exist and be active (a ConditionCheck in the same transaction,
 * so an erasure cannot slip in between; for the user's own write it checks their sign-in too), then
 * analysis + audit (+ alert) — one round trip.
 */
export const storeAnalysis = async (write: AnalysisWrite): Promise<StoreOutcome> => {
  const { planned } = write;
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [activeAccountCheck(planned.analysis.userId), ...writeItems(write)],
      }),
    );
    return { outcome: 'stored', analysis: planned.analysis };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      const state = await userState(planned.analysis.userId);
      return { outcome: state === 'missing' ? 'user_missing' : 'user_inactive' };
    }
    if (codes?.[1] === 'ConditionalCheckFailed') {
      return { outcome: 'duplicate', analysis: await existing(planned) };
    }
    throw error;
  }
};

/** DynamoDB's limit on the actions of one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * Writes grouped into transactions of at most 100 actions: per write its analysis, audit record and
 * alert items, and once per user in the group the check that the user's account is active. The
 * caller's own check (caller-access.ts) adds one more action to the first transaction, so groups keep
 * one action free.
 */
export const packTransactions = <W extends { alertItems: readonly unknown[]; userId: string }>(
  writes: readonly W[],
): W[][] => {
  const capacity = MAX_TRANSACTION_ITEMS - 1;
  const groups: W[][] = [];
  let current: W[] = [];
  let users = new Set<string>();
  let size = 0;
  for (const write of writes) {
    const actions = 2 + write.alertItems.length + (users.has(write.userId) ? 0 : 1);
    if (size + actions > capacity) {
      groups.push(current);
      current = [];
      users = new Set();
      size = 0;
    }
    size += 2 + write.alertItems.length + (users.has(write.userId) ? 0 : 1);
    users.add(write.userId);
    current.push(write);
  }
  if (current.length > 0) groups.push(current);
  return groups;
};

const MAX_ATTEMPTS = 6;

export type BatchWriteOutcome = 'stored' | 'duplicate' | 'user_inactive';

/**
 * Writes one transaction's worth of analyses, each user's account checked in the same transaction. A
 * write whose analysis already exists (a re-run under the same Idempotency-Key) is taken out and
 * reported `duplicate`; the writes of a user whose account closed meanwhile are taken out and reported
 * `user_inactive`; the rest are retried, as is a transaction that collided with another (with jitter).
 * Any other failure is thrown: the request fails as a whole and its retry, with the same key, completes
 * it without duplicates.
 */
const writeGroup = async (group: AnalysisWrite[]): Promise<Map<AnalysisWrite, BatchWriteOutcome>> => {
  const outcomes = new Map<AnalysisWrite, BatchWriteOutcome>();
  let pending = group;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error('analysis batch transaction kept colliding');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    const users = [...new Set(pending.map((write) => write.planned.analysis.userId))];
    const actions = pending.map((write) => writeItems(write));
    try {
      await documentClient.send(
        new TransactWriteCommand({ TransactItems: [...users.map(activeAccountCheck), ...actions.flat()] }),
      );
      for (const write of pending) outcomes.set(write, 'stored');
      pending = [];
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (
        codes.some(
          (code) => code !== 'None' && code !== 'ConditionalCheckFailed' && code !== 'TransactionConflict',
        )
      )
        throw error;
      // The account checks come first, then each write starting with its analysis put.
      const closed = new Set(users.filter((_, index) => codes[index] === 'ConditionalCheckFailed'));
      let offset = users.length;
      const retry: AnalysisWrite[] = [];
      pending.forEach((write, index) => {
        if (closed.has(write.planned.analysis.userId)) outcomes.set(write, 'user_inactive');
        else if (codes[offset] === 'ConditionalCheckFailed') outcomes.set(write, 'duplicate');
        else retry.push(write);
        offset += actions[index]?.length ?? 0;
      });
      pending = retry;
    }
  }
  return outcomes;
};

/**
 * Many analyses with as few round trips as DynamoDB allows: transactions of up to 99 actions (about
 * 48 unflagged analyses with their audit records and their users' account checks), sent in parallel.
 * Each analysis is atomic with its audit record, its alert and the check of its user's account, as for
 * a single write.
 */
export const storeAnalyses = async (
  writes: readonly AnalysisWrite[],
): Promise<Map<AnalysisWrite, BatchWriteOutcome>> => {
  const grouped = packTransactions(
    writes.map((write) => ({ write, userId: write.planned.analysis.userId, alertItems: write.alertItems })),
  );
  const results = await Promise.all(grouped.map((group) => writeGroup(group.map((g) => g.write))));
  return new Map(results.flatMap((map) => [...map]));
};

/** A stored analysis by its key parts (the replay of an Idempotency-Key reads it back). */
export const getAnalysis = async (ref: {
  userId: string;
  type: AnalysisType;
  analyzedAt: string;
  id: string;
}): Promise<Analysis | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.analysis(ref.userId, ref.type, ref.analyzedAt, ref.id),
      ConsistentRead: true,
    }),
  );
  return Item ? toAnalysis(Item) : undefined;
};

export interface AnalysisPage {
  items: Analysis[];
  lastEvaluatedKey: Record<string, unknown> | undefined;
}

/**
 * A user's analyses of one type, newest first, optionally within [from, to] (inclusive, UTC ISO).
 * Expired items are filtered out; the page is filled with up to 4 queries so a page of expired items
 * does not come back empty.
 */
export const listAnalyses = async (
  userId: string,
  type: AnalysisType,
  options: { limit: number; from?: string; to?: string; startKey?: Record<string, unknown>; now: Date },
): Promise<AnalysisPage> => {
  const prefix = keys.analysisPrefix(type);
  const items: Analysis[] = [];
  let startKey = options.startKey;
  for (let round = 0; round < 4 && items.length < options.limit; round++) {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
        FilterExpression: LIVE_FILTER,
        ExpressionAttributeValues: {
          ':pk': keys.userProfile(userId).PK,
          ':lo': `${prefix}${options.from ?? ''}`,
          ':hi': options.to ? `${prefix}${options.to}#~` : `${prefix}~`,
          ':nowEpoch': epochSeconds(options.now),
        },
        ScanIndexForward: false,
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map(toAnalysis));
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, lastEvaluatedKey: startKey };
};
