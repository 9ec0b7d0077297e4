import { EMOTION_LABELS } from '#contract/analysis.ts';
import type { Thresholds } from '#domain/anonymity.ts';
import { bandsOf, SCORED_INSTRUMENTS, type Counters } from '#domain/rollups.ts';

/**
 * The attacker of the property tests, written apart from the production code (shared/domain/
 * anonymity.ts) so that it checks it rather than repeats it: an insider who has made every read it may
 * make of a closed month — before and after withdrawals — and combines them. Every published number is
 * a known variable; the variables are the cells' true values per version (a cell's value changes only
 * when a withdrawal revises it); the equations are the relations an insider can rely on. Conservatively
 * the insider also knows its own data and every value below k of every department other than the one
 * attacked (it may have populated those alone), and every empty value.
 *
 * Protected (must never be determinable): each value of a department or the unassigned cell resting on
 * 1..k contributors, at each version; and each change of such a value by a withdrawal (what the person
 * who left had contributed). Determinable = the target's linear functional lies in the row space of the
 * equations over the unknowns (exact rational elimination).
 */
export interface OracleValue {
  readonly id: string;
  /** The contributor category whose count is the value's population. */
  readonly category: string;
  readonly threshold: 'activity' | 'clinical';
  readonly read: (counters: Counters) => number;
}

const n = (counters: Counters, name: string) => counters[name] ?? 0;
const TYPES = ['chat', 'speech', 'video'];
const LABELS = ['positive', 'negative', 'neutral'];

/** Every number a cell can publish, as the dashboard computes it from the rollup counters. */
export const ORACLE_VALUES: readonly OracleValue[] = [
  { id: 'contributors', category: 'all', threshold: 'activity', read: (c) => n(c, 'contributors.all') },
  {
    id: 'analyses',
    category: 'analyses',
    threshold: 'activity',
    read: (c) => TYPES.reduce((s, t) => s + n(c, `analyses.${t}`), 0),
  },
  ...LABELS.map((label) => ({
    id: `sentiment.${label}`,
    category: `sentiment.${label}`,
    threshold: 'activity' as const,
    read: (c: Counters) => TYPES.reduce((s, t) => s + n(c, `sentiment.${t}.${label}`), 0),
  })),
  ...EMOTION_LABELS.flatMap((label) => [
    {
      id: `emotion.${label}.count`,
      category: `emotion.${label}`,
      threshold: 'activity' as const,
      read: (c: Counters) => n(c, `emotionCount.${label}`),
    },
    {
      id: `emotion.${label}.sum`,
      category: `emotion.${label}`,
      threshold: 'activity' as const,
      read: (c: Counters) => n(c, `emotionMicros.${label}`),
    },
  ]),
  { id: 'sessions', category: 'emoBuddy', threshold: 'activity', read: (c) => n(c, 'emoBuddy.sessions') },
  ...SCORED_INSTRUMENTS.flatMap((id) => [
    {
      id: `${id}.responses`,
      category: id,
      threshold: 'clinical' as const,
      read: (c: Counters) => n(c, `surveys.${id}`),
    },
    {
      id: `${id}.sum`,
      category: id,
      threshold: 'clinical' as const,
      read: (c: Counters) => n(c, `scoreMilli.${id}`),
    },
    ...bandsOf(id).map((band) => ({
      id: `${id}.band.${band}`,
      category: `band.${id}.${band}`,
      threshold: 'clinical' as const,
      read: (c: Counters) => n(c, `band.${id}.${band}`),
    })),
  ]),
];

/** Linear relations within a cell: [total, ...parts]. */
const WITHIN: readonly (readonly string[])[] = [
  ['analyses', ...LABELS.map((label) => `sentiment.${label}`)],
  ...SCORED_INSTRUMENTS.map((id) => [`${id}.responses`, ...bandsOf(id).map((band) => `${id}.band.${band}`)]),
];

/** What a read published: per cell id, value id → number (only numbers shown). */
export type Publication = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface Epoch {
  /** The true counters of every cell at this time (cell ids: `ORG`, `unassigned`, department ids). */
  readonly counters: ReadonlyMap<string, Counters>;
  /** What the insider read at this time. */
  readonly reads: readonly Publication[];
}

type Row = Map<number, bigint>;
const abs = (x: bigint) => (x < 0n ? -x : x);
const gcd = (a: bigint, b: bigint): bigint => {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Reduced row echelon form of sparse integer rows (fraction-free, each row divided by its gcd). */
class Echelon {
  private readonly pivots = new Map<number, Row>();

  private reduce(input: Row): Row {
    const row = new Map(input);
    for (const [column, pivotRow] of this.pivots) {
      const b = row.get(column);
      if (b === undefined) continue;
      const a = pivotRow.get(column)!;
      for (const [c, v] of row) row.set(c, v * a);
      for (const [c, v] of pivotRow) {
        const next = (row.get(c) ?? 0n) - b * v;
        if (next === 0n) row.delete(c);
        else row.set(c, next);
      }
      let g = 0n;
      for (const v of row.values()) g = gcd(g, v);
      if (g > 1n) for (const [c, v] of row) row.set(c, v / g);
    }
    return row;
  }

  add(input: Row): void {
    const row = this.reduce(input);
    const first = row.keys().next();
    if (first.done) return;
    const pivot = first.value;
    // Keep it reduced: clear the new pivot from the older rows.
    for (const older of this.pivots.values()) {
      const b = older.get(pivot);
      if (b === undefined) continue;
      const a = row.get(pivot)!;
      for (const [c, v] of older) older.set(c, v * a);
      for (const [c, v] of row) {
        const next = (older.get(c) ?? 0n) - b * v;
        if (next === 0n) older.delete(c);
        else older.set(c, next);
      }
    }
    this.pivots.set(pivot, row);
  }

  /** Whether a functional lies in the row space. */
  contains(functional: Row): boolean {
    return this.reduce(functional).size === 0;
  }
}

export interface Finding {
  readonly month: string;
  readonly cell: string;
  readonly value: string;
  readonly kind: 'value' | 'withdrawn contribution';
}

/**
 * Everything a combined attack determines, over one month's epochs (empty: nothing). `leaves` are the
 * department ids plus `unassigned`.
 */
export const attack = (
  month: string,
  epochs: readonly Epoch[],
  leaves: readonly string[],
  thresholds: Thresholds,
): Finding[] => {
  const cells = ['ORG', ...leaves];
  const k = (value: OracleValue) =>
    value.threshold === 'clinical' ? thresholds.kClinical : thresholds.kActivity;
  const contributorsOf = (counters: Counters | undefined, value: OracleValue) =>
    n(counters ?? {}, `contributors.${value.category}`);

  // Versions: a cell's value keeps its variable until its counters change.
  const version = new Map<string, number[]>(); // `${cell}|${value}` → version per epoch
  for (const cell of cells)
    for (const value of ORACLE_VALUES) {
      const versions: number[] = [];
      epochs.forEach((epoch, e) => {
        const now = value.read(epoch.counters.get(cell) ?? {});
        const c = contributorsOf(epoch.counters.get(cell), value);
        const previous = e > 0 ? epochs[e - 1]!.counters.get(cell) : undefined;
        const changed =
          e > 0 && (value.read(previous ?? {}) !== now || contributorsOf(previous, value) !== c);
        versions.push(e === 0 ? 0 : versions[e - 1]! + (changed ? 1 : 0));
      });
      version.set(`${cell}|${value.id}`, versions);
    }
  const variables = new Map<string, number>();
  const variable = (cell: string, value: string, v: number) => {
    const key = `${cell}|${value}|${v}`;
    let index = variables.get(key);
    if (index === undefined) variables.set(key, (index = variables.size));
    return index;
  };
  const at = (cell: string, value: OracleValue, e: number) =>
    variable(cell, value.id, version.get(`${cell}|${value.id}`)![e]!);
  const countersAt = (cell: string, e: number) => epochs[e]!.counters.get(cell);

  // What the insider knows outright: every number it read, every empty value.
  const published = new Set<number>();
  epochs.forEach((epoch, e) => {
    for (const read of epoch.reads)
      for (const [cell, values] of read)
        for (const id of values.keys()) {
          const value = ORACLE_VALUES.find((v) => v.id === id)!;
          published.add(at(cell, value, e));
        }
    for (const cell of cells)
      for (const value of ORACLE_VALUES)
        if (contributorsOf(countersAt(cell, e), value) === 0) published.add(at(cell, value, e));
  });

  // The relations, per epoch, over each epoch's versions.
  const equations: Row[] = [];
  epochs.forEach((_, e) => {
    for (const value of ORACLE_VALUES) {
      const row: Row = new Map([[at('ORG', value, e), 1n]]);
      for (const leaf of leaves) {
        const index = at(leaf, value, e);
        row.set(index, (row.get(index) ?? 0n) - 1n);
      }
      equations.push(row);
    }
    for (const cell of cells)
      for (const [total, ...parts] of WITHIN) {
        const row: Row = new Map([
          [
            at(
              cell,
              ORACLE_VALUES.find((v) => v.id === total)!,
              e,
            ),
            1n,
          ],
        ]);
        for (const part of parts)
          row.set(
            at(
              cell,
              ORACLE_VALUES.find((v) => v.id === part)!,
              e,
            ),
            -1n,
          );
        equations.push(row);
      }
  });

  const findings: Finding[] = [];
  for (const attacked of leaves) {
    // Known besides: values below k of every other department (or the unassigned cell).
    const known = new Set(published);
    epochs.forEach((_, e) => {
      for (const other of leaves) {
        if (other === attacked) continue;
        for (const value of ORACLE_VALUES)
          if (contributorsOf(countersAt(other, e), value) < k(value)) known.add(at(other, value, e));
      }
    });
    const echelon = new Echelon();
    for (const equation of equations) {
      const row: Row = new Map([...equation].filter(([index]) => !known.has(index)));
      if (row.size > 0) echelon.add(row);
    }
    const determined = (functional: Row) => {
      const unknownPart: Row = new Map([...functional].filter(([index]) => !known.has(index)));
      return unknownPart.size > 0 && echelon.contains(unknownPart);
    };
    for (const value of ORACLE_VALUES) {
      epochs.forEach((_, e) => {
        const c = contributorsOf(countersAt(attacked, e), value);
        if (c >= 1 && c <= k(value) && determined(new Map([[at(attacked, value, e), 1n]])))
          findings.push({ month, cell: attacked, value: value.id, kind: 'value' });
        if (e === 0) return;
        const before = contributorsOf(countersAt(attacked, e - 1), value);
        const left = at(attacked, value, e - 1) !== at(attacked, value, e) && before > c;
        if (
          left &&
          determined(
            new Map([
              [at(attacked, value, e), 1n],
              [at(attacked, value, e - 1), -1n],
            ]),
          )
        )
          findings.push({ month, cell: attacked, value: value.id, kind: 'withdrawn contribution' });
      });
    }
  }
  return findings;
};

/** Every shown number's own population at the time it was read is at least its k: the violations. */
export const belowThreshold = (epochs: readonly Epoch[], thresholds: Thresholds): string[] => {
  const problems: string[] = [];
  epochs.forEach((epoch, e) => {
    for (const read of epoch.reads)
      for (const [cell, values] of read)
        for (const id of values.keys()) {
          const value = ORACLE_VALUES.find((v) => v.id === id)!;
          const k = value.threshold === 'clinical' ? thresholds.kClinical : thresholds.kActivity;
          const c = n(epoch.counters.get(cell) ?? {}, `contributors.${value.category}`);
          if (c < k) problems.push(`epoch ${e}: ${cell} ${id} shown on ${c} < ${k}`);
        }
  });
  return problems;
};

type Cell = {
  suppressed: boolean;
  contributors?: number | null;
  analyses?: number | null;
  sentiment?: { counts: Record<string, number | null> };
  emotions?: Record<string, { analyses: number | null; meanProbability: number | null }>;
  emoBuddySessions?: number | null;
  instruments?: Record<
    string,
    { responses: number | null; meanScore: number | null; bands?: Record<string, number | null> }
  >;
};

/**
 * The numbers an overview answer published, as known values for {@link attack}: means count as known
 * sums (the insider multiplies them back), band counts as known bands.
 */
export const publicationOf = (
  overview: { organisation: unknown; departments: readonly unknown[] },
  counters: ReadonlyMap<string, Counters>,
): Publication => {
  const publication = new Map<string, Map<string, number>>();
  const add = (cellId: string, cell: Cell) => {
    if (cell.suppressed) return;
    const values = new Map<string, number>();
    const put = (id: string, value: number | null | undefined) => {
      if (value !== null && value !== undefined) values.set(id, value);
    };
    const truth = counters.get(cellId) ?? {};
    put('contributors', cell.contributors);
    put('analyses', cell.analyses);
    for (const [label, count] of Object.entries(cell.sentiment?.counts ?? {}))
      put(`sentiment.${label}`, count);
    for (const [label, emotion] of Object.entries(cell.emotions ?? {})) {
      put(`emotion.${label}.count`, emotion.analyses);
      if (emotion.meanProbability !== null) put(`emotion.${label}.sum`, n(truth, `emotionMicros.${label}`));
    }
    put('sessions', cell.emoBuddySessions);
    for (const [id, instrument] of Object.entries(cell.instruments ?? {})) {
      put(`${id}.responses`, instrument.responses);
      if (instrument.meanScore !== null) put(`${id}.sum`, n(truth, `scoreMilli.${id}`));
      for (const [band, count] of Object.entries(instrument.bands ?? {})) put(`${id}.band.${band}`, count);
    }
    publication.set(cellId, values);
  };
  if (overview.organisation) add('ORG', overview.organisation as Cell);
  for (const department of overview.departments as (Cell & { departmentId: string })[])
    add(department.departmentId, department);
  return publication;
};
