import type { Clock } from '#domain/clock.ts';
import {
  addCounters,
  applyMarker,
  contributionOf,
  decideSourceRecord,
  planChanges,
  type Contribution,
  type Counters,
  type LedgerState,
  type MarkerCounts,
  type Scope,
} from '#domain/rollups.ts';
import type { Period } from '#domain/rollups-periods.ts';
import { transaction } from './dynamodb/transaction.ts';
import * as keys from './dynamodb/keys.ts';
import {
  batchGet,
  classify,
  isRevision,
  ledgerItem,
  ledgerOf,
  markerKey,
  markerOf,
  markerWrite,
  MAX_TRANSACTION_ITEMS,
  revCondition,
  rollupId,
  rollupKey,
  rollupUpdate,
  type ApplyOutcome,
  type OwnerFactsSource,
  type StreamRecordInput,
} from './rollup-repository.ts';

/**
 * Several stream records of source items in ONE transaction (the stream aggregator's common case),
 * instead of one TransactWriteItems per record (rollup-repository.ts applyStreamRecord). The records
 * are decided one after another, in stream order, exactly as the one-record path decides them — each
 * on the ledger and the contributor markers as the records before it left them (an in-memory overlay
 * of what was read) — and the group then writes only the end state:
 * - each touched ledger once (its last state, conditional on the revision read): it carries the last
 *   record's sequence number, so every record of the group is stale when redelivered (the ledger is
 *   the records' processed marker; records without a sequence number take the one-record path);
 * - each touched rollup once: one ADD of the summed counter deltas of every record that touches it
 *   (a closed month's department/organisation rollup as a revision, conditional on the `rev` read);
 * - each touched contributor marker once (its last counts, conditional on the revision read).
 * The records' contributor transitions (0 → 1, 1 → 0 per category) are those of the sequence, so the
 * numbers equal the one-by-one result (test/integration/rollup-group.test.ts, a fast-check property). A group holds as many
 * records as fit 100 actions; a group whose transaction fails (a lost race, anything) is not retried as
 * a group: the caller applies its records one by one on the one-record path, where an applied record
 * is a no-op.
 */

/** A stream record of a source item, parsed: the group's unit. */
export interface SourceRecord {
  readonly input: StreamRecordInput;
  readonly sub: string;
  readonly sourceSk: string;
  /** The new image's contribution (undefined for a REMOVE). */
  readonly contribution: Contribution | undefined;
}

/**
 * The record as a group member, or undefined when it must take the one-record path: not a source item
 * (a deleted ledger, a withdrawal request, anything else), or without a sequence number (never from a
 * real stream), which its ledger cannot tell stale: only a processed marker makes its redelivery a no-op.
 * Throws for a malformed source image.
 */
export const sourceRecordOf = (input: StreamRecordInput): SourceRecord | undefined => {
  const target = classify(input);
  if (target?.kind !== 'source' || input.sequenceNumber === undefined) return undefined;
  return {
    input,
    sub: target.sub,
    sourceSk: target.sourceSk,
    contribution: input.eventName === 'REMOVE' ? undefined : contributionOf(input.newImage),
  };
};

type StoredLedger = (LedgerState & { rev: number }) | undefined;

const itemId = (key: { PK: string; SK: string }) => `${key.PK}|${key.SK}`;
const ledgerId = (sub: string, sourceSk: string) => itemId(keys.rollupSource(sub, sourceSk));

/**
 * Ledgers as the handler last read or wrote them (one batch): a window is read once even when only its
 * first records fit the group; whatever the cache gets wrong, the ledger's revision condition catches.
 */
export const ledgerCache = () => {
  const known = new Map<string, StoredLedger>();
  return {
    read: async (records: readonly SourceRecord[]): Promise<(r: SourceRecord) => StoredLedger> => {
      const missing = records
        .filter((r) => !known.has(ledgerId(r.sub, r.sourceSk)))
        .map((r) => keys.rollupSource(r.sub, r.sourceSk));
      if (missing.length > 0) {
        const items = await batchGet(missing, { consistent: true });
        for (const key of missing) known.set(itemId(key), ledgerOf(items.get(itemId(key))));
      }
      return (r) => known.get(ledgerId(r.sub, r.sourceSk));
    },
    remember: (sub: string, sourceSk: string, ledger: StoredLedger) =>
      known.set(ledgerId(sub, sourceSk), ledger),
    forget: () => known.clear(),
  };
};
export type LedgerCache = ReturnType<typeof ledgerCache>;

/** What one decided record of the group changes, planned per rollup and marker. */
interface Decided {
  readonly record: SourceRecord;
  readonly plan: ReturnType<typeof planChanges>;
}

export interface GroupResult {
  /** How many records of the window the group took (a prefix); the rest are for the next group. */
  readonly taken: number;
  readonly outcomes: readonly ApplyOutcome[];
}

/** The group could not be written (its transaction failed): apply these records one by one. */
export class GroupNotApplied extends Error {
  override name = 'GroupNotApplied';
  constructor(
    readonly taken: number,
    cause: unknown,
  ) {
    super('rollup group not applied', { cause });
  }
}

/**
 * Applies the longest prefix of `window` (consecutive source records, in stream order) that fits one
 * transaction. Throws {@link GroupNotApplied} (with the prefix's length) when its transaction fails.
 */
export const applySourceGroup = async (
  window: readonly SourceRecord[],
  owners: OwnerFactsSource,
  ledgers: LedgerCache,
  clock: Clock,
): Promise<GroupResult> => {
  const now = clock.now();
  const facts = new Map(
    await Promise.all(
      [...new Set(window.map((r) => r.sub))].map(async (sub) => [sub, await owners.facts(sub)] as const),
    ),
  );
  const stored = await ledgers.read(window);

  // 1. Decisions in stream order on the ledger overlay, as many records as fit 100 actions.
  const ledgerState = new Map<string, { record: SourceRecord; next: LedgerState }>();
  const rollupIds = new Set<string>();
  const markerIds = new Set<string>();
  const decided: Decided[] = [];
  const outcomes: ApplyOutcome[] = [];
  for (const record of window) {
    const id = ledgerId(record.sub, record.sourceSk);
    const decision = decideSourceRecord({
      sub: record.sub,
      eventName: record.input.eventName,
      contribution: record.contribution,
      seq: record.input.sequenceNumber,
      ledger: ledgerState.get(id)?.next ?? stored(record),
      owner: facts.get(record.sub)!,
      expired: record.input.expired === true,
    });
    if (decision.kind === 'ignore') {
      outcomes.push('ignored');
      continue;
    }
    const plan = planChanges(decision.changes);
    const newRollups = [
      ...plan.rollups.map((r) => rollupId(r.scope, r.period)),
      // A marker's contributor changes land on its own rollup.
      ...plan.markers.map((m) => rollupId(m.scope, m.period)),
    ].filter((r) => !rollupIds.has(r));
    const newMarkers = plan.markers
      .map((m) => `${rollupId(m.scope, m.period)}|${record.sub}`)
      .filter((m) => !markerIds.has(m));
    const actions =
      ledgerState.size +
      (ledgerState.has(id) ? 0 : 1) +
      new Set([...rollupIds, ...newRollups]).size +
      markerIds.size +
      newMarkers.length;
    // (A record alone needs at most 16 actions, so the first always fits.)
    if (actions > MAX_TRANSACTION_ITEMS && decided.length > 0) break;
    for (const r of newRollups) rollupIds.add(r);
    for (const m of newMarkers) markerIds.add(m);
    if (decision.next !== 'unchanged') ledgerState.set(id, { record, next: decision.next });
    decided.push({ record, plan });
    outcomes.push('applied');
  }
  const taken = outcomes.length;
  if (decided.length === 0) return { taken, outcomes };

  // 2. The markers and the closed months' rollups the decisions touch, read once (strongly consistent).
  const plans = decided.map(({ record, plan }) => ({ sub: record.sub, plan }));
  const markerKeys = new Map<string, { scope: Scope; period: Period; sub: string }>();
  const revisable = new Map<string, { scope: Scope; period: Period }>();
  for (const { sub, plan } of plans) {
    for (const m of plan.markers)
      markerKeys.set(itemId(markerKey(m.scope, m.period, sub)), { scope: m.scope, period: m.period, sub });
    for (const r of [...plan.rollups, ...plan.markers])
      if (isRevision(r.scope, r.period, now)) revisable.set(itemId(rollupKey(r.scope, r.period)), r);
  }
  const read = await batchGet(
    [
      ...[...markerKeys.values()].map((m) => markerKey(m.scope, m.period, m.sub)),
      ...[...revisable.values()].map((r) => rollupKey(r.scope, r.period)),
    ],
    { consistent: true },
  );

  // 3. The markers' transitions record by record, the counter deltas summed per rollup.
  const markerCounts = new Map<string, MarkerCounts | undefined>();
  const sums = new Map<string, { scope: Scope; period: Period; counters: Counters }>();
  const sumOf = (scope: Scope, period: Period) => {
    const id = rollupId(scope, period);
    const sum = sums.get(id) ?? { scope, period, counters: {} };
    sums.set(id, sum);
    return sum.counters;
  };
  for (const { sub, plan } of plans) {
    for (const r of plan.rollups) addCounters(sumOf(r.scope, r.period), r.counters);
    for (const m of plan.markers) {
      const id = itemId(markerKey(m.scope, m.period, sub));
      const current = markerCounts.has(id) ? markerCounts.get(id) : markerOf(read.get(id))?.counts;
      const { next, contributors } = applyMarker(current, m.categories);
      markerCounts.set(id, next);
      addCounters(sumOf(m.scope, m.period), contributors);
    }
  }

  // 4. One transaction: ledgers, rollups, contributor markers.
  const tx = transaction();
  for (const { record, next } of ledgerState.values()) {
    const before = stored(record)?.rev;
    tx.put('ledger', {
      Item: ledgerItem(record.sub, record.sourceSk, next, (before ?? 0) + 1, now),
      ...revCondition(before),
    });
  }
  for (const { scope, period, counters } of sums.values()) {
    if (!Object.values(counters).some((value) => value !== 0)) continue;
    const key = rollupKey(scope, period);
    const revision = isRevision(scope, period, now) ? { before: read.get(itemId(key)) } : undefined;
    tx.add('rollup', rollupUpdate(scope, period, counters, now, revision));
  }
  for (const [id, marker] of markerKeys) {
    const key = markerKey(marker.scope, marker.period, marker.sub);
    const write = markerWrite(key, markerOf(read.get(id))?.rev, markerCounts.get(id), now);
    if (write) tx.add('marker', write);
  }
  try {
    await tx.send();
  } catch (error) {
    ledgers.forget();
    throw new GroupNotApplied(taken, error);
  }
  for (const { record, next } of ledgerState.values())
    ledgers.remember(record.sub, record.sourceSk, { ...next, rev: (stored(record)?.rev ?? 0) + 1 });
  return { taken, outcomes };
};
