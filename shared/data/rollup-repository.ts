import { isDeepStrictEqual } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { runtimeEnv } from '#contract/runtime-env.ts';
import type { Clock } from '#domain/clock.ts';
import { isMonthClosed } from '#domain/reporting-window.ts';
import type { Period } from '#domain/rollups-periods.ts';
import {
  addCounters,
  aggregateView,
  applyMarker,
  contributionOf,
  decideLedgerRemoval,
  decideSourceRecord,
  isSourceEntityType,
  planChanges,
  scopeId,
  type Contribution,
  type Counters,
  type LedgerState,
  type MarkerCounts,
  type OwnerFacts,
  type RecordDecision,
  type Scope,
  type ScopedChange,
} from '#domain/rollups.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import {
  transaction,
  TransactionFailedError,
  type Transaction,
  type TransactAction,
} from './dynamodb/transaction.ts';
import { batchGetItems } from './dynamodb/batch.ts';
import { documentClient, tableName } from './client.ts';
import { getConsentState } from './consent-repository.ts';
import * as keys from './dynamodb/keys.ts';

/**
 * Rollup items (keys.rollup), contributor markers (keys.rollupContributor), the per-source-item ledger
 * (keys.rollupSource) and processed stream records (keys.processedStreamRecord): the I/O side of
 * shared/domain/rollups.ts. The stream aggregator and the rebuild both write through here.
 *
 * The one-record path (applyStreamRecord; the aggregator groups most records instead, rollup-group.ts):
 * one TransactWriteItems of the item's ledger (conditional on the revision read), the rollup counter
 * ADDs and the contributor markers (conditional on the revision read). Exactly once: the ledger stores
 * the record's stream sequence number and an older or equal one is stale, so a redelivered record of a
 * source item is a no-op without a marker of its own; a record that writes no ledger with its sequence
 * number (a deleted ledger, a withdrawal page) carries a processed-record marker (conditional on being
 * new). A lost race (another record of the same user changing a marker concurrently) re-reads and
 * retries. ≤ 100 actions always: at most 1 + 1 + 6 user rollups + 4 month rollups + 4 markers.
 *
 * Revisions (docs/anonymity.md): a change to a department's or the organisation's rollup of a month
 * that is already closed — a withdrawal, a late record — marks that rollup `revised`, and the first
 * such change keeps the counters as they were at the close in `asClosed` (conditional on the rollup's
 * `rev`, so no concurrent change slips between the read and the snapshot). The dashboard withholds a
 * revised cell from then on, and decides everything else on the `asClosed` numbers, so two reads
 * around a withdrawal never differ in anything but the withheld cells.
 */
type Item = Record<string, unknown>;

/** Processed markers and tombstones outlive the stream's 24 h retention and Lambda's retries. */
export const PROCESSED_RECORD_TTL_SECONDS = 2 * 86_400;
export const MAX_TRANSACTION_ITEMS = 100;
const MAX_ATTEMPTS = 8;

export interface StreamRecordInput {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly keys: { PK: string; SK: string };
  readonly newImage: Item | undefined;
  readonly oldImage: Item | undefined;
  readonly sequenceNumber: string | undefined;
  /** A REMOVE made by DynamoDB's TTL (the record's userIdentity is the DynamoDB service). */
  readonly expired?: boolean;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'ignored';

/** Rollup scope → the key builders' scope string. */
const scopeKey = (scope: Scope): string => scopeId(scope);

export const rollupKey = (scope: Scope, period: Period) =>
  keys.rollup(scopeKey(scope), period.granularity, period.key);

// --- ledger -----------------------------------------------------------------------------------------

const mapNullable = <T, U>(value: T | null, map: (value: T) => U): U | null =>
  value === null ? null : map(value);

const StoredCounters = /* @__PURE__ */ z.lazy(() => z.record(z.string(), z.number()));

const StoredContribution = /* @__PURE__ */ z.lazy(() =>
  z.object({
    at: z.string(),
    counters: StoredCounters,
    categories: z.array(z.string()),
    riskSignal: z.boolean(),
  }),
);

/**
 * A ledger's stored contribution, parsed (absent or null: nothing): the aggregator subtracts it from
 * rollups, so a ledger that does not hold one throws instead of being subtracted half-read (the record
 * is retried, then dead-lettered).
 */
const asContribution = (value: unknown): Contribution | null =>
  value === undefined || value === null ? null : StoredContribution.parse(value);

/**
 * A ledger's `agg` when it is exactly the aggregate view of its `user` (the common case): stored as
 * this marker instead of a second copy of the contribution, which keeps a ledger of an analysis with
 * every emotion label under 1 KB (one write unit instead of two; ~870 instead of ~1,450 bytes).
 */
const AGG_IS_USER_VIEW = 'userView';

export const ledgerOf = (item: Item | undefined): (LedgerState & { rev: number }) | undefined =>
  item
    ? {
        user: asContribution(item.user),
        agg:
          item.agg === AGG_IS_USER_VIEW
            ? mapNullable(asContribution(item.user), aggregateView)
            : asContribution(item.agg),
        aggDepartment: typeof item.aggDepartment === 'string' ? item.aggDepartment : null,
        seq: typeof item.seq === 'string' ? item.seq : null,
        removed: item.removed === true,
        aggExcluded: item.aggExcluded === true,
        rev: Number(item.rev ?? 0),
      }
    : undefined;

export const ledgerItem = (
  sub: string,
  sourceSk: string,
  state: LedgerState,
  rev: number,
  now: Date,
): Item => ({
  ...keys.rollupSource(sub, sourceSk),
  entityType: 'ROLLUP_SOURCE',
  user: state.user,
  agg:
    state.agg && state.user && isDeepStrictEqual(state.agg, aggregateView(state.user))
      ? AGG_IS_USER_VIEW
      : state.agg,
  aggDepartment: state.aggDepartment,
  seq: state.seq,
  removed: state.removed,
  aggExcluded: state.aggExcluded,
  rev,
  updatedAt: now.toISOString(),
  // A tombstone expires once stale retries are over — unless it still holds an aggregate part (an
  // expired item), which a later withdrawal must be able to find.
  ...(state.removed && !state.agg
    ? { expiresAt: Math.floor(now.getTime() / 1000) + PROCESSED_RECORD_TTL_SECONDS }
    : {}),
});

// --- owners -----------------------------------------------------------------------------------------

/**
 * The facts about item owners the aggregator needs, read once per user per batch: department and
 * erasure state from the profile (strongly consistent), aggregate consent (consent repository).
 */
export const ownerFactsCache = () => {
  const cache = new Map<string, Promise<OwnerFacts>>();
  const read = async (sub: string): Promise<OwnerFacts> => {
    const [{ Item }, consents] = await Promise.all([
      documentClient.send(
        new GetCommand({
          TableName: tableName(),
          Key: keys.userProfile(sub),
          ProjectionExpression: 'departmentId, erasureRequestedAt',
          ConsistentRead: true,
        }),
      ),
      getConsentState(sub),
    ]);
    return {
      erasing: !Item || typeof Item.erasureRequestedAt === 'string',
      departmentId: typeof Item?.departmentId === 'string' ? Item.departmentId : undefined,
      aggregateConsent: consents.aggregateAnalytics.granted,
    };
  };
  return {
    facts: (sub: string): Promise<OwnerFacts> => {
      let facts = cache.get(sub);
      if (!facts) {
        facts = read(sub);
        facts.catch(() => cache.delete(sub));
        cache.set(sub, facts);
      }
      return facts;
    },
  };
};
export type OwnerFactsSource = ReturnType<typeof ownerFactsCache>;

// --- reads ------------------------------------------------------------------------------------------

/** Numeric attributes with a dot in the name are counters (shared/domain/rollups.ts `counter`). */
export const countersOf = (item: Item | undefined): Counters | undefined => {
  if (!item) return undefined;
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item))
    if (name.includes('.') && typeof value === 'number') counters[name] = value;
  return counters;
};

/** BatchGetItem of any number of keys, by `PK|SK` (dynamodb/batch.ts: unprocessed keys retried, then 503). */
export const batchGet = async (
  itemKeys: readonly { PK: string; SK: string }[],
  options: { consistent?: boolean } = {},
): Promise<Map<string, Item>> =>
  new Map(
    (await batchGetItems(itemKeys, options)).map((item) => [`${String(item.PK)}|${String(item.SK)}`, item]),
  );

/** Counters of many rollups at once, by `PK|SK` (absent = nothing counted). */
export const readRollups = async (
  wanted: readonly { scope: Scope; period: Period }[],
): Promise<(scope: Scope, period: Period) => Counters | undefined> => {
  const cells = await readRollupCells(wanted);
  return (scope, period) => cells(scope, period)?.counters;
};

/** A department's or the organisation's month as stored: its counters, and whether it was revised. */
export interface RollupCell {
  readonly counters: Counters;
  readonly revised: boolean;
  /** The counters as they were when the month closed (present once revised). */
  readonly asClosed: Counters | undefined;
}

/** The numeric fields of a stored map (a revised month's `asClosed`), or undefined when there is none. */
export const numbersOf = (value: unknown): Counters | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
};

export const rollupCellOf = (item: Item | undefined): RollupCell | undefined =>
  item
    ? { counters: countersOf(item) ?? {}, revised: item.revised === true, asClosed: numbersOf(item.asClosed) }
    : undefined;

/** Many rollups at once with their revision state, by scope and period (absent = nothing counted). */
export const readRollupCells = async (
  wanted: readonly { scope: Scope; period: Period }[],
): Promise<(scope: Scope, period: Period) => RollupCell | undefined> => {
  const items = await batchGet(wanted.map(({ scope, period }) => rollupKey(scope, period)));
  return (scope, period) => {
    const key = rollupKey(scope, period);
    return rollupCellOf(items.get(`${key.PK}|${key.SK}`));
  };
};

// --- the write of one decision ----------------------------------------------------------------------

const attributeName = (name: string): string => {
  if (!/^[A-Za-z0-9_.]{1,120}$/.test(name)) throw new Error('invalid counter name');
  return name;
};

/**
 * How a change to a closed month's department/organisation rollup is written: marked revised, with the
 * counters as they were at the close kept once (`asClosed`), conditional on what was read.
 */
export interface Revision {
  /** The rollup as read (undefined: there was none). */
  readonly before: Item | undefined;
}

/** UpdateItem that ADDs counters to one rollup item (created on first use); `rev` counts the changes. */
export const rollupUpdate = (
  scope: Scope,
  period: Period,
  counters: Counters,
  now: Date,
  revision?: Revision,
): TransactAction => {
  const entries = Object.entries(counters).filter(([, value]) => value !== 0);
  const names: Record<string, string> = {
    '#type': 'entityType',
    '#scope': 'scope',
    '#period': 'period',
    '#rev': 'rev',
  };
  const values: Record<string, unknown> = {
    ':type': 'ROLLUP',
    ':scope': scopeId(scope),
    ':period': `${period.granularity}#${period.key}`,
    ':now': now.toISOString(),
    ':one': 1,
  };
  const adds = entries.map(([name, value], i) => {
    names[`#c${i}`] = attributeName(name);
    values[`:c${i}`] = value;
    return `#c${i} :c${i}`;
  });
  const sets = ['#type = :type', '#scope = :scope', '#period = :period', 'updatedAt = :now'];
  let condition: string | undefined;
  if (revision) {
    const before = revision.before;
    names['#revised'] = 'revised';
    names['#asClosed'] = 'asClosed';
    values[':revised'] = true;
    values[':asClosed'] = before ? (countersOf(before) ?? {}) : {};
    sets.push('#revised = :revised', '#asClosed = if_not_exists(#asClosed, :asClosed)');
    if (!before) condition = 'attribute_not_exists(PK)';
    else if (before.asClosed !== undefined) condition = 'attribute_exists(#asClosed)';
    else if (before.rev === undefined) condition = 'attribute_not_exists(#rev)';
    else {
      values[':rev'] = before.rev;
      condition = '#rev = :rev';
    }
  }
  return {
    Update: {
      TableName: tableName(),
      Key: rollupKey(scope, period),
      UpdateExpression: `SET ${sets.join(', ')} ADD ${['#rev :one', ...adds].join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition ? { ConditionExpression: condition } : {}),
    },
  };
};

/** A department/organisation month that is closed at `now`: any change to it is a revision. */
export const isRevision = (scope: Scope, period: Period, now: Date): boolean =>
  scope.kind !== 'user' &&
  period.granularity === 'MONTH' &&
  isMonthClosed(period.key, now, runtimeEnv().analysisTimeWindow);

export const markerKey = (scope: Scope, period: Period, sub: string) =>
  keys.rollupContributor(scopeKey(scope), period.granularity, period.key, sub);

export interface StoredMarker {
  counts: MarkerCounts;
  rev: number;
}

const StoredMarkerItem = /* @__PURE__ */ z.lazy(() =>
  z.object({
    counts: z._default(z.record(z.string(), z.int().check(z.minimum(0))), {}),
    rev: z._default(z.int().check(z.minimum(0)), 0),
  }),
);

/** A contributor marker, parsed: its counts decide who is counted as a contributor. */
export const markerOf = (item: Item | undefined): StoredMarker | undefined =>
  item ? StoredMarkerItem.parse(item) : undefined;

export const revCondition = (rev: number | undefined) =>
  rev === undefined
    ? { ConditionExpression: 'attribute_not_exists(PK)' }
    : {
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': rev },
      };

/** A rollup's identity within one transaction's plan (scope, granularity and period key). */
export const rollupId = (scope: Scope, period: Period): string =>
  `${scopeId(scope)}|${period.granularity}#${period.key}`;

/**
 * The write of a contributor marker going from revision `rev` to `next` counts: a put of the new
 * counts, a delete when none are left, nothing when there was none and is none; conditional on `rev`.
 */
export const markerWrite = (
  key: { PK: string; SK: string },
  rev: number | undefined,
  next: MarkerCounts | undefined,
  now: Date,
): TransactAction | undefined => {
  if (next)
    return {
      Put: {
        TableName: tableName(),
        Item: {
          ...key,
          entityType: 'ROLLUP_CONTRIBUTOR',
          counts: next,
          rev: (rev ?? 0) + 1,
          updatedAt: now.toISOString(),
        },
        ...revCondition(rev),
      },
    };
  return rev === undefined
    ? undefined
    : { Delete: { TableName: tableName(), Key: key, ...revCondition(rev) } };
};

/** The processed-record marker of a stream record: conditional on being new (a redelivery fails it). */
export const processedRecordPut = (eventId: string, now: Date): TransactAction => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.processedStreamRecord(eventId),
      entityType: 'STREAM_RECORD_PROCESSED',
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + PROCESSED_RECORD_TTL_SECONDS,
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/**
 * Whether a source record's ledger write already makes a redelivery of the record a no-op: the ledger
 * stores the record's stream sequence number (`seq`), and a record not newer than its ledger's is
 * stale (decideSourceRecord), so the ledger — conditional on the revision read — is the record's
 * processed marker. Only a record without a sequence number (never from a real stream) needs its own.
 */
export const ledgerMarksRecord = (record: StreamRecordInput, next: LedgerState | 'unchanged'): boolean =>
  record.sequenceNumber !== undefined && next !== 'unchanged' && next.seq === record.sequenceNumber;

/** A ledger to write in the transaction, conditional on the revision it was read at. */
export interface LedgerWrite {
  readonly sourceSk: string;
  readonly next: LedgerState;
  /** The revision read (undefined: there was none). */
  readonly rev: number | undefined;
}

/**
 * The transaction of a set of changes of ONE user: rollup ADDs with contributor changes merged in
 * (revisions where a closed month changes), marker writes, the ledger writes, and (first) the
 * processed-record put, plus any `extra` actions (a withdrawal's progress).
 */
export const transactionFor = async (input: {
  sub: string;
  changes: readonly ScopedChange[];
  ledgers: readonly LedgerWrite[];
  eventId: string | undefined;
  now: Date;
  /** Further named actions of the caller (the withdrawal's progress). */
  extra?: Readonly<Record<string, TransactAction>>;
}): Promise<Transaction> => {
  const { sub, now } = input;
  const plan = planChanges(input.changes);
  const revised = plan.rollups.filter((r) => isRevision(r.scope, r.period, now));
  const stored = await batchGet(
    [
      ...plan.markers.map((m) => markerKey(m.scope, m.period, sub)),
      ...revised.map((r) => rollupKey(r.scope, r.period)),
    ],
    { consistent: true },
  );
  const rollups = new Map(
    plan.rollups.map((r) => [rollupId(r.scope, r.period), { ...r, counters: { ...r.counters } }]),
  );
  const markerWrites: TransactAction[] = [];
  for (const delta of plan.markers) {
    const key = markerKey(delta.scope, delta.period, sub);
    const current = markerOf(stored.get(`${key.PK}|${key.SK}`));
    const { next, contributors } = applyMarker(current?.counts, delta.categories);
    if (Object.keys(contributors).length > 0) {
      const id = rollupId(delta.scope, delta.period);
      const rollup = rollups.get(id) ?? { scope: delta.scope, period: delta.period, counters: {} };
      addCounters(rollup.counters, contributors);
      rollups.set(id, rollup);
    }
    const write = markerWrite(key, current?.rev, next, now);
    if (write) markerWrites.push(write);
  }
  const tx = transaction();
  if (input.eventId !== undefined) tx.add('processedRecord', processedRecordPut(input.eventId, now));
  for (const ledger of input.ledgers) {
    tx.put('ledger', {
      Item: ledgerItem(sub, ledger.sourceSk, ledger.next, (ledger.rev ?? 0) + 1, now),
      ...revCondition(ledger.rev),
    });
  }
  for (const rollup of rollups.values()) {
    if (!Object.values(rollup.counters).some((value) => value !== 0)) continue;
    const key = rollupKey(rollup.scope, rollup.period);
    const revision = isRevision(rollup.scope, rollup.period, now)
      ? { before: stored.get(`${key.PK}|${key.SK}`) }
      : undefined;
    tx.add('rollup', rollupUpdate(rollup.scope, rollup.period, rollup.counters, now, revision));
  }
  tx.addAll('marker', markerWrites);
  for (const [name, action] of Object.entries(input.extra ?? {})) tx.add(name, action);
  if (tx.size > MAX_TRANSACTION_ITEMS) throw new Error(`a stream record needs ${tx.size} actions`);
  return tx;
};

/** How many actions {@link transactionFor} will need at most for these changes (without `extra`). */
export const actionsFor = (changes: readonly ScopedChange[], ledgers: number): number => {
  const plan = planChanges(changes);
  return 1 + ledgers + plan.rollups.length + plan.markers.length;
};

export const getLedger = async (sub: string, sourceSk: string) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.rollupSource(sub, sourceSk), ConsistentRead: true }),
  );
  return ledgerOf(Item);
};

/** A record of a source item, of a deleted ledger item, or of anything else (ignored). */
export const classify = (record: StreamRecordInput) => {
  const { PK, SK } = record.keys;
  const ledger = keys.parse.rollupSource(record.keys);
  if (ledger) {
    return record.eventName === 'REMOVE' ? ({ kind: 'ledgerRemoved', sub: ledger.sub } as const) : undefined;
  }
  const sub = keys.parse.userPartition(PK);
  const image = record.newImage ?? record.oldImage;
  if (!sub || !image || !isSourceEntityType(image.entityType)) return undefined;
  return { kind: 'source', sub, sourceSk: SK } as const;
};

/**
 * Applies one stream record to the rollups, exactly once. Throws for a record it cannot apply (a
 * malformed source image; a transaction that keeps losing races): the caller reports it as failed.
 */
export const applyStreamRecord = async (
  record: StreamRecordInput,
  owners: OwnerFactsSource,
  clock: Clock,
): Promise<ApplyOutcome> => {
  const target = classify(record);
  if (!target) return 'ignored';
  // Parse before any I/O: a poisoned image fails the record at once (and on every retry).
  const contribution = record.eventName === 'REMOVE' ? undefined : contributionOf(record.newImage);
  const owner = await owners.facts(target.sub);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await conflictBackoff(attempt);
    let decision: RecordDecision;
    let ledger: { sourceSk: string; rev: number | undefined } | undefined;
    if (target.kind === 'ledgerRemoved') {
      const old = ledgerOf(record.oldImage);
      decision = old ? decideLedgerRemoval(old, owner) : { kind: 'ignore', reason: 'no_image' };
    } else {
      const current = await getLedger(target.sub, target.sourceSk);
      ledger = { sourceSk: target.sourceSk, rev: current?.rev };
      decision = decideSourceRecord({
        sub: target.sub,
        eventName: record.eventName,
        contribution,
        seq: record.sequenceNumber,
        ledger: current,
        owner,
        expired: record.expired === true,
      });
    }
    if (decision.kind === 'ignore') return 'ignored';
    const tx = await transactionFor({
      sub: target.sub,
      changes: decision.changes,
      ledgers:
        ledger && decision.next !== 'unchanged'
          ? [{ sourceSk: ledger.sourceSk, next: decision.next, rev: ledger.rev }]
          : [],
      eventId: ledgerMarksRecord(record, decision.next) ? undefined : record.eventID,
      now: clock.now(),
    });
    const outcome = await sendRecordTransaction(tx);
    // 'retry': a marker or the ledger changed since it was read: read again.
    if (outcome !== 'retry') return outcome;
  }
  throw new Error('rollup transaction kept colliding');
};

/**
 * Sends a stream record's transaction ({@link transactionFor}): `duplicate` when the record was applied
 * before (its processed-record put failed), `retry` when an item it read has changed since (a lost race).
 */
export const sendRecordTransaction = async (tx: Transaction): Promise<'applied' | 'duplicate' | 'retry'> => {
  try {
    await tx.send();
    return 'applied';
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    if (error.failed('processedRecord')) return 'duplicate';
    if (!error.contended) throw error;
    return 'retry';
  }
};
