import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ANALYSIS_TYPES, SENTIMENT_LABELS, type Analysis, type AnalysisType } from '#contract/analysis.ts';
import { dropIfUnused } from '#contract/lazy.ts';
import type { PlannedAnalysis } from '#domain/analysis.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { accountStateOf } from '#domain/account-access.ts';
import { epochSeconds, isoOfEpoch, LIVE_FILTER } from '#domain/retention.ts';
import { auditPut } from './audit-repository.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import { batchWriteItems } from './dynamodb/batch.ts';
import {
  transaction,
  TransactionFailedError,
  type Transaction,
  type TransactAction,
} from './dynamodb/transaction.ts';
import { activeAccountCheck } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import {
  array,
  boolean,
  integer,
  isString,
  malformed,
  number,
  object,
  oneOf,
  record,
  strictObject,
  string,
  type Parse,
} from './item-parse.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';

/**
 * Analyses in their user's partition (keys.analysis: USER#<sub> / <TYPE>#<analyzedAt>#<id>). A single
 * write puts the analysis, its audit record and (for crisis/self-harm flags) its risk alert in ONE
 * transaction, conditional on a new key, so a re-run under the same Idempotency-Key (deterministic ids)
 * finds its first write instead of storing a duplicate. A batch commits each subject's account check
 * and the audit record naming the subject's analyses first (with the analyses that raised an alert),
 * then writes the other analyses with BatchWriteItem (storeAnalysisBatch).
 */
type Item = Record<string, unknown>;

export interface AnalysisWrite {
  planned: PlannedAnalysis;
  audit: AuditRecord;
  /** The alert's items (risk-alerts.ts alertTransactItems) when the analysis raised one. */
  alertItems: TransactAction[];
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

/**
 * A stored analysis as the contract's `Analysis` reads it, written out (item-parse.ts): the zod object
 * kept the record, enum and strict-object kinds in every analysis store for the parse of a duplicate or
 * an Idempotency-Key replay alone (docs/build.md). test/unit/analysis-item.test.ts holds it to `Analysis`
 * with a fast-check property. Built by a pure-marked call: a function that never reads one drops it.
 */
const analysisOf = /* @__PURE__ */ dropIfUnused(() => {
  const numbers = record(isString, number);
  const probability: Parse<number> = (value, path) => {
    const score = number(value, path);
    return score >= 0 && score <= 1 ? score : malformed(path);
  };
  /** `ModelRef`'s texts: trimmed, then 1 to `max` code points. */
  const trimmed =
    (max: number): Parse<string> =>
    (value, path) => {
      const text = string(value, path).trim();
      const length = [...text].length;
      return length >= 1 && length <= max ? text : malformed(path);
    };
  return object<Analysis>(
    {
      id: string,
      type: oneOf(ANALYSIS_TYPES),
      userId: string,
      sentiment: strictObject({ label: oneOf(SENTIMENT_LABELS), score: probability }),
      emotions: numbers,
      model: strictObject({ name: trimmed(100), version: trimmed(50) }),
      analyzedAt: string,
      mentalState: numbers,
      riskFlags: array(string),
      sourceId: string,
      transcription: string,
      transcriptionStored: boolean,
      durationSec: number,
      voiceFeatures: numbers,
      facialEmotions: numbers,
      framesAnalysed: integer,
      expiresAt: string,
      alertRaised: boolean,
      createdAt: string,
    },
    [
      'mentalState',
      'sourceId',
      'transcription',
      'transcriptionStored',
      'durationSec',
      'voiceFeatures',
      'facialEmotions',
      'framesAnalysed',
      'expiresAt',
    ],
  );
});

/** The API shape of a stored item: no storage keys, the TTL as ISO. */
export const toAnalysis = (item: Item): Analysis => {
  const { entityType: _type, updatedAt: _updated, expiresAt, ...rest } = keys.stripKeys(item);
  return analysisOf(
    { ...rest, ...(typeof expiresAt === 'number' ? { expiresAt: isoOfEpoch(expiresAt) } : {}) },
    'analysis: item',
  );
};

/** The put of a new analysis (a duplicate id fails its condition). */
const analysisPut = (planned: PlannedAnalysis) => ({
  Item: analysisItem(planned),
  ConditionExpression: 'attribute_not_exists(PK)',
});

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

/**
 * The state of the users a batch's account checks refused: one GetItem each, in parallel. A rare path
 * (every user of the common batch is active), so it takes the command the module sends anyway rather
 * than a BatchGetItem, which would bring its own command class into the batch function's bundle.
 */
const userStates = async (userIds: readonly string[]): Promise<Map<string, UserState>> =>
  new Map(await Promise.all(userIds.map(async (id) => [id, await userState(id)] as const)));

export type StoreOutcome =
  | { readonly outcome: 'stored'; readonly analysis: Analysis }
  | { readonly outcome: 'duplicate'; readonly analysis: Analysis }
  | { readonly outcome: 'user_missing' | 'user_inactive' };

/**
 * One analysis: the user's account must exist and be active (a ConditionCheck in the same transaction,
 * so an erasure cannot slip in between; for the user's own write it checks their sign-in too), then
 * analysis + audit (+ alert) — one round trip.
 */
export const storeAnalysis = async (write: AnalysisWrite): Promise<StoreOutcome> => {
  const { planned } = write;
  try {
    await transaction()
      .add('account', activeAccountCheck(planned.analysis.userId))
      .put('analysis', analysisPut(planned))
      .add('audit', auditPut(write.audit))
      .addAll('alert', write.alertItems)
      .send();
    return { outcome: 'stored', analysis: planned.analysis };
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    if (error.failed('account')) {
      const state = await userState(planned.analysis.userId);
      return { outcome: state === 'missing' ? 'user_missing' : 'user_inactive' };
    }
    if (error.failed('analysis')) {
      // The stored one (a re-run of the same key); gone since (expired, erased): the one planned.
      return { outcome: 'duplicate', analysis: (await getAnalysis(planned.analysis)) ?? planned.analysis };
    }
    throw error;
  }
};

/** DynamoDB's limit on the actions of one TransactWriteItems. */
const MAX_TRANSACTION_ACTIONS = 100;

/** One analysis of a batch: no audit record of its own (its subject's group in the transaction has one). */
export interface BatchAnalysisWrite {
  planned: PlannedAnalysis;
  /** The alert's items (risk-alerts.ts alertTransactItems) when the analysis raised one. */
  alertItems: TransactAction[];
}

/**
 * The audit record of one subject's analyses in one transaction, naming every one of them. Built for
 * each attempt from the analyses that attempt writes, so a re-run that finds some already stored audits
 * only the ones it stores.
 */
export type GroupAuditOf = (subjectId: string, analysisIds: readonly string[]) => AuditRecord;

/** The analyses of one subject within a transaction. */
interface SubjectGroup<W> {
  readonly subjectId: string;
  readonly writes: W[];
}

const subjectOf = (write: BatchAnalysisWrite): string => write.planned.analysis.userId;
/**
 * An analysis that raised an alert commits inside its group's transaction, atomic with its alert and
 * the alert's outbox item exactly as a single write; the others are written right after it.
 */
const committedInTransaction = (write: { alertItems: readonly unknown[] }): boolean =>
  write.alertItems.length > 0;
/** An analysis's actions in the transaction: its put and its alert's items, or none. */
const actionsOf = (write: { alertItems: readonly unknown[] }): number =>
  committedInTransaction(write) ? 1 + write.alertItems.length : 0;
/** What every group adds besides its analyses: the subject's account check and the audit record. */
const GROUP_OVERHEAD = 2;
/**
 * A batch transaction's room: DynamoDB's 100 less the one the caller check (caller-access.ts) appends to
 * the request's first transaction — any of them may be the first.
 */
export const BATCH_TRANSACTION_CAPACITY = MAX_TRANSACTION_ACTIONS - 1;

/**
 * A batch's analyses grouped by subject into as few transactions as DynamoDB allows (≤ 99 actions
 * each, one left for the caller check). Each subject's group of a transaction takes ONE check that the
 * subject's account is active and ONE audit record naming all of its analyses (an audit record has one
 * subject, under whom it is filed and shown in their access log), plus the put and alert items of each
 * analysis that raised an alert; the other analyses take no action (they are written after the
 * transaction commits). So 100 analyses of 20 users without alerts take 40 actions in one transaction.
 * A group never spans transactions.
 */
export const packBatch = <W extends BatchAnalysisWrite>(writes: readonly W[]): SubjectGroup<W>[][] => {
  const transactions: SubjectGroup<W>[][] = [];
  let groups: SubjectGroup<W>[] = [];
  let actions = 0;
  const sorted = [...writes].sort((a, b) => subjectOf(a).localeCompare(subjectOf(b)));
  for (const write of sorted) {
    let group = groups.at(-1)?.subjectId === subjectOf(write) ? groups.at(-1) : undefined;
    // A new group brings its account check and audit record along.
    const needed = actionsOf(write) + (group ? 0 : GROUP_OVERHEAD);
    if (actions + needed > BATCH_TRANSACTION_CAPACITY && groups.length > 0) {
      transactions.push(groups);
      groups = [];
      actions = 0;
      group = undefined;
    }
    if (!group) {
      group = { subjectId: subjectOf(write), writes: [] };
      groups.push(group);
      actions += GROUP_OVERHEAD;
    }
    group.writes.push(write);
    actions += actionsOf(write);
  }
  if (groups.length > 0) transactions.push(groups);
  return transactions;
};

const MAX_ATTEMPTS = 6;

/**
 * A group's actions for one attempt, named by the group's and the analysis's place in the batch: the
 * subject's account check (`account:<g>`), the analyses that raised an alert (`analysis:<g>:<w>`, each
 * with its alert's items), then the audit record naming every analysis of the group.
 */
const addGroup = <W extends BatchAnalysisWrite>(
  tx: Transaction,
  group: SubjectGroup<W>,
  g: number,
  auditOf: GroupAuditOf,
): void => {
  tx.add(`account:${g}`, activeAccountCheck(group.subjectId));
  group.writes.forEach(({ planned, alertItems }, w) => {
    if (committedInTransaction({ alertItems }))
      tx.put(`analysis:${g}:${w}`, analysisPut(planned)).addAll(`alert:${g}:${w}`, alertItems);
  });
  tx.add(
    `audit:${g}`,
    auditPut(
      auditOf(
        group.subjectId,
        group.writes.map((write) => write.planned.analysis.id),
      ),
    ),
  );
};

export type BatchWriteOutcome = 'stored' | 'duplicate' | 'user_inactive' | 'user_missing';

/**
 * Writes one transaction of a batch, then the analyses it names that it did not hold. The analyses of a
 * subject whose account check fails are taken out and reported `user_missing` or `user_inactive` (a
 * read of each of those subjects' profiles tells which, after the fact: the common batch, where every
 * user is active, reads no profile at all); an analysis with an
 * alert that already exists (a re-run under the same Idempotency-Key) is taken out and reported
 * `duplicate`; the rest are retried with their groups' audit records rebuilt, as is a transaction that
 * collided with another (with jitter). Once the transaction has committed, the analyses without an
 * alert go out in BatchWriteItem calls at once (plain puts: under an Idempotency-Key their ids are
 * fixed, so a re-run writes the same items again). Any other failure is thrown: the request fails as a
 * whole and its retry, with the same key, completes it without duplicates.
 */
const writeBatchTransaction = async <W extends BatchAnalysisWrite>(
  groups: SubjectGroup<W>[],
  auditOf: GroupAuditOf,
): Promise<Map<W, BatchWriteOutcome>> => {
  const outcomes = new Map<W, BatchWriteOutcome>();
  const committed: W[] = [];
  const refused: W[] = [];
  let pending = groups;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error('analysis batch transaction kept colliding');
    await conflictBackoff(attempt);
    const tx = transaction();
    pending.forEach((group, g) => addGroup(tx, group, g, auditOf));
    try {
      await tx.send();
      for (const group of pending) committed.push(...group.writes);
      pending = [];
    } catch (error) {
      if (!(error instanceof TransactionFailedError) || !error.contended) throw error;
      const retry: SubjectGroup<W>[] = [];
      pending.forEach((group, g) => {
        const closed = error.failed(`account:${g}`);
        const remaining = group.writes.filter((write, w) => {
          const exists = error.failed(`analysis:${g}:${w}`);
          if (closed) refused.push(write);
          else if (exists) outcomes.set(write, 'duplicate');
          return !closed && !exists;
        });
        if (remaining.length > 0) retry.push({ subjectId: group.subjectId, writes: remaining });
      });
      pending = retry;
    }
  }
  await batchWriteItems(
    committed
      .filter((write) => !committedInTransaction(write))
      .map((write) => ({ PutRequest: { Item: analysisItem(write.planned) } })),
    { parallel: true },
  );
  for (const write of committed) outcomes.set(write, 'stored');
  if (refused.length > 0) {
    const states = await userStates([...new Set(refused.map(subjectOf))]);
    for (const write of refused)
      outcomes.set(write, states.get(subjectOf(write)) === 'missing' ? 'user_missing' : 'user_inactive');
  }
  return outcomes;
};

/**
 * A batch of analyses with as few round trips and transactional actions as DynamoDB allows: the
 * transactions of {@link packBatch}, sent in parallel, each followed by its analyses without alerts.
 * Audit first: an analysis is written only once the audit record that names it, and the check that its
 * subject's account was active, have committed together, so no analysis is ever stored unaudited. An
 * analysis with an alert is atomic with it, as for a single write. What a request that fails half-way
 * leaves (docs/api.md, "Batch ingestion"): audit records naming analyses that are not (yet) stored,
 * never the reverse; its retry under the same Idempotency-Key stores them under the same ids.
 */
export const storeAnalysisBatch = async <W extends BatchAnalysisWrite>(
  writes: readonly W[],
  auditOf: GroupAuditOf,
): Promise<Map<W, BatchWriteOutcome>> => {
  const results = await Promise.all(
    packBatch(writes).map((groups) => writeBatchTransaction(groups, auditOf)),
  );
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
          ':pk': partitions.user(userId),
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
