import { ANALYSIS_TYPES, EMOTION_LABELS, type AnalysisType } from '#contract/analysis.ts';
import { INSTRUMENT_IDS, type InstrumentId } from '#contract/survey.ts';
import { DISTRESS_EMOTIONS } from './burnout-risk.ts';
import { INSTRUMENT_BANDS } from './instruments/cut-offs.ts';
import * as category from './rollup-categories.ts';
import * as counter from './rollup-counters.ts';
import { periodsOf, type Period } from './rollups-periods.ts';

/**
 * # Rollups: what one source item adds to the analytics (pure)
 *
 * Source items are a user's analyses (`CHAT_ANALYSIS`, `SPEECH_ANALYSIS`, `VIDEO_ANALYSIS`), survey
 * responses (`SURVEY_RESPONSE`) and EmoBuddy sessions (`EMO_SESSION`). Nothing else is ever counted:
 * risk alerts, risk events, messages, consents, profiles and audit records are ignored.
 *
 * An item's {@link Contribution} is a set of integer counters at the item's own time (`analyzedAt`,
 * `submittedAt`, `startedAt`). Integers only (probabilities and scores are kept in millionths /
 * thousandths), so adding and subtracting is exact and a rollup returns to exactly zero. Scopes and
 * periods: the user's own rollups per UTC day, ISO week and month (their summary reads them); the
 * department's and the organisation's per calendar month only — the one period grid the dashboard
 * serves (docs/anonymity.md), so no two served periods overlap and nothing else is written.
 *
 * Distinct contributors per statistic: every department/organisation rollup counts, per contributor
 * category ({@link category}: any item, analyses and each analysis type, each sentiment label, each
 * emotion label, any survey, each instrument and each of its bands, EmoBuddy), the users with at least
 * one item in it that month. A contributor marker per (scope, month, user) holds the user's item count
 * per category; a category going 0 → 1 adds a contributor, 1 → 0 removes one ({@link applyMarker}).
 * Every published statistic is shown only on its own category's count (shared/domain/statistics.ts).
 *
 * What reaches department and organisation rollups — an item's {@link aggregateView}, never more:
 * - Only what the dashboard publishes: counts, sums behind means, band counts, EmoBuddy sessions. A
 *   session counts once, when it starts; its messages and its end stay in the user's own rollups, so an
 *   aggregate contribution never changes after the item is written (a closed month stays closed).
 * - An item that raised a risk signal (an analysis with `riskFlags`, a PHQ-9 with `suicidal_ideation`)
 *   never does: crisis events are never part of an aggregate a manager or admin sees. It still counts
 *   in the user's own rollups, which only the user (and a consented clinician) read.
 * - Without `aggregate_analytics` consent nothing new is added, and whatever the item had added is
 *   withdrawn; revoking the consent (or asking for erasure) withdraws every past contribution through
 *   the ledger, page by page ({@link decideWithdrawal}; shared/data/rollup-withdrawal.ts). An item once
 *   withdrawn stays out for good (`aggExcluded`): re-granting the consent counts only new items.
 * - Removals subtract exactly what the item had added, from the very rollups it had added to: the
 *   contribution ledger ({@link LedgerState}) remembers it. The one exception is expiry by TTL (raw text
 *   retention): the user's own rollups follow the item, but its aggregate contribution stays — expiry is
 *   not a withdrawal, the aggregate holds no raw text, and a closed month must not change (a change
 *   would mark its cells revised). The ledger keeps the contribution so a later withdrawal finds it.
 * The user's own rollups are the user's own data and are kept regardless, like the source items.
 */

export const SOURCE_ENTITY_TYPES = [
  'CHAT_ANALYSIS',
  'SPEECH_ANALYSIS',
  'VIDEO_ANALYSIS',
  'SURVEY_RESPONSE',
  'EMO_SESSION',
] as const;
export type SourceEntityType = (typeof SOURCE_ENTITY_TYPES)[number];

/** Instruments whose scores are aggregated (custom surveys have no score and are counted only). */
export const SCORED_INSTRUMENTS = [
  'phq9',
  'gad7',
  'who5',
  'pss10',
  'cbi',
] as const satisfies readonly InstrumentId[];
export type ScoredInstrument = (typeof SCORED_INSTRUMENTS)[number];

/**
 * Health scales shown only at the clinical threshold (kClinical). Our privacy rules name PHQ-9, GAD-7 and
 * burnout (CBI); WHO-5 (wellbeing, depression screen) and PSS-10 (stress) are health measures too, so
 * every scored instrument is treated as clinical — the stricter choice.
 */
export const CLINICAL_INSTRUMENTS: readonly ScoredInstrument[] = SCORED_INSTRUMENTS;

/** Survey flags that are risk signals (they raise an alert): such responses stay out of aggregates. */
export const RISK_SURVEY_FLAGS = ['suicidal_ideation'] as const;

export const SENTIMENT_LABELS = ['positive', 'negative', 'neutral'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** The band ids of a scored instrument, in ascending order (the instrument definitions). */
export const bandsOf = (instrument: ScoredInstrument): readonly string[] =>
  INSTRUMENT_BANDS[instrument].map((band) => band.id);

/**
 * Contributor categories (`category.*`, shared/domain/rollup-categories.ts) and counter names
 * (`counter.*`, shared/domain/rollup-counters.ts): one export per name, so a bundle carries the names it
 * uses (an object of them was kept whole). Import them as namespaces from those modules; they are
 * re-exported here for the aggregator's modules.
 */
export { category, counter };
export type ContributorCategory = string;

export type Counters = Record<string, number>;

/** What one source item adds, at its own time. */
export interface Contribution {
  readonly at: string;
  readonly counters: Counters;
  readonly categories: readonly ContributorCategory[];
  /** The item raised a risk signal: never in department/organisation rollups. */
  readonly riskSignal: boolean;
}

type Image = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTimestamp = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

export const isSourceEntityType = (value: unknown): value is SourceEntityType =>
  typeof value === 'string' && (SOURCE_ENTITY_TYPES as readonly string[]).includes(value);

/** Thrown for a source item whose image cannot be read (a poisoned stream record). */
export class MalformedSourceError extends Error {
  override name = 'MalformedSourceError';
}

const analysisTypeOf = (entityType: SourceEntityType): AnalysisType | undefined =>
  ANALYSIS_TYPES.find((type) => `${type.toUpperCase()}_ANALYSIS` === entityType);

const add = (counters: Counters, name: string, value: number): void => {
  if (value !== 0) counters[name] = (counters[name] ?? 0) + value;
};

const analysisContribution = (type: AnalysisType, image: Image): Contribution => {
  const at = image.analyzedAt;
  const sentiment = image.sentiment;
  const emotions = image.emotions;
  if (!isTimestamp(at) || !isRecord(sentiment) || !isRecord(emotions))
    throw new MalformedSourceError('analysis without analyzedAt, sentiment or emotions');
  const counters: Counters = {};
  const categories: ContributorCategory[] = [category.all, category.analyses, category.analysisType(type)];
  add(counters, counter.items, 1);
  add(counters, counter.analyses(type), 1);
  if (
    typeof sentiment.label === 'string' &&
    (SENTIMENT_LABELS as readonly string[]).includes(sentiment.label)
  ) {
    add(counters, counter.sentiment(type, sentiment.label), 1);
    categories.push(category.sentiment(sentiment.label as SentimentLabel));
  }
  let dominant: string | undefined;
  let best = -Infinity;
  for (const label of EMOTION_LABELS) {
    const value = emotions[label];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    categories.push(category.emotion(label));
    add(counters, counter.emotionCount(label), 1);
    add(counters, counter.emotionMicros(label), Math.round(value * 1_000_000));
    if (value > best) {
      best = value;
      dominant = label;
    }
  }
  if (type !== 'chat' && dominant !== undefined) {
    add(counters, counter.dominant(type), 1);
    if ((DISTRESS_EMOTIONS as readonly string[]).includes(dominant))
      add(counters, counter.dominantDistress(type), 1);
  }
  const flags = Array.isArray(image.riskFlags) ? image.riskFlags : [];
  return { at, counters, categories, riskSignal: flags.length > 0 };
};

const surveyContribution = (image: Image): Contribution => {
  const at = image.submittedAt;
  const instrument = image.instrument;
  if (
    !isTimestamp(at) ||
    typeof instrument !== 'string' ||
    !(INSTRUMENT_IDS as readonly string[]).includes(instrument)
  )
    throw new MalformedSourceError('survey response without submittedAt or a known instrument');
  const id = instrument as InstrumentId;
  const counters: Counters = {};
  const categories: ContributorCategory[] = [category.all, category.surveys, category.instrument(id)];
  add(counters, counter.items, 1);
  add(counters, counter.surveys(id), 1);
  const total = isRecord(image.scores) ? image.scores.total : undefined;
  if (typeof total === 'number' && Number.isFinite(total) && id !== 'custom') {
    add(counters, counter.scored(id), 1);
    add(counters, counter.scoreMilli(id), Math.round(total * 1000));
    // Only the instrument's own bands: the band counts add up to its responses (a published relation).
    if (typeof image.band === 'string' && bandsOf(id).includes(image.band)) {
      add(counters, counter.band(id, image.band), 1);
      categories.push(category.band(id, image.band));
    }
  }
  const flags = Array.isArray(image.flags) ? image.flags : [];
  return {
    at,
    counters,
    categories,
    riskSignal: flags.some((flag) => (RISK_SURVEY_FLAGS as readonly unknown[]).includes(flag)),
  };
};

const sessionContribution = (image: Image): Contribution => {
  const at = image.startedAt;
  if (!isTimestamp(at)) throw new MalformedSourceError('session without startedAt');
  const counters: Counters = {};
  add(counters, counter.items, 1);
  add(counters, counter.emoSessions, 1);
  if (image.status === 'ended') add(counters, counter.emoEnded, 1);
  const messages = image.messageCount;
  if (typeof messages === 'number' && Number.isInteger(messages) && messages > 0)
    add(counters, counter.emoMessages, messages);
  return { at, counters, categories: [category.all, category.emoBuddy], riskSignal: false };
};

/**
 * The counters department and organisation rollups keep: what the dashboard publishes (shared/domain/
 * statistics.ts) and nothing else. Left out: EmoBuddy message counts and ends (they change after the
 * session started, which would revise closed months, and a per-person usage intensity adds little), and
 * the dominant-emotion counters of the user's burnout signals.
 */
export const AGGREGATE_COUNTER =
  /^(?:activity\.items|analyses\.|sentiment\.|emotionCount\.|emotionMicros\.|surveys\.|scoreMilli\.|scored\.|band\.|emoBuddy\.sessions$)/;

/** What an item adds to department and organisation rollups: its aggregate counters and categories. */
export const aggregateView = (contribution: Contribution): Contribution => ({
  ...contribution,
  counters: Object.fromEntries(
    Object.entries(contribution.counters).filter(([name]) => AGGREGATE_COUNTER.test(name)),
  ),
});

/**
 * The contribution of a stored item, or undefined when it is not a source item (risk alerts and every
 * other entity). Throws {@link MalformedSourceError} for a source item it cannot read. The caller
 * passes items of a user's own partition only (the data layer reads the partition from the key).
 */
export const contributionOf = (image: Image | undefined): Contribution | undefined => {
  if (!image || !isSourceEntityType(image.entityType)) return undefined;
  const type = analysisTypeOf(image.entityType);
  if (type) return analysisContribution(type, image);
  return image.entityType === 'SURVEY_RESPONSE' ? surveyContribution(image) : sessionContribution(image);
};

// ---------------------------------------------------------------------------------------------------
// The contribution ledger and what a stream record changes
// ---------------------------------------------------------------------------------------------------

/** The department rollup of users without a department: a sibling cell that is never shown itself. */
export const UNASSIGNED_DEPARTMENT = 'unassigned';

/**
 * What a source item has added so far (one ledger item per source item): to the user's rollups, and to
 * a department's and the organisation's. `seq` is the stream sequence number last applied (older
 * records of the same item are stale); a removed item leaves a tombstone (`removed`) so a retried older
 * record cannot bring it back — kept as long as it still holds an aggregate part (an expired item),
 * else for a while. `aggExcluded`: the item's aggregate part was withdrawn (or never allowed) and never
 * comes back.
 */
export interface LedgerState {
  readonly user: Contribution | null;
  readonly agg: Contribution | null;
  readonly aggDepartment: string | null;
  readonly seq: string | null;
  readonly removed: boolean;
  readonly aggExcluded: boolean;
}

export const EMPTY_LEDGER: LedgerState = {
  user: null,
  agg: null,
  aggDepartment: null,
  seq: null,
  removed: false,
  aggExcluded: false,
};

/** Whether `seq` is not newer than `applied` (DynamoDB stream sequence numbers are decimal strings). */
export const isStale = (seq: string | undefined, applied: string | null): boolean => {
  if (seq === undefined || applied === null) return false;
  try {
    return BigInt(seq) <= BigInt(applied);
  } catch {
    return false;
  }
};

/** Facts about the item's owner at processing time. */
export interface OwnerFacts {
  /** Profile gone, or erasure requested: the user's contributions are being withdrawn and purged. */
  readonly erasing: boolean;
  readonly departmentId: string | undefined;
  readonly aggregateConsent: boolean;
}

export type RecordDecision =
  | { readonly kind: 'ignore'; readonly reason: string }
  | { readonly kind: 'apply'; readonly next: LedgerState | 'unchanged'; readonly changes: ScopedChange[] };

export type Scope =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'department'; readonly id: string }
  | { readonly kind: 'organisation' };

/** One contribution added (+1) to or taken (−1) from one scope. */
export interface ScopedChange {
  readonly scope: Scope;
  readonly contribution: Contribution;
  readonly sign: 1 | -1;
}

const sameContribution = (a: Contribution | null, b: Contribution | null): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

const userChanges = (sub: string, from: Contribution | null, to: Contribution | null): ScopedChange[] => {
  if (sameContribution(from, to)) return [];
  const scope: Scope = { kind: 'user', id: sub };
  return [
    ...(from ? [{ scope, contribution: from, sign: -1 as const }] : []),
    ...(to ? [{ scope, contribution: to, sign: 1 as const }] : []),
  ];
};

const aggScopes = (department: string): Scope[] => [
  { kind: 'department', id: department },
  { kind: 'organisation' },
];

const aggChanges = (
  from: { contribution: Contribution | null; department: string | null },
  to: { contribution: Contribution | null; department: string | null },
): ScopedChange[] => {
  if (sameContribution(from.contribution, to.contribution) && from.department === to.department) return [];
  return [
    ...(from.contribution && from.department
      ? aggScopes(from.department).map((scope) => ({
          scope,
          contribution: from.contribution!,
          sign: -1 as const,
        }))
      : []),
    ...(to.contribution && to.department
      ? aggScopes(to.department).map((scope) => ({ scope, contribution: to.contribution!, sign: 1 as const }))
      : []),
  ];
};

/**
 * What a stream record of a SOURCE item changes, given the item's ledger and its owner. Rules:
 * - a record not newer than the ledger's is stale (a retried older record): nothing;
 * - an owner being erased: nothing (the erasure request withdraws every aggregate part at once, the
 *   purge removes the user's rollups; {@link decideWithdrawal}, {@link decideLedgerRemoval});
 * - REMOVE: everything the item added is subtracted and the ledger becomes a tombstone — except after a
 *   TTL expiry (`expired`), which takes the item out of the user's own rollups only (see the header);
 * - INSERT/MODIFY: the user's rollups follow the new image; department/organisation rollups follow its
 *   {@link aggregateView} when the owner consents, the item raised no risk signal and was never
 *   withdrawn, attributed to the department of its first contribution. Without consent the item's
 *   aggregate part is withdrawn (if it had one) and the item is excluded from then on.
 */
export const decideSourceRecord = (input: {
  sub: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The contribution of the new image (undefined for REMOVE). */
  contribution: Contribution | undefined;
  seq: string | undefined;
  ledger: LedgerState | undefined;
  owner: OwnerFacts;
  /** A REMOVE by DynamoDB's TTL (retention), not by anyone's request. */
  expired?: boolean;
}): RecordDecision => {
  const { sub, owner } = input;
  const ledger = input.ledger ?? EMPTY_LEDGER;
  if (isStale(input.seq, ledger.seq)) return { kind: 'ignore', reason: 'stale' };
  if (owner.erasing) return { kind: 'ignore', reason: 'erasing' };
  const seq = input.seq ?? ledger.seq;
  if (input.eventName === 'REMOVE' || !input.contribution) {
    if (input.expired === true) {
      return {
        kind: 'apply',
        next: { ...ledger, user: null, seq, removed: true },
        changes: userChanges(sub, ledger.user, null),
      };
    }
    const changes = [
      ...userChanges(sub, ledger.user, null),
      ...aggChanges(
        { contribution: ledger.agg, department: ledger.aggDepartment },
        { contribution: null, department: null },
      ),
    ];
    return {
      kind: 'apply',
      next: { ...EMPTY_LEDGER, seq, removed: true, aggExcluded: ledger.aggExcluded },
      changes,
    };
  }
  const contribution = input.contribution;
  let agg: Contribution | null;
  let aggDepartment: string | null;
  let aggExcluded = ledger.aggExcluded;
  if (ledger.aggExcluded || !owner.aggregateConsent) {
    agg = null;
    aggDepartment = null;
    aggExcluded = true;
  } else if (contribution.riskSignal) {
    agg = null;
    aggDepartment = null;
  } else {
    agg = aggregateView(contribution);
    aggDepartment = ledger.agg ? ledger.aggDepartment : (owner.departmentId ?? UNASSIGNED_DEPARTMENT);
  }
  const changes = [
    ...userChanges(sub, ledger.user, contribution),
    ...aggChanges(
      { contribution: ledger.agg, department: ledger.aggDepartment },
      { contribution: agg, department: aggDepartment },
    ),
  ];
  return {
    kind: 'apply',
    next: { user: contribution, agg, aggDepartment, seq, removed: false, aggExcluded },
    changes,
  };
};

/**
 * Withdrawing one item's aggregate part (consent revoked, erasure requested): what it added to its
 * department and the organisation is subtracted and the item is excluded for good. Its own rollups stay.
 * An item already withdrawn or never counted changes nothing (but is marked, so it never counts later).
 */
export const decideWithdrawal = (ledger: LedgerState): RecordDecision => {
  if (ledger.aggExcluded && !ledger.agg) return { kind: 'ignore', reason: 'already_withdrawn' };
  return {
    kind: 'apply',
    next: { ...ledger, agg: null, aggDepartment: null, aggExcluded: true },
    changes: aggChanges(
      { contribution: ledger.agg, department: ledger.aggDepartment },
      { contribution: null, department: null },
    ),
  };
};

/**
 * A ledger item deleted by someone else: the erasure purge deleting the user's rollup partition. Its
 * aggregate part (if the withdrawal at the erasure request had not already taken it) is withdrawn from
 * the department and the organisation when the owner is being erased; any other deletion (a tombstone
 * expiring, a rebuild replacing ledgers) changes nothing.
 */
export const decideLedgerRemoval = (ledger: LedgerState, owner: OwnerFacts): RecordDecision =>
  owner.erasing && ledger.agg && ledger.aggDepartment
    ? {
        kind: 'apply',
        next: 'unchanged',
        changes: aggChanges(
          { contribution: ledger.agg, department: ledger.aggDepartment },
          { contribution: null, department: null },
        ),
      }
    : { kind: 'ignore', reason: 'not_a_withdrawal' };

// ---------------------------------------------------------------------------------------------------
// From changes to rollup deltas and contributor markers
// ---------------------------------------------------------------------------------------------------

export const scopeId = (scope: Scope): string =>
  scope.kind === 'organisation' ? 'ORG' : `${scope.kind === 'user' ? 'USER' : 'DEPT'}#${scope.id}`;

export interface RollupDelta {
  readonly scope: Scope;
  readonly period: Period;
  readonly counters: Counters;
}

export interface MarkerDelta {
  readonly scope: Scope;
  readonly period: Period;
  /** Change of the user's item count per category. */
  readonly categories: Partial<Record<ContributorCategory, number>>;
}

export interface Plan {
  readonly rollups: RollupDelta[];
  readonly markers: MarkerDelta[];
}

const periodId = (scope: Scope, period: Period) => `${scopeId(scope)}|${period.granularity}#${period.key}`;

/**
 * Net counter deltas per (scope, period) and net per-category item-count changes of the user's
 * contributor markers (department and organisation months only: a user is always one contributor of
 * their own rollups). Entries that cancel out are dropped.
 */
export const planChanges = (changes: readonly ScopedChange[]): Plan => {
  const rollups = new Map<string, { scope: Scope; period: Period; counters: Counters }>();
  const markers = new Map<
    string,
    { scope: Scope; period: Period; categories: Partial<Record<ContributorCategory, number>> }
  >();
  for (const { scope, contribution, sign } of changes) {
    // Users: day, week and month (their summary and burnout signals); departments and the
    // organisation: the month only, the dashboard's one period grid.
    const periods = periodsOf(contribution.at).filter(
      (period) => scope.kind === 'user' || period.granularity === 'MONTH',
    );
    for (const period of periods) {
      const id = periodId(scope, period);
      const rollup = rollups.get(id) ?? { scope, period, counters: {} };
      for (const [name, value] of Object.entries(contribution.counters))
        add(rollup.counters, name, sign * value);
      rollups.set(id, rollup);
      if (scope.kind === 'user') continue;
      const marker = markers.get(id) ?? { scope, period, categories: {} };
      for (const category of contribution.categories)
        marker.categories[category] = (marker.categories[category] ?? 0) + sign;
      markers.set(id, marker);
    }
  }
  const nonZero = <T extends Record<string, number | undefined>>(values: T) =>
    Object.values(values).some((value) => value !== 0 && value !== undefined);
  return {
    rollups: [...rollups.values()]
      .map((r) => ({
        ...r,
        counters: Object.fromEntries(Object.entries(r.counters).filter(([, v]) => v !== 0)),
      }))
      .filter((r) => nonZero(r.counters)),
    markers: [...markers.values()].filter((m) => nonZero(m.categories)),
  };
};

export type MarkerCounts = Partial<Record<ContributorCategory, number>>;

/**
 * A user's contributor marker after a change: the new per-category item counts (undefined when all
 * are zero: the marker is deleted) and the change of each category's distinct-contributor count.
 */
export const applyMarker = (
  current: MarkerCounts | undefined,
  delta: MarkerCounts,
): { next: MarkerCounts | undefined; contributors: Counters } => {
  const next: MarkerCounts = { ...current };
  const contributors: Counters = {};
  for (const [category, change] of Object.entries(delta) as [ContributorCategory, number][]) {
    const before = current?.[category] ?? 0;
    const after = Math.max(0, before + change);
    if (after === 0) delete next[category];
    else next[category] = after;
    if (before === 0 && after > 0) contributors[counter.contributors(category)] = 1;
    if (before > 0 && after === 0) contributors[counter.contributors(category)] = -1;
  }
  return { next: Object.keys(next).length > 0 ? next : undefined, contributors };
};

/** Adds counters into `into` (pure helper shared by the aggregator, the rebuild and the tests). */
export const addCounters = (into: Counters, from: Counters, sign = 1): Counters => {
  for (const [name, value] of Object.entries(from)) add(into, name, sign * value);
  return into;
};
