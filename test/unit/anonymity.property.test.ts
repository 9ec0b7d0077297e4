import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMOTION_LABELS } from '#contract/analysis.ts';
import type { Thresholds } from '#domain/anonymity.ts';
import { bandsOf, SCORED_INSTRUMENTS, type Counters, type ScoredInstrument } from '#domain/rollups.ts';
import { buildOverview } from '#domain/rollups-overview.ts';
import { attack, belowThreshold, publicationOf, type Epoch } from './support/disclosure-oracle.ts';
import { TestOrganisation } from './support/organisation.ts';

/**
 * The privacy rule of the dashboard as a property (docs/anonymity.md): for random organisations (1–8
 * departments and the users without one, people with random analyses, surveys, bands, labels, emotion
 * sets and sessions in two closed months), random viewers (an admin, who may be one of the people —
 * alone in a department, or without one — and a manager), and random withdrawals after the close with
 * reads before and after each, an insider combining every read it can make determines no protected
 * value (support/disclosure-oracle.ts, written apart from the production code), and every number shown
 * rests on at least its k.
 */
const PREVIOUS = '2026-10';
const MONTH = '2026-11';

type Item =
  | {
      kind: 'analysis';
      label: 'positive' | 'negative' | 'neutral';
      emotions: (typeof EMOTION_LABELS)[number][];
      probability: number;
      type: 'chat' | 'speech' | 'video';
    }
  | { kind: 'survey'; instrument: ScoredInstrument; band: number; total: number }
  | { kind: 'session' };

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.record({
    kind: fc.constant('analysis' as const),
    label: fc.constantFrom('positive' as const, 'negative' as const, 'neutral' as const),
    emotions: fc.subarray([...EMOTION_LABELS], { minLength: 1, maxLength: 3 }),
    probability: fc.integer({ min: 1, max: 100 }),
    type: fc.constantFrom('chat' as const, 'speech' as const, 'video' as const),
  }),
  fc.record({
    kind: fc.constant('survey' as const),
    instrument: fc.constantFrom(...SCORED_INSTRUMENTS),
    band: fc.nat({ max: 4 }),
    total: fc.integer({ min: 0, max: 27 }),
  }),
  fc.record({ kind: fc.constant('session' as const) }),
);

interface Spec {
  departments: number;
  /** Department index per person (−1: none); the admin is the first person when it contributes. */
  people: { department: number; current: Item[]; previous: Item[] }[];
  adminContributes: boolean;
  /** Indexes (mod people) of those who opt out after the close, one read after each. */
  leavers: number[];
  managed: number;
  kClinical: 5 | 10;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  departments: fc.integer({ min: 1, max: 8 }),
  people: fc.array(
    fc.record({
      // Weighted towards a few departments, so some cells reach k.
      department: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -1, max: 7 })),
      current: fc.array(item, { minLength: 1, maxLength: 3 }),
      previous: fc.array(item, { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 45 },
  ),
  adminContributes: fc.boolean(),
  leavers: fc.array(fc.nat(), { maxLength: 2 }),
  managed: fc.nat(),
  kClinical: fc.constantFrom(5 as const, 10 as const),
});

const addItems = (org: TestOrganisation, person: string, month: string, items: readonly Item[]) => {
  for (const it of items) {
    if (it.kind === 'analysis')
      org.analysis(
        person,
        month,
        it.label,
        Object.fromEntries(it.emotions.map((label) => [label, it.probability / 100])),
        it.type,
      );
    else if (it.kind === 'survey') {
      const bands = bandsOf(it.instrument);
      org.survey(person, month, it.instrument, it.total, bands[it.band % bands.length]!);
    } else org.session(person, month);
  }
};

/** Plays a spec: the organisation, the reads before and after each withdrawal, the oracle's findings. */
const play = (s: Spec) => {
  const thresholds: Thresholds = { kActivity: 5, kClinical: s.kClinical };
  const org = new TestOrganisation();
  const departments = Array.from({ length: s.departments }, () => org.department());
  const people = s.people.map((p) => {
    const department = p.department < 0 ? undefined : departments[p.department % departments.length];
    const id = org.person(department);
    addItems(org, id, MONTH, p.current);
    addItems(org, id, PREVIOUS, p.previous);
    return id;
  });
  org.close(PREVIOUS);
  org.close(MONTH);
  const leaves = [...departments, 'unassigned'];
  const countersOf = (month: string): Map<string, Counters> =>
    new Map([
      ['ORG', org.rollups.get('ORG', month)],
      ['unassigned', org.rollups.get('DEPT#unassigned', month)],
      ...departments.map((d) => [d, org.rollups.get(`DEPT#${d}`, month)] as [string, Counters]),
    ]);
  const options = (period: string, previousPeriod: string, ids: string[], includeOrganisation: boolean) => ({
    thresholds,
    period,
    previousPeriod,
    includeOrganisation,
    departmentIds: ids,
  });
  const epochs: Record<string, Epoch[]> = { [MONTH]: [], [PREVIOUS]: [] };
  const problems: string[] = [];
  const read = () => {
    const admin = buildOverview(
      org.month(MONTH),
      org.month(PREVIOUS),
      options(MONTH, PREVIOUS, departments, true),
    );
    const managed = departments[s.managed % departments.length]!;
    const manager = buildOverview(
      org.month(MONTH),
      org.month(PREVIOUS),
      options(MONTH, PREVIOUS, [managed], false),
    );
    // A manager's answer is the admin's for that department: one decision for every viewer.
    const same =
      JSON.stringify(manager.departments) ===
      JSON.stringify(admin.departments.filter((d) => d.departmentId === managed));
    if (!same) problems.push(`manager view of ${managed} differs from the admin's`);
    const earlier = buildOverview(
      org.month(PREVIOUS),
      org.month('2026-09'),
      options(PREVIOUS, '2026-09', departments, true),
    );
    const now = countersOf(MONTH);
    const before = countersOf(PREVIOUS);
    epochs[MONTH]!.push({ counters: now, reads: [publicationOf(admin, now), publicationOf(manager, now)] });
    epochs[PREVIOUS]!.push({ counters: before, reads: [publicationOf(earlier, before)] });
  };
  read();
  // The admin, when it contributes, is the first person; leavers are anyone (the admin included).
  for (const index of s.leavers) {
    org.optOut(people[index % people.length]!);
    read();
  }
  const findings = [MONTH, PREVIOUS].flatMap((month) => attack(month, epochs[month]!, leaves, thresholds));
  const shownBelowK = [MONTH, PREVIOUS].flatMap((month) => belowThreshold(epochs[month]!, thresholds));
  return { findings, shownBelowK, problems };
};

describe('no insider can recover an individual statistic from any set of reads', () => {
  it('holds for random organisations, viewers and withdrawals', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const { findings, shownBelowK, problems } = play(s);
        expect(problems).toEqual([]);
        expect(shownBelowK).toEqual([]);
        expect(findings).toEqual([]);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});

/** Items of one kind, for the attacks written out. */
const chats = (count: number): Item[] =>
  Array.from(
    { length: count },
    () => ({ kind: 'analysis', label: 'positive', emotions: ['joy'], probability: 50, type: 'chat' }) as Item,
  );
const phq9 = (band: number): Item => ({ kind: 'survey', instrument: 'phq9', band, total: 20 });
const member = (department: number, current: Item[]) => ({ department, current, previous: [] as Item[] });

describe('the attacks of the issue, through the same oracle', () => {
  const base = { adminContributes: true, leavers: [], managed: 0, kClinical: 10 as const };

  it('3: an admin alone in its own department, beside a lone victim, learns nothing of the victim', () => {
    const result = play({
      ...base,
      departments: 4,
      people: [
        member(0, chats(1)), // the admin, alone in a new department
        member(1, [phq9(4), ...chats(1)]), // the victim, alone
        ...Array.from({ length: 12 }, () => member(2, [...chats(1), phq9(0)])),
        ...Array.from({ length: 30 }, () => member(3, [...chats(2), phq9(1)])),
      ],
    });
    expect(result.findings).toEqual([]);
    expect(result.shownBelowK).toEqual([]);
  });

  it('3: an admin without a department (the unassigned cell) learns nothing either', () => {
    const result = play({
      ...base,
      departments: 3,
      people: [
        member(-1, chats(1)),
        member(0, [phq9(4), ...chats(1)]),
        ...Array.from({ length: 12 }, () => member(1, [...chats(1), phq9(0)])),
        ...Array.from({ length: 30 }, () => member(2, [...chats(2), phq9(1)])),
      ],
    });
    expect(result.findings).toEqual([]);
  });

  it('3: two hidden cells whose activity differs by kind (analyses vs EmoBuddy) decompose nobody', () => {
    const result = play({
      ...base,
      departments: 3,
      people: [
        member(0, chats(3)),
        member(1, [{ kind: 'session' }, { kind: 'session' }]),
        ...Array.from({ length: 20 }, () => member(2, [...chats(1), { kind: 'session' } as Item])),
      ],
    });
    expect(result.findings).toEqual([]);
  });

  it('6: an emotion named in one analysis of a cell of five is never shown', () => {
    const result = play({
      ...base,
      departments: 2,
      people: [
        member(0, [
          { kind: 'analysis', label: 'negative', emotions: ['fear'], probability: 95, type: 'chat' },
        ]),
        ...Array.from({ length: 4 }, () => member(0, chats(1))),
        ...Array.from({ length: 20 }, () => member(1, chats(1))),
      ],
    });
    expect(result.shownBelowK).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('7: an opt-out after the close withdraws the past and two reads around it reveal nothing', () => {
    const result = play({
      ...base,
      departments: 2,
      leavers: [0],
      people: [
        member(0, [phq9(3), ...chats(2)]),
        ...Array.from({ length: 14 }, () => member(0, [...chats(1), phq9(1)])),
        ...Array.from({ length: 20 }, () => member(1, [...chats(1), phq9(0)])),
      ],
    });
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('7: withdrawals never turn a hidden complement into a shown cell (the decision stays the at-close one)', () => {
    // a (3 people) is hidden, b (12) hidden with it as the smallest sibling above k; when two people of
    // d (13) leave, d would become the smallest — deciding on today's numbers would show b, and the
    // organisation total read before minus every cell shown then and now would give a away.
    const people = [
      ...Array.from({ length: 3 }, () => member(0, chats(1))),
      ...Array.from({ length: 12 }, () => member(1, chats(1))),
      ...Array.from({ length: 13 }, () => member(2, chats(1))),
      ...Array.from({ length: 30 }, () => member(3, chats(1))),
    ];
    const result = play({ ...base, departments: 4, leavers: [15, 16], people });
    expect(result.findings).toEqual([]);
  });
});
