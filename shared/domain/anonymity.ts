import type { Counters } from './rollups.ts';
import { CELL_RELATIONS, contributorsOf, STATISTICS, type Statistic } from './statistics.ts';

/**
 * # Anonymity of the aggregates (pure; docs/anonymity.md)
 *
 * Thresholds: a statistic is shown only when at least k distinct users contributed to it in the month
 * (k = 5 for activity, sentiment and emotions; k = 10 for clinical scales and their bands; a stage may
 * raise them, never below 5). Below k it is withheld with no number.
 *
 * Who decides: {@link decideSuppression}, on the numbers of every cell of the month (the organisation,
 * every department, and the never-shown cell of users without a department), the same way for every
 * viewer — so two viewers' answers never combine into more than one — in three steps:
 * 1. primary: every statistic below its k, every statistic of the unassigned cell, and what is not
 *    published in a cell at all (departments' band counts);
 * 2. complementary, iterated to a fixpoint over every relation (siblings: organisation = Σ departments
 *    + unassigned; within a cell: a total = Σ its parts, shared/domain/statistics.ts): a relation that
 *    hides anything that matters must hide at least two such values, one of them resting on more than k
 *    contributors — a part below k could be populated by the insider alone, or be the insider, and one
 *    contributor is always taken off for the viewer's own data (so a value on exactly k does not
 *    protect). The smallest shown part is hidden to fix it, the total when no part can;
 * 3. the exact audit ({@link auditDisclosure}); while some protected value is still determinable, the
 *    smallest shown value near it in the relations is hidden too, and the audit runs again.
 */
export const MIN_K = 5;

export interface Thresholds {
  /** Activity counts, sentiment and emotion distributions. */
  kActivity: number;
  /** Clinical scales: PHQ-9, GAD-7, WHO-5, PSS-10, burnout — and their bands. */
  kClinical: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { kActivity: 5, kClinical: 10 };

/** A stage can raise the thresholds but never lower them below 5. */
export const effectiveThresholds = (configured: Partial<Thresholds>): Thresholds => ({
  kActivity: Math.max(MIN_K, configured.kActivity ?? DEFAULT_THRESHOLDS.kActivity),
  kClinical: Math.max(MIN_K, configured.kClinical ?? DEFAULT_THRESHOLDS.kClinical),
});

export type CellRole = 'organisation' | 'department' | 'unassigned';

export interface SuppressionCell {
  readonly id: string;
  readonly role: CellRole;
  readonly counters: Counters | undefined;
}

export interface SuppressionInput {
  readonly thresholds: Thresholds;
  /** Exactly one organisation and one unassigned cell, and the departments. */
  readonly cells: readonly SuppressionCell[];
}

export interface Suppression {
  /** Whether a cell's statistic is shown. */
  readonly shown: (cellId: string, statisticId: string) => boolean;
  /** Audit runs it took (for measurement). */
  readonly auditRounds: number;
}

// ---------------------------------------------------------------------------------------------------
// The model: cells × statistics, values, relations
// ---------------------------------------------------------------------------------------------------

const VALUES = STATISTICS.flatMap((statistic, s) => statistic.values.map((value) => ({ value, s })));
const VALUE_INDEX = new Map(VALUES.map(({ value }, v) => [value.id, v]));
const S = STATISTICS.length;
const V = VALUES.length;

interface Relation {
  /** Value keys (cell × V + value) and their coefficients; the total first. */
  readonly members: readonly number[];
  readonly coefficients: readonly number[];
  /** Across siblings (organisation = Σ cells) or within one cell. */
  readonly kind: 'siblings' | 'cell';
}

const kOf = (statistic: Statistic, thresholds: Thresholds): number =>
  statistic.threshold === 'clinical' ? thresholds.kClinical : thresholds.kActivity;

/** The cells × statistics of one month, what is hidden so far, and the relations linking the values. */
export class Model {
  readonly cells: readonly SuppressionCell[];
  /** Contributors per unit (cell × S + statistic). */
  readonly contributors: Int32Array;
  /** k per statistic. */
  readonly k: Int32Array;
  /** Hidden units. */
  readonly hidden: Uint8Array;
  readonly relations: Relation[] = [];
  /** Relations per value key. */
  readonly relationsOf: number[][];
  private readonly organisation: number;
  private readonly cellIndex: Map<string, number>;

  constructor(input: SuppressionInput) {
    // A canonical order (organisation, unassigned, departments by id): the decision never depends on
    // the order cells are listed in, so every viewer gets the same one.
    const rank = (cell: SuppressionCell) =>
      cell.role === 'organisation' ? 0 : cell.role === 'unassigned' ? 1 : 2;
    this.cells = [...input.cells].sort(
      (a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    input = { ...input, cells: this.cells };
    this.cellIndex = new Map(input.cells.map((cell, i) => [cell.id, i]));
    this.organisation = input.cells.findIndex((cell) => cell.role === 'organisation');
    if (this.organisation < 0 || !input.cells.some((cell) => cell.role === 'unassigned'))
      throw new Error('a month has one organisation cell and one unassigned cell');
    this.k = Int32Array.from(STATISTICS, (statistic) => kOf(statistic, input.thresholds));
    this.contributors = new Int32Array(input.cells.length * S);
    this.hidden = new Uint8Array(input.cells.length * S);
    input.cells.forEach((cell, c) =>
      STATISTICS.forEach((statistic, s) => {
        this.contributors[c * S + s] = contributorsOf(cell.counters, statistic);
      }),
    );
    this.relationsOf = Array.from({ length: input.cells.length * V }, () => []);
    const add = (members: number[], coefficients: number[], kind: Relation['kind']) => {
      const index = this.relations.push({ members, coefficients, kind }) - 1;
      for (const member of members) this.relationsOf[member]!.push(index);
    };
    const leaves = input.cells.flatMap((cell, c) => (c === this.organisation ? [] : [c]));
    for (let v = 0; v < V; v++)
      add(
        [this.organisation * V + v, ...leaves.map((c) => c * V + v)],
        [1, ...leaves.map(() => -1)],
        'siblings',
      );
    input.cells.forEach((_, c) => {
      for (const relation of CELL_RELATIONS)
        add(
          [relation.total, ...relation.parts].map((id) => c * V + VALUE_INDEX.get(id)!),
          [1, ...relation.parts.map(() => -1)],
          'cell',
        );
    });
  }

  cellOf(valueKey: number): number {
    return Math.floor(valueKey / V);
  }

  unitOf(valueKey: number): number {
    return this.cellOf(valueKey) * S + VALUES[valueKey % V]!.s;
  }

  statisticOf(valueKey: number): number {
    return VALUES[valueKey % V]!.s;
  }

  /** Contributors and k of a value (those of its statistic in its cell). */
  c(valueKey: number): number {
    return this.contributors[this.unitOf(valueKey)]!;
  }

  kValue(valueKey: number): number {
    return this.k[this.statisticOf(valueKey)]!;
  }

  isHidden(valueKey: number): boolean {
    return this.hidden[this.unitOf(valueKey)] === 1;
  }

  isLeaf(valueKey: number): boolean {
    return this.cells[this.cellOf(valueKey)]!.role !== 'organisation';
  }

  /**
   * A value that must never be determinable: in a department or the unassigned cell, resting on 1 to k
   * contributors (so on fewer than k besides a viewer who may be one of them). Values of the organisation
   * need no protection of their own: whatever they give away about a person shows up as a determinable
   * value of that person's department.
   */
  isTarget(valueKey: number): boolean {
    if (!this.isLeaf(valueKey)) return false;
    const c = this.c(valueKey);
    return c >= 1 && c <= this.kValue(valueKey);
  }

  /** Hidden and not empty: worth protecting, or protecting. (Empty values count as known zeros.) */
  matters(valueKey: number): boolean {
    return this.isHidden(valueKey) && this.c(valueKey) >= 1;
  }

  /** Hidden on more than k contributors: unknown even to an insider who populated a small cell. */
  protects(valueKey: number): boolean {
    return this.isHidden(valueKey) && this.c(valueKey) > this.kValue(valueKey);
  }

  /**
   * Hidden, and unknown to an insider attacking a protected value of another cell: on k or more
   * contributors, or an organisation value (it may hold the person attacked). (A department's value
   * below k may be the insider's own.)
   */
  opaque(valueKey: number): boolean {
    if (!this.isHidden(valueKey)) return false;
    const c = this.c(valueKey);
    return c >= this.kValue(valueKey) || (!this.isLeaf(valueKey) && c >= 1);
  }

  /** Shown and able to protect once hidden (more than k contributors). */
  canProtect(valueKey: number): boolean {
    return !this.isHidden(valueKey) && this.c(valueKey) > this.kValue(valueKey);
  }

  /**
   * Whether a value, once hidden, can stay unknown to an outsider: each relation of its cell has another
   * value on k or more contributors (which can be hidden with it). A value whose cell relation holds
   * only values below k besides it (an insider may know those) would be given away by that relation.
   */
  solid(valueKey: number): boolean {
    return this.relationsOf[valueKey]!.every((r) => {
      const relation = this.relations[r]!;
      return (
        relation.kind === 'siblings' ||
        relation.members.some((m) => m !== valueKey && this.c(m) >= this.kValue(m))
      );
    });
  }

  /**
   * The values that may hold a person of this cell: every value of the cell (the person may have
   * contributed to any of its statistics) and of the organisation. Only values of other departments (and
   * of the unassigned cell) can have been populated by an insider without them.
   */
  valuesHolding(cell: number): number[] {
    const keys: number[] = [];
    for (const c of new Set([cell, this.organisation])) for (let v = 0; v < V; v++) keys.push(c * V + v);
    return keys;
  }

  valueCount(): number {
    return this.cells.length * V;
  }

  index(cellId: string): number | undefined {
    return this.cellIndex.get(cellId);
  }
}

/**
 * Hides (or shows) a cell's statistic: to audit a given pattern (tests, tools). A function rather than a
 * method of Model, so the dashboard's bundle, which never calls it, leaves it out.
 */
export const setHidden = (model: Model, cellId: string, statisticId: string, hidden: boolean): void => {
  const c = model.index(cellId);
  const s = STATISTICS.findIndex((statistic) => statistic.id === statisticId);
  if (c === undefined || s < 0) throw new Error(`no ${cellId}/${statisticId}`);
  model.hidden[c * S + s] = hidden ? 1 : 0;
};

// ---------------------------------------------------------------------------------------------------
// The exact audit: fraction-free Gaussian elimination over the hidden values, in exact integers
// ---------------------------------------------------------------------------------------------------

type Row = Map<number, number>;

const gcd = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

/** Exact integers only: a value beyond 2^53 would round, so it is refused rather than trusted. */
const exact = (value: number): number => {
  if (!Number.isSafeInteger(value)) throw new RangeError('elimination left the exact integer range');
  return value;
};

/** Divides a row by the gcd of its entries (entries stay small on these ±1 relations). */
const normalise = (row: Row): void => {
  let g = 0;
  for (const value of row.values()) g = gcd(g, value);
  if (g > 1) for (const [column, value] of row) row.set(column, value / g);
};

/** row ← a·row − b·pivotRow, with a = pivotRow[column], b = row[column]: clears `column` from row. */
const eliminate = (row: Row, pivotRow: Row, column: number): void => {
  const b = row.get(column);
  if (b === undefined) return;
  const a = pivotRow.get(column)!;
  for (const [c, value] of row) row.set(c, exact(value * a));
  for (const [c, value] of pivotRow) {
    const next = exact((row.get(c) ?? 0) - b * value);
    if (next === 0) row.delete(c);
    else row.set(c, next);
  }
  normalise(row);
};

/** Whether `target` lies in the span of `vectors` (sparse, exact). */
const inSpan = (target: Row, vectors: readonly Row[]): boolean => {
  const basis: { pivot: number; row: Row }[] = [];
  const reduce = (vector: Row): Row => {
    const row = new Map(vector);
    for (const { pivot, row: basisRow } of basis) eliminate(row, basisRow, pivot);
    return row;
  };
  for (const vector of vectors) {
    const row = reduce(vector);
    const pivot = row.keys().next();
    if (!pivot.done) basis.push({ pivot: pivot.value, row });
  }
  return reduce(target).size === 0;
};

/**
 * Which of `vectors` lie outside the span of the others (exact): the columns of the matrix they form
 * that every null vector leaves at zero — pivot columns of its reduced row echelon form whose pivot row
 * has no free column.
 */
const essentialVectors = (vectors: readonly Row[]): Set<number> => {
  // Rows of the matrix whose columns are the vectors.
  const byRow = new Map<number, Row>();
  vectors.forEach((vector, j) => {
    for (const [i, value] of vector) {
      let row = byRow.get(i);
      if (!row) byRow.set(i, (row = new Map()));
      row.set(j, value);
    }
  });
  const pivots = new Map<number, Row>();
  for (const row of byRow.values()) {
    for (const [column, pivotRow] of pivots) eliminate(row, pivotRow, column);
    const next = row.keys().next();
    if (next.done) continue;
    const pivot = next.value;
    for (const other of pivots.values()) eliminate(other, row, pivot);
    pivots.set(pivot, row);
  }
  const essential = new Set<number>();
  for (const [pivot, row] of pivots) if (row.size === 1) essential.add(pivot);
  return essential;
};

/**
 * The protected values ({@link Model.isTarget}) an insider could determine, given every shown value,
 * its own contribution, and — conservatively — every hidden value below k of every other department
 * and of the unassigned cell (it may have populated that part alone: its own department of one, itself
 * without a department); never a value that may hold the protected person (their own cell's, the
 * organisation's). Empty hidden values count as known zeros. A target is determinable when its unit vector lies in the row space of the relations
 * over the unknowns; found with one elimination pivoting on the values above k, then a small span test
 * per target.
 */
export const auditDisclosure = (model: Model): number[] => {
  const unknown = new Set<number>(); // hidden values on k or more contributors
  const below = new Set<number>(); // hidden non-empty values under k (known unless related to a target)
  for (let key = 0; key < model.valueCount(); key++) {
    if (!model.isHidden(key)) continue;
    if (model.c(key) >= model.kValue(key)) unknown.add(key);
    else if (model.matters(key)) below.add(key);
  }

  const pivots = new Map<number, Row>(); // pivot column (an unknown) → its row
  const rest: Row[] = []; // rows left without an unknown column
  for (const relation of model.relations) {
    const row: Row = new Map();
    relation.members.forEach((member, i) => {
      if (unknown.has(member) || below.has(member)) row.set(member, relation.coefficients[i]!);
    });
    if (row.size === 0) continue;
    for (const [column, pivotRow] of pivots) eliminate(row, pivotRow, column);
    let pivot: number | undefined;
    for (const column of row.keys())
      if (unknown.has(column) && (pivot === undefined || column < pivot)) pivot = column;
    if (pivot === undefined) {
      if (row.size > 0) rest.push(row);
      continue;
    }
    // Reduced row echelon form on the unknown columns: the new pivot is cleared from every other row.
    for (const other of pivots.values()) eliminate(other, row, pivot);
    pivots.set(pivot, row);
  }

  // Column view of the rows without an unknown: what each value contributes to them.
  const restColumns = new Map<number, [number, number][]>();
  rest.forEach((row, i) => {
    for (const [column, value] of row) {
      let entries = restColumns.get(column);
      if (!entries) restColumns.set(column, (entries = []));
      entries.push([i, value]);
    }
  });
  const ownRow = rest.length; // the id of a target's own pivot row, next to the rest

  const vectorOf = (key: number, own?: Row): Row => {
    const vector: Row = new Map(restColumns.get(key) ?? []);
    const value = own?.get(key);
    if (value !== undefined) vector.set(ownRow, value);
    return vector;
  };

  // Targets by cell: every target of a cell shares the values that may hold it (its cell's and the
  // organisation's), so one elimination per cell decides all of them below k at once.
  const targetsByCell = new Map<number, number[]>();
  for (const key of [...unknown, ...below])
    if (model.isTarget(key)) {
      const cell = model.cellOf(key);
      targetsByCell.set(cell, [...(targetsByCell.get(cell) ?? []), key]);
    }
  const determined: number[] = [];
  for (const [cell, targets] of targetsByCell) {
    const candidates = model.valuesHolding(cell).filter((key) => below.has(key));
    // Below k: determined when its vector is not a combination of the others that may hold the person.
    const essential = essentialVectors(candidates.map((key) => vectorOf(key)));
    candidates.forEach((key, j) => {
      if (essential.has(j) && model.isTarget(key) && model.cellOf(key) === cell) determined.push(key);
    });
    // On exactly k (among the unknowns): only its own pivot row can pin it, unless another (free)
    // unknown shares that row (then it moves with that one).
    for (const target of targets) {
      if (!unknown.has(target)) continue;
      const own = pivots.get(target);
      if (!own || [...own.keys()].some((column) => column !== target && unknown.has(column))) continue;
      const targetVector = vectorOf(target, own);
      if (
        !inSpan(
          targetVector,
          candidates.map((key) => vectorOf(key, own)),
        )
      )
        determined.push(target);
    }
  }
  return determined;
};

// ---------------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------------

/**
 * Whether a relation hides enough around the protected values in it. None hidden: safe. Otherwise at
 * least two values that matter must be hidden — one alone would be the relation's remainder — and
 * across siblings one of them must rest on more than k contributors: a sibling below k may have been
 * populated by the insider alone (or be the insider's own cell), and one contributor is always taken
 * off for the viewer. Within a cell every other value may hold the person protected, so two hidden
 * values are enough there. (What hidden complements give away in turn is the audit's to find.)
 */
const relationSafe = (model: Model, relation: Relation): boolean => {
  let matters = 0;
  let protecting = false;
  let targets = false;
  for (const member of relation.members) {
    if (!model.matters(member)) continue;
    matters += 1;
    if (model.protects(member)) protecting = true;
    if (model.isTarget(member)) targets = true;
  }
  if (!targets) return true;
  return matters >= 2 && (relation.kind === 'cell' || protecting);
};

/** Orders candidates: fewer contributors first, then the canonical order of the model (cells, values). */
const before = (model: Model, a: number, b: number | undefined): boolean =>
  b === undefined || model.c(a) < model.c(b) || (model.c(a) === model.c(b) && a < b);

/**
 * Whether a candidate, once hidden, is already kept unknown by every other relation it is in: each of
 * them hides another value that an outsider cannot know (on k or more, or a protected value). Hiding such
 * a candidate settles the relation at hand without opening new ones.
 */
const settled = (model: Model, candidate: number, except: Relation | undefined): boolean =>
  model.relationsOf[candidate]!.every((r) => {
    const relation = model.relations[r]!;
    return relation === except || relation.members.some((m) => m !== candidate && model.opaque(m));
  });

/** The best of candidates: settled ones first, then those that can stay unknown, then the smallest. */
const bestOf = (model: Model, candidates: readonly number[], relation?: Relation): number | undefined => {
  let best: number | undefined;
  let bestRank = -1;
  for (const candidate of candidates) {
    const rank = (settled(model, candidate, relation) ? 2 : 0) + (model.solid(candidate) ? 1 : 0);
    if (rank > bestRank || (rank === bestRank && before(model, candidate, best))) {
      best = candidate;
      bestRank = rank;
    }
  }
  return best;
};

/**
 * The shown member to hide to fix a relation: parts first, the total when no part can work (the lead's
 * rule) — where "can work" means the part stays unknown once hidden: a candidate that every other
 * relation of it already keeps unknown ({@link settled}) is taken first, part or total, since it settles
 * the relation without opening others; then a part that can be kept unknown ({@link Model.solid}); then
 * the total; then any part.
 */
const complementOf = (model: Model, relation: Relation): number | undefined => {
  const total = relation.members[0]!;
  const totalFits = model.canProtect(total);
  const parts = relation.members.slice(1).filter((member) => model.canProtect(member));
  const smallest = (candidates: readonly number[]) =>
    candidates.reduce<number | undefined>((best, m) => (before(model, m, best) ? m : best), undefined);
  return (
    smallest(parts.filter((m) => settled(model, m, relation))) ??
    (totalFits && settled(model, total, relation) ? total : undefined) ??
    smallest(parts.filter((m) => model.solid(m))) ??
    (totalFits ? total : undefined) ??
    smallest(parts)
  );
};

const hideUnit = (model: Model, valueKey: number): void => {
  model.hidden[model.unitOf(valueKey)] = 1;
};

/** Step 2: complementary suppression, iterated until every relation is safe (or cannot be fixed). */
export const complement = (model: Model): void => {
  for (let changed = true; changed;) {
    changed = false;
    for (const relation of model.relations) {
      if (relationSafe(model, relation)) continue;
      const member = complementOf(model, relation);
      if (member === undefined) continue;
      hideUnit(model, member);
      changed = true;
    }
  }
};

/**
 * Step 3's repair for a determinable target: the smallest shown value in the relations around it —
 * above k if there is one (it then protects), else on exactly k (hidden, it is unknown all the same) —
 * searching outwards through hidden values (breadth first) until one is found.
 */
export const repairFor = (model: Model, target: number): number | undefined => {
  const seenValues = new Set([target]);
  const seenRelations = new Set<number>();
  let frontier = [target];
  while (frontier.length > 0) {
    const protecting: number[] = [];
    const any: number[] = [];
    const next: number[] = [];
    for (const value of frontier)
      for (const r of model.relationsOf[value]!) {
        if (seenRelations.has(r)) continue;
        seenRelations.add(r);
        for (const member of model.relations[r]!.members) {
          if (model.canProtect(member)) protecting.push(member);
          else if (!model.isHidden(member)) any.push(member);
          if (model.isHidden(member) && !seenValues.has(member)) {
            seenValues.add(member);
            next.push(member);
          }
        }
      }
    const found = bestOf(model, protecting) ?? bestOf(model, any);
    if (found !== undefined) return found;
    frontier = next;
  }
  return undefined;
};

/** Builds the month's model with the primary suppression applied. */
export const primaryModel = (input: SuppressionInput): Model => {
  const model = new Model(input);
  model.cells.forEach((cell, c) =>
    STATISTICS.forEach((statistic, s) => {
      const unit = c * S + s;
      const unpublished = cell.role === 'department' && statistic.publishedIn === 'organisation';
      if (cell.role === 'unassigned' || unpublished || model.contributors[unit]! < model.k[s]!)
        model.hidden[unit] = 1;
    }),
  );
  return model;
};

/**
 * Which statistics of which cells are shown this month: primary, complementary, then audited until no
 * protected value can be determined (module doc). Deterministic in its input; viewer-independent.
 */
export const decideSuppression = (input: SuppressionInput): Suppression => {
  const model = primaryModel(input);
  complement(model);
  let rounds = 0;
  for (;;) {
    rounds += 1;
    let determined: number[];
    try {
      determined = auditDisclosure(model);
    } catch (error) {
      // Exact or nothing: should the elimination ever leave safe integers, show nothing of the month.
      if (!(error instanceof RangeError)) throw error;
      model.hidden.fill(1);
      break;
    }
    if (determined.length === 0) break;
    // One repair per determinable value, each seeing the ones before it.
    let repaired = 0;
    for (const target of determined) {
      const key = repairFor(model, target);
      if (key === undefined) continue;
      hideUnit(model, key);
      repaired += 1;
    }
    if (repaired === 0) {
      // Cannot happen when every value around a target is hidden (its own cell's and the
      // organisation's stay unknown); should it anyway, fail closed: show nothing of the month.
      model.hidden.fill(1);
      break;
    }
    complement(model);
  }
  return {
    shown: (cellId, statisticId) => {
      const c = model.index(cellId);
      const s = STATISTICS.findIndex((statistic) => statistic.id === statisticId);
      return c !== undefined && s >= 0 && model.hidden[c * S + s] === 0;
    },
    auditRounds: rounds,
  };
};
