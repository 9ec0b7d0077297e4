import { cellsToSuppress, totalVisible, type Thresholds } from './anonymity.ts';
import { counter, SCORED_INSTRUMENTS, type ContributorCategory, type Counters } from './rollups.ts';
import { activityOf, emotionsOf, instrumentOf, sentimentOf, valueOf } from './rollups-view.ts';

/**
 * The dashboard overview from the period's rollups (PRIVACY.md, aggregates), pure:
 *
 * - Cells and their thresholds: the department cell itself (activity counts; distinct contributors of
 *   any kind, kActivity), sentiment + emotions (contributors with analyses, kActivity), and one cell
 *   per scored instrument (contributors with a response to it, kClinical).
 * - A cell below k is `{ suppressed: true }` with no numbers, not even its count.
 * - Complementary suppression per cell kind over ALL departments plus the users without a department
 *   (a sibling that is never shown but can be recovered by subtraction as well), computed the same way
 *   whoever asks, so no two viewers' answers combine into more. Empty cells (no contributor) have
 *   nothing to hide and take no part; a department hidden as a whole counts as hidden in each kind.
 * - Trend versus the previous period only where the cell is visible in both periods.
 */
export interface CellInput {
  readonly id: string;
  readonly counters: Counters | undefined;
}

export interface OverviewInput {
  readonly thresholds: Thresholds;
  readonly organisation: Counters | undefined;
  readonly departments: readonly (CellInput & { readonly name: string })[];
  /** Users without a department (never shown as a cell). */
  readonly unassigned: Counters | undefined;
}

type Kind = 'activity' | 'sentiment' | (typeof SCORED_INSTRUMENTS)[number];
const KINDS: readonly Kind[] = ['activity', 'sentiment', ...SCORED_INSTRUMENTS];

/** The sibling of users without a department: never shown, but recoverable by subtraction too. */
const UNASSIGNED_CELL = '\u0000unassigned';

const categoryOf = (kind: Kind): ContributorCategory =>
  kind === 'activity' ? 'all' : kind === 'sentiment' ? 'analyses' : kind;

const kOf = (kind: Kind, thresholds: Thresholds): number =>
  kind === 'activity' || kind === 'sentiment' ? thresholds.kActivity : thresholds.kClinical;

const contributorsOf = (counters: Counters | undefined, kind: Kind): number =>
  valueOf(counters, counter.contributors(categoryOf(kind)));

/** Which cells of each kind are visible: per kind, the department ids hidden and whether the total shows. */
export interface Visibility {
  readonly hidden: Readonly<Record<Kind, ReadonlySet<string>>>;
  readonly organisation: Readonly<Record<Kind, boolean>>;
}

export const visibilityOf = (input: OverviewInput): Visibility => {
  const siblings: CellInput[] = [...input.departments, { id: UNASSIGNED_CELL, counters: input.unassigned }];
  const hidden = {} as Record<Kind, Set<string>>;
  const organisation = {} as Record<Kind, boolean>;
  // Non-empty cells hidden as a whole (activity): hidden in every kind they have contributors in.
  let hiddenWhole = new Set<string>();
  for (const kind of KINDS) {
    const k = kOf(kind, input.thresholds);
    organisation[kind] = totalVisible(contributorsOf(input.organisation, kind), k);
    const cells = siblings.map((cell) => ({
      id: cell.id,
      contributors: contributorsOf(cell.counters, kind),
    }));
    // Empty cells hide nothing and would only pad the count of hidden siblings: left out.
    const candidates = cells
      .filter((cell) => cell.contributors > 0)
      .map((cell) => (hiddenWhole.has(cell.id) ? { id: cell.id, contributors: 0 } : cell));
    const suppressed = cellsToSuppress(candidates, k, organisation[kind]);
    if (kind === 'activity') hiddenWhole = new Set(suppressed);
    // Shown as suppressed (no numbers): every cell below k, empty ones included.
    for (const cell of cells) if (cell.contributors < k) suppressed.add(cell.id);
    for (const id of hiddenWhole) suppressed.add(id);
    suppressed.delete(UNASSIGNED_CELL);
    hidden[kind] = suppressed;
  }
  return { hidden, organisation };
};

const SUPPRESSED = { suppressed: true } as const;

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** The numbers of a visible cell; each sub-cell only where its own kind is visible. */
const cellBody = (counters: Counters | undefined, visible: (kind: Kind) => boolean) => {
  const sentiment = sentimentOf(counters);
  return {
    contributors: contributorsOf(counters, 'activity'),
    activity: activityOf(counters),
    sentiment: visible('sentiment')
      ? {
          suppressed: false as const,
          contributors: contributorsOf(counters, 'sentiment'),
          ...sentiment,
        }
      : SUPPRESSED,
    emotions: visible('sentiment')
      ? { suppressed: false as const, labels: emotionsOf(counters) }
      : SUPPRESSED,
    instruments: Object.fromEntries(
      SCORED_INSTRUMENTS.map((id) => [
        id,
        visible(id)
          ? {
              suppressed: false as const,
              contributors: contributorsOf(counters, id),
              ...instrumentOf(counters, id),
            }
          : SUPPRESSED,
      ]),
    ),
  };
};

const trendOf = (
  current: Counters | undefined,
  previous: Counters | undefined,
  visibleNow: (kind: Kind) => boolean,
  visibleBefore: (kind: Kind) => boolean,
  previousPeriod: string,
) => {
  if (!visibleBefore('activity')) return null;
  const both = (kind: Kind) => visibleNow(kind) && visibleBefore(kind);
  const negativeShare = (c: Counters | undefined) => sentimentOf(c).shares.negative;
  const nowShare = negativeShare(current);
  const beforeShare = negativeShare(previous);
  return {
    previousPeriod,
    contributors: contributorsOf(current, 'activity') - contributorsOf(previous, 'activity'),
    items: valueOf(current, counter.items) - valueOf(previous, counter.items),
    negativeSentimentShare:
      both('sentiment') && nowShare !== null && beforeShare !== null
        ? round(nowShare - beforeShare, 4)
        : null,
    meanScores: Object.fromEntries(
      SCORED_INSTRUMENTS.map((id) => {
        const now = instrumentOf(current, id).meanScore;
        const before = instrumentOf(previous, id).meanScore;
        return [id, both(id) && now !== null && before !== null ? round(now - before, 2) : null];
      }),
    ),
  };
};

export interface OverviewOptions {
  readonly period: string;
  readonly previousPeriod: string;
  /** Admins see the organisation cell; managers do not. */
  readonly includeOrganisation: boolean;
  /** The departments the viewer may see, in display order. */
  readonly departmentIds: readonly string[];
}

/**
 * The overview's answer. Suppression is decided on every department in both periods, then the
 * viewer's departments are picked.
 */
export const buildOverview = (current: OverviewInput, previous: OverviewInput, options: OverviewOptions) => {
  const now = visibilityOf(current);
  const before = visibilityOf(previous);
  const visibleIn = (visibility: Visibility, id: string | null) => (kind: Kind) =>
    id === null ? visibility.organisation[kind] : !visibility.hidden[kind].has(id);
  const previousOf = (id: string) => previous.departments.find((d) => d.id === id)?.counters;

  const organisation = visibleIn(now, null)('activity')
    ? {
        suppressed: false as const,
        ...cellBody(current.organisation, visibleIn(now, null)),
        trend: trendOf(
          current.organisation,
          previous.organisation,
          visibleIn(now, null),
          visibleIn(before, null),
          options.previousPeriod,
        ),
      }
    : SUPPRESSED;

  const byId = new Map(current.departments.map((d) => [d.id, d]));
  const departmentCell = (department: CellInput & { readonly name: string }) => {
    const { id } = department;
    const visible = visibleIn(now, id);
    if (!visible('activity')) return { departmentId: id, name: department.name, suppressed: true as const };
    return {
      departmentId: id,
      name: department.name,
      suppressed: false as const,
      ...cellBody(department.counters, visible),
      trend: trendOf(
        department.counters,
        previousOf(id),
        visible,
        visibleIn(before, id),
        options.previousPeriod,
      ),
    };
  };
  const departments = options.departmentIds.flatMap((id) => {
    const department = byId.get(id);
    return department ? [departmentCell(department)] : [];
  });

  return {
    period: options.period,
    organisation: options.includeOrganisation ? organisation : null,
    departments,
  };
};
