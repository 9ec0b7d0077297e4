import { runtimeEnv } from '#contract/runtime-env.ts';
import { isMonthClosed } from '#domain/reporting-window.ts';
import type { Period } from '#domain/rollups-periods.ts';
import {
  AGGREGATE_COUNTER,
  contributionOf,
  decideSourceRecord,
  decideWithdrawal,
  EMPTY_LEDGER,
  MalformedSourceError,
  planChanges,
  scopeId,
  SOURCE_ENTITY_TYPES,
  UNASSIGNED_DEPARTMENT,
  counter,
  type ContributorCategory,
  type Counters,
  type MarkerCounts,
  type Scope,
  type ScopedChange,
} from '#domain/rollups.ts';
import { getConsentState } from './consent-repository.ts';
import { batchWriteItems, keyOf, type WriteRequest } from './dynamodb/batch.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryAll, queryPages, type TableQuery } from './dynamodb/query.ts';
import { batchGet, countersOf, ledgerItem, ledgerOf, numbersOf, rollupKey } from './rollup-repository.ts';
import { rebuildSurveyState } from './survey-repository.ts';

/**
 * `rebuild-rollups`: recomputes every rollup from the source items, with the same pure code the stream
 * aggregator uses (shared/domain/rollups.ts), so "rebuild = incremental" holds by construction: users
 * who opted out of aggregate analytics, or asked for erasure, are left out of department and
 * organisation rollups entirely, items once withdrawn stay out, and an item that expired by TTL keeps
 * the aggregate part its ledger holds. (Attribution follows the user's department now, where the
 * aggregator kept the department of each item's first contribution.)
 *
 * Closed months keep their protection (docs/anonymity.md, "Revisions"): a rebuilt department or
 * organisation month that is closed and differs from what was stored — in any counter the dashboard
 * publishes, or its contributor count — is written `revised`, with the stored counters kept as
 * `asClosed`; one already revised stays revised with its first snapshot; one that ends up empty is kept
 * as an empty revised cell rather than deleted. Contributor counts of categories the stored month did
 * not have yet (an upgrade) are not a difference.
 *
 * Strategy: delete and rewrite, partition by partition (no generations):
 * 1. every user (GSI2 USERS listing, page by page): read the user's partition, compute each source
 *    item's contribution, overwrite its ledger (a ledger whose source is gone becomes a tombstone: the
 *    aggregator only reacts to ledger DELETEs, and only for users being erased), rewrite the user's
 *    rollup items (stale ones deleted); department/organisation counters and contributor markers are
 *    accumulated in memory;
 *    the user's survey state is recomputed from their responses too (written only where it differs);
 * 2. every department partition (+ the users without a department) and the organisation's: delete every
 *    rollup and contributor marker, then write the recomputed ones.
 * Run it while the aggregator is paused (disable the event source mapping, or stop `npm start`'s
 * poller): a record applied between steps 1 and 2 would be overwritten. The dashboard reads incomplete
 * numbers while step 2 runs. The ledgers keep the stream sequence numbers, so resuming the aggregator
 * afterwards applies only what is newer.
 */
type Item = Record<string, unknown>;

export interface RebuildOptions {
  readonly now: Date;
  /**
   * Limit the rebuild to these users and departments (the departments' rollups are recomputed from
   * these users only, so pass every member); the organisation's rollups are then left alone.
   */
  readonly only?: { readonly userIds: readonly string[]; readonly departmentIds: readonly string[] };
  readonly progress?: (line: string) => void;
  /** Users per listing page (progress is reported per page). */
  readonly pageSize?: number;
}

export interface RebuildSummary {
  users: number;
  sourceItems: number;
  malformedItems: number;
  userRollups: number;
  aggregateRollups: number;
  contributorMarkers: number;
  deletedItems: number;
  /** Survey states (latest response per instrument, recent CBI series) that had to be rewritten. */
  surveyStates: number;
  /** Survey states left alone because a response was stored meanwhile (run again to check them). */
  surveyStateConflicts: number;
}

/** Every item a query matches, strongly consistent (the rebuild reads what was just written). */
const consistentQuery = (input: TableQuery) => queryAll({ ...input, ConsistentRead: true });

const partitionItems = (pk: string) =>
  consistentQuery({ KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk } });

const isRollupSk = (sk: string) => keys.parse.rollupPeriod(sk) !== undefined;

const rollupItem = (scope: Scope, period: Period, counters: Counters, now: Date): Item => ({
  ...rollupKey(scope, period),
  entityType: 'ROLLUP',
  scope: scopeId(scope),
  period: `${period.granularity}#${period.key}`,
  updatedAt: now.toISOString(),
  rev: 1,
  ...Object.fromEntries(Object.entries(counters).filter(([, value]) => value !== 0)),
});

/** The month of a `MONTH#yyyy-mm` rollup key when that month is closed at `now`. */
const closedMonthOf = (
  sk: string,
  now: Date,
  window: ReturnType<typeof runtimeEnv>['analysisTimeWindow'],
): string | undefined => {
  const rollup = keys.parse.rollupPeriod(sk);
  const month =
    rollup?.granularity === 'MONTH' && /^\d{4}-\d{2}$/.test(rollup.period) ? rollup.period : undefined;
  return month && isMonthClosed(month, now, window) ? month : undefined;
};

/**
 * What the dashboard would see differ: every counter it publishes from, and the cell's contributors.
 * Contributor counts of other categories are left out, so a month stored before those categories
 * existed does not read as changed.
 */
const publishedDiffers = (stored: Counters, rebuilt: Counters): boolean => {
  const names = new Set(
    [...Object.keys(stored), ...Object.keys(rebuilt)].filter(
      (name) => AGGREGATE_COUNTER.test(name) || name === counter.contributors('all'),
    ),
  );
  return [...names].some((name) => (stored[name] ?? 0) !== (rebuilt[name] ?? 0));
};

/** A closed month's rebuilt rollup: revised (with the stored counters kept) when it changed. */
const closedRollupItem = (
  scope: Scope,
  period: Period,
  counters: Counters,
  stored: Item | undefined,
  now: Date,
): Item => {
  const before = countersOf(stored) ?? {};
  const revised = stored?.revised === true || publishedDiffers(before, counters);
  return {
    ...rollupItem(scope, period, counters, now),
    rev: Number(stored?.rev ?? 0) + 1,
    ...(revised ? { revised: true, asClosed: numbersOf(stored?.asClosed) ?? before } : {}),
  };
};

interface Profile {
  id: string;
  departmentId: string | undefined;
  erasing: boolean;
}

const toProfile = (item: Item): Profile => ({
  id: String(item.id),
  departmentId: typeof item.departmentId === 'string' ? item.departmentId : undefined,
  erasing: typeof item.erasureRequestedAt === 'string',
});

/** Pages of user profiles: the GSI2 USERS listing, or the given ids. */
async function* userPages(only: RebuildOptions['only'], pageSize: number): AsyncGenerator<Profile[]> {
  if (only) {
    for (let start = 0; start < only.userIds.length; start += pageSize) {
      const ids = only.userIds.slice(start, start + pageSize);
      const found = await batchGet(
        ids.map((id) => keys.userProfile(id)),
        { consistent: true },
      );
      yield [...found.values()].map(toProfile);
    }
    return;
  }
  const pages = queryPages(
    {
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': partitions.users() },
    },
    { pageSize },
  );
  for await (const page of pages) yield (page.Items ?? []).map(toProfile);
}

const allDepartmentIds = async (): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partitions.departments() },
      ProjectionExpression: 'id',
    })
  ).map((item) => String(item.id));

/** What step 1 accumulates for step 2: department and organisation counters, and each user's markers. */
interface Accumulated {
  readonly aggregates: Map<string, { scope: Scope; period: Period; counters: Counters }>;
  readonly markers: Map<string, { scope: Scope; period: Period; sub: string; counts: MarkerCounts }>;
}

/**
 * Step 1 for one user: their ledgers, their own rollups and their survey state are rewritten; their
 * department and organisation counters and contributor markers are added to `acc`.
 */
const rebuildUser = async (
  profile: Profile,
  now: Date,
  summary: RebuildSummary,
  { aggregates, markers }: Accumulated,
): Promise<void> => {
  const sub = profile.id;
  const consent = profile.erasing ? false : (await getConsentState(sub)).aggregateAnalytics.granted;
  const [own, rollupPartition] = await Promise.all([
    consistentQuery({
      KeyConditionExpression: 'PK = :pk',
      FilterExpression: 'entityType IN (:t0, :t1, :t2, :t3, :t4)',
      ExpressionAttributeValues: {
        ':pk': partitions.user(sub),
        ...Object.fromEntries(SOURCE_ENTITY_TYPES.map((type, i) => [`:t${i}`, type])),
      },
    }),
    partitionItems(partitions.userRollups(sub)),
  ]);
  const ledgers = new Map(
    rollupPartition
      .filter((item) => String(item.SK).startsWith(keys.rollupSourcePrefix))
      .map((item) => [String(item.SK), item]),
  );
  const writes: WriteRequest[] = [];
  const userChanges: ScopedChange[] = [];
  const aggChanges: ScopedChange[] = [];
  const seen = new Set<string>();
  for (const item of own) {
    let contribution;
    try {
      contribution = contributionOf(item);
    } catch (error) {
      if (!(error instanceof MalformedSourceError)) throw error;
      summary.malformedItems += 1;
      continue;
    }
    if (!contribution) continue;
    summary.sourceItems += 1;
    const sourceSk = String(item.SK);
    const ledgerKey = keys.rollupSource(sub, sourceSk);
    seen.add(ledgerKey.SK);
    const previous = ledgerOf(ledgers.get(ledgerKey.SK));
    const decision = decideSourceRecord({
      sub,
      eventName: 'INSERT',
      contribution,
      seq: undefined,
      // Recomputed from scratch, except that an item once withdrawn never counts again.
      ledger: previous?.aggExcluded ? { ...EMPTY_LEDGER, aggExcluded: true } : undefined,
      owner: { erasing: false, departmentId: profile.departmentId, aggregateConsent: consent },
    });
    if (decision.kind !== 'apply' || decision.next === 'unchanged') continue;
    for (const change of decision.changes)
      (change.scope.kind === 'user' ? userChanges : aggChanges).push(change);
    writes.push({
      PutRequest: {
        Item: ledgerItem(
          sub,
          sourceSk,
          { ...decision.next, seq: previous?.seq ?? null },
          (previous?.rev ?? 0) + 1,
          now,
        ),
      },
    });
  }
  // Ledgers of items that are gone. An expired item's aggregate part stays counted while the user
  // consents (it is withdrawn otherwise); every other one becomes a tombstone (a DELETE would read
  // as an erasure withdrawal).
  for (const [sk, item] of ledgers) {
    const previous = ledgerOf(item);
    if (seen.has(sk) || !previous) continue;
    if (previous.agg && previous.aggDepartment) {
      if (consent && !previous.aggExcluded) {
        for (const scope of [
          { kind: 'department', id: previous.aggDepartment } as const,
          { kind: 'organisation' } as const,
        ])
          aggChanges.push({ scope, contribution: previous.agg, sign: 1 });
        continue;
      }
      const withdrawn = decideWithdrawal(previous);
      if (withdrawn.kind === 'apply' && withdrawn.next !== 'unchanged')
        writes.push({
          PutRequest: {
            Item: ledgerItem(
              sub,
              sk.slice(keys.rollupSourcePrefix.length),
              withdrawn.next,
              previous.rev + 1,
              now,
            ),
          },
        });
      continue;
    }
    if (previous.removed) continue;
    writes.push({
      PutRequest: {
        Item: {
          ...ledgerItem(
            sub,
            sk.slice(keys.rollupSourcePrefix.length),
            { ...EMPTY_LEDGER, seq: previous.seq, removed: true, aggExcluded: previous.aggExcluded },
            previous.rev + 1,
            now,
          ),
        },
      },
    });
  }
  if (!profile.erasing) {
    const plan = planChanges(userChanges);
    const fresh = new Set(plan.rollups.map((r) => rollupKey(r.scope, r.period).SK));
    for (const item of rollupPartition) {
      const sk = String(item.SK);
      if (isRollupSk(sk) && !fresh.has(sk)) {
        writes.push({ DeleteRequest: { Key: keyOf(item) } });
        summary.deletedItems += 1;
      }
    }
    for (const rollup of plan.rollups)
      writes.push({
        PutRequest: { Item: rollupItem(rollup.scope, rollup.period, rollup.counters, now) },
      });
    summary.userRollups += plan.rollups.length;
  }
  await batchWriteItems(writes);
  if (!profile.erasing) {
    const responses = own.filter((item) => item.entityType === 'SURVEY_RESPONSE');
    const outcome = await rebuildSurveyState(sub, responses, now);
    if (outcome === 'written') summary.surveyStates += 1;
    if (outcome === 'conflict') summary.surveyStateConflicts += 1;
  }

  const plan = planChanges(aggChanges);
  for (const rollup of plan.rollups) {
    const id = rollupKey(rollup.scope, rollup.period);
    const entry = aggregates.get(`${id.PK}|${id.SK}`) ?? {
      scope: rollup.scope,
      period: rollup.period,
      counters: {},
    };
    for (const [name, value] of Object.entries(rollup.counters))
      entry.counters[name] = (entry.counters[name] ?? 0) + value;
    aggregates.set(`${id.PK}|${id.SK}`, entry);
  }
  for (const marker of plan.markers) {
    const id = rollupKey(marker.scope, marker.period);
    const counts = Object.fromEntries(
      Object.entries(marker.categories).filter(([, value]) => (value ?? 0) > 0),
    ) as MarkerCounts;
    if (Object.keys(counts).length > 0)
      markers.set(`${id.PK}|${id.SK}|${sub}`, {
        scope: marker.scope,
        period: marker.period,
        sub,
        counts,
      });
  }
  summary.users += 1;
};

/** Distinct contributors per category, from the markers, into the aggregate counters. */
const countContributors = ({ aggregates, markers }: Accumulated): void => {
  for (const marker of markers.values()) {
    const id = rollupKey(marker.scope, marker.period);
    const entry = aggregates.get(`${id.PK}|${id.SK}`);
    if (!entry) continue;
    for (const category of Object.keys(marker.counts) as ContributorCategory[]) {
      const name = counter.contributors(category);
      entry.counters[name] = (entry.counters[name] ?? 0) + 1;
    }
  }
};

/** The aggregate scopes to rewrite: the organisation and every department (or only the given ones). */
const scopesToRewrite = async (
  only: RebuildOptions['only'],
  { aggregates }: Accumulated,
): Promise<Scope[]> => {
  const departmentIds = only
    ? [...only.departmentIds]
    : [...(await allDepartmentIds()), UNASSIGNED_DEPARTMENT];
  const scopes: Scope[] = [
    ...(only ? [] : [{ kind: 'organisation' } as const]),
    ...departmentIds.map((id) => ({ kind: 'department', id }) as const),
  ];
  // Departments only seen in attributions (e.g. a department id on a profile) are rebuilt as well.
  if (!only)
    for (const entry of aggregates.values())
      if (entry.scope.kind === 'department' && !departmentIds.includes(entry.scope.id)) {
        departmentIds.push(entry.scope.id);
        scopes.push(entry.scope);
      }
  return scopes;
};

/**
 * Step 2: every selected aggregate partition is emptied and rewritten from `acc` (closed months are
 * compared with what was stored, never just deleted).
 */
const rewriteAggregatePartitions = async (
  scopes: readonly Scope[],
  now: Date,
  summary: RebuildSummary,
  { aggregates, markers }: Accumulated,
  progress: (line: string) => void,
): Promise<void> => {
  const selected = new Set(scopes.map((scope) => partitions.rollupScope(scopeId(scope))));
  progress(`  rewriting ${scopes.length} aggregate partition(s)…`);
  const window = runtimeEnv().analysisTimeWindow;
  const puts: WriteRequest[] = [];
  const rebuiltKeys = new Set([...aggregates.keys()].filter((id) => selected.has(id.split('|')[0] ?? '')));
  for (const scope of scopes) {
    const pk = partitions.rollupScope(scopeId(scope));
    const existing = await partitionItems(pk);
    // Closed months that were stored: compared with their rebuilt counters below (never just deleted).
    const storedMonths = new Map(
      existing
        .filter(
          (item) =>
            keys.parse.rollupPeriod(String(item.SK))?.granularity === 'MONTH' && item.entityType === 'ROLLUP',
        )
        .map((item) => [String(item.SK), item]),
    );
    const deletions = existing.filter(
      (item) => !(storedMonths.has(String(item.SK)) && closedMonthOf(String(item.SK), now, window)),
    );
    await batchWriteItems(deletions.map((item) => ({ DeleteRequest: { Key: keyOf(item) } })));
    summary.deletedItems += deletions.length;
    for (const [sk, stored] of storedMonths) {
      const month = closedMonthOf(sk, now, window);
      if (!month || rebuiltKeys.has(`${pk}|${sk}`)) continue;
      // A closed month whose every contribution is gone: kept as an empty cell, revised if it had any.
      const period: Period = { granularity: 'MONTH', key: month };
      puts.push({ PutRequest: { Item: closedRollupItem(scope, period, {}, stored, now) } });
      summary.aggregateRollups += 1;
    }
    for (const id of rebuiltKeys) {
      if (!id.startsWith(`${pk}|`)) continue;
      const entry = aggregates.get(id)!;
      const sk = rollupKey(entry.scope, entry.period).SK;
      const month = entry.period.granularity === 'MONTH' ? closedMonthOf(sk, now, window) : undefined;
      puts.push({
        PutRequest: {
          Item: month
            ? closedRollupItem(entry.scope, entry.period, entry.counters, storedMonths.get(sk), now)
            : rollupItem(entry.scope, entry.period, entry.counters, now),
        },
      });
      summary.aggregateRollups += 1;
    }
  }
  for (const marker of markers.values()) {
    const key = keys.rollupContributor(
      scopeId(marker.scope),
      marker.period.granularity,
      marker.period.key,
      marker.sub,
    );
    if (!selected.has(key.PK)) continue;
    puts.push({
      PutRequest: {
        Item: {
          ...key,
          entityType: 'ROLLUP_CONTRIBUTOR',
          counts: marker.counts,
          rev: 1,
          updatedAt: now.toISOString(),
        },
      },
    });
    summary.contributorMarkers += 1;
  }
  await batchWriteItems(puts);
  progress(
    `  wrote ${summary.aggregateRollups} aggregate rollup(s) and ${summary.contributorMarkers} contributor marker(s)`,
  );
};

export const rebuildRollups = async (options: RebuildOptions): Promise<RebuildSummary> => {
  const { now, only } = options;
  const progress = options.progress ?? (() => undefined);
  const summary: RebuildSummary = {
    users: 0,
    sourceItems: 0,
    malformedItems: 0,
    userRollups: 0,
    aggregateRollups: 0,
    contributorMarkers: 0,
    deletedItems: 0,
    surveyStates: 0,
    surveyStateConflicts: 0,
  };
  const acc: Accumulated = { aggregates: new Map(), markers: new Map() };

  let page = 0;
  for await (const profiles of userPages(only, options.pageSize ?? 100)) {
    page += 1;
    for (const profile of profiles) await rebuildUser(profile, now, summary, acc);
    progress(`  users: ${summary.users} (page ${page}), source items: ${summary.sourceItems}`);
  }

  countContributors(acc);
  await rewriteAggregatePartitions(await scopesToRewrite(only, acc), now, summary, acc, progress);
  return summary;
};
