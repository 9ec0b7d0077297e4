import { describe, expect, it } from 'vitest';
import {
  auditDisclosure,
  decideSuppression,
  DEFAULT_THRESHOLDS,
  effectiveThresholds,
  primaryModel,
  setHidden,
  type SuppressionInput,
} from '#domain/anonymity.ts';
import type { MonthInput } from '#domain/rollups-overview.ts';
import { STATISTICS } from '#domain/statistics.ts';
import { TestOrganisation } from './support/organisation.ts';

const MONTH = '2026-11';

/** The engine's input for one month of a test organisation (at-close numbers, as the overview does). */
const inputOf = (month: MonthInput): SuppressionInput => ({
  thresholds: DEFAULT_THRESHOLDS,
  cells: [
    { id: 'org', role: 'organisation', counters: month.organisation?.counters },
    { id: 'unassigned', role: 'unassigned', counters: month.unassigned?.counters },
    ...month.departments.map((d) => ({ id: d.id, role: 'department' as const, counters: d.cell?.counters })),
  ],
});

/** People who each did one chat analysis (positive) in the month. */
const chatting = (org: TestOrganisation, department: string | undefined, count: number) => {
  for (const person of org.people_(department, count)) org.analysis(person, MONTH, 'positive');
};

describe('anonymity thresholds', () => {
  it('pins the defaults: 5 for activity, 10 for clinical scales', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ kActivity: 5, kClinical: 10 });
  });

  it('never lets a stage go below 5, but lets it go higher', () => {
    expect(effectiveThresholds({ kActivity: 2, kClinical: 3 })).toEqual({ kActivity: 5, kClinical: 5 });
    expect(effectiveThresholds({ kActivity: 8 })).toEqual({ kActivity: 8, kClinical: 10 });
  });
});

describe('suppression: primary, per statistic', () => {
  it('withholds a statistic at k − 1 distinct contributors and shows it at k', () => {
    const org = new TestOrganisation();
    const [a, b, c] = [org.department(), org.department(), org.department()];
    chatting(org, a, 4);
    chatting(org, b, 30);
    chatting(org, c, 30);
    const below = decideSuppression(inputOf(org.month(MONTH)));
    expect(below.shown(a, 'contributors')).toBe(false);
    const org2 = new TestOrganisation();
    const [a2, b2, c2] = [org2.department(), org2.department(), org2.department()];
    chatting(org2, a2, 5);
    chatting(org2, b2, 30);
    chatting(org2, c2, 30);
    expect(decideSuppression(inputOf(org2.month(MONTH))).shown(a2, 'contributors')).toBe(true);
  });

  it('decides each statistic on its own population: a fear mean from one analysis in a cell of 20 is withheld', () => {
    const org = new TestOrganisation();
    const [a, b] = [org.department(), org.department()];
    for (const person of org.people_(a, 20)) org.analysis(person, MONTH, 'neutral', { joy: 0.5 });
    chatting(org, b, 20);
    const [anxious] = org.people_(a, 1) as [string];
    org.analysis(anxious, MONTH, 'negative', { fear: 0.9 });
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown(a, 'contributors')).toBe(true);
    expect(decision.shown(a, 'emotion.joy')).toBe(true);
    expect(decision.shown(a, 'emotion.fear')).toBe(false);
    expect(decision.shown(a, 'sentiment.negative')).toBe(false);
    expect(decision.shown('org', 'emotion.fear')).toBe(false);
  });

  it('applies the clinical k to instruments: a PHQ-9 of 9 responders is withheld, of 11 shown', () => {
    const org = new TestOrganisation();
    const [a, b] = [org.department(), org.department()];
    org.people_(a, 9).forEach((person, i) => org.survey(person, MONTH, 'phq9', i, 'minimal'));
    org.people_(b, 11).forEach((person, i) => org.survey(person, MONTH, 'phq9', i % 5, 'minimal'));
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown(a, 'instrument.phq9')).toBe(false);
    // b alone beside a hidden sibling would give a away: organisation − b = a.
    expect(decision.shown(b, 'instrument.phq9') && decision.shown('org', 'instrument.phq9')).toBe(false);
  });

  it('never shows the unassigned cell, nor band counts of a department', () => {
    const org = new TestOrganisation();
    const a = org.department();
    org.people_(a, 30).forEach((person) => org.survey(person, MONTH, 'gad7', 2, 'minimal'));
    chatting(org, undefined, 30);
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown('unassigned', 'contributors')).toBe(false);
    expect(decision.shown(a, 'instrument.gad7')).toBe(true);
    expect(decision.shown(a, 'band.gad7.minimal')).toBe(false);
  });
});

describe('suppression: complementary, against an insider who owns cells', () => {
  it('hides, beside a lone victim, a sibling on more than k — never one the insider could fill alone', () => {
    // Attack 3: the admin puts itself alone into a new department; the victim sits alone in another.
    const org = new TestOrganisation();
    const [own, victim, big, mid] = [org.department(), org.department(), org.department(), org.department()];
    chatting(org, own, 1);
    org.survey(org.person(victim), MONTH, 'phq9', 21, 'severe');
    chatting(org, big, 40);
    chatting(org, mid, 12);
    const input = inputOf(org.month(MONTH));
    const decision = decideSuppression(input);
    expect(decision.shown(own, 'contributors')).toBe(false);
    expect(decision.shown(victim, 'contributors')).toBe(false);
    // Organisation − big = own + victim + mid: mid (12 > k) is hidden with them, so that the admin's
    // own contribution, subtracted, still leaves an unknown on more than k people.
    expect(decision.shown('org', 'contributors')).toBe(true);
    expect(decision.shown(mid, 'contributors')).toBe(false);
    expect(decision.shown(big, 'contributors')).toBe(true);
  });

  it('does the same when the admin has no department (the never-shown unassigned cell)', () => {
    const org = new TestOrganisation();
    const [victim, big, mid] = [org.department(), org.department(), org.department()];
    chatting(org, undefined, 1); // the admin, without a department
    org.analysis(org.person(victim), MONTH, 'negative', { sadness: 0.9 });
    chatting(org, big, 40);
    chatting(org, mid, 12);
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown('org', 'sentiment.negative')).toBe(false);
    expect(decision.shown(victim, 'contributors')).toBe(false);
    expect(decision.shown(mid, 'contributors')).toBe(false);
  });

  it('does not count a sibling on exactly k as protection (the viewer may be one of them)', () => {
    const org = new TestOrganisation();
    const [tiny, atK, big] = [org.department(), org.department(), org.department()];
    chatting(org, tiny, 1);
    chatting(org, atK, 5);
    chatting(org, big, 40);
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown(tiny, 'contributors')).toBe(false);
    // Hiding the cell of 5 would leave organisation − big = tiny + 5 people, one of whom may be the
    // viewer: 4 others < k. So something on more than k goes: here the organisation total itself, or big.
    const protectedByOrg = !decision.shown('org', 'contributors');
    const protectedByBig = !decision.shown(big, 'contributors');
    expect(protectedByOrg || protectedByBig).toBe(true);
  });

  it('protects a small sentiment label within a cell: the total and one other label cannot give it away', () => {
    const org = new TestOrganisation();
    const [a, b] = [org.department(), org.department()];
    const people = org.people_(a, 30);
    people.forEach((person, i) =>
      org.analysis(person, MONTH, i === 0 ? 'negative' : i < 12 ? 'neutral' : 'positive'),
    );
    chatting(org, b, 30);
    const decision = decideSuppression(inputOf(org.month(MONTH)));
    expect(decision.shown(a, 'sentiment.negative')).toBe(false);
    const remainder = ['analyses', 'sentiment.positive', 'sentiment.neutral'].filter((id) =>
      decision.shown(a, id),
    );
    expect(remainder.length).toBeLessThan(3);
  });

  it('passes its own exact audit, which finds what primary suppression alone leaves open', () => {
    const org = new TestOrganisation();
    const [own, victim, big] = [org.department(), org.department(), org.department()];
    chatting(org, own, 1);
    chatting(org, victim, 1);
    chatting(org, big, 40);
    const input = inputOf(org.month(MONTH));
    // Primary only: organisation − big = own + victim, and the admin knows its own part.
    const primary = primaryModel(input);
    expect(auditDisclosure(primary).length).toBeGreaterThan(0);
    const decision = decideSuppression(input);
    const model = primaryModel(input);
    for (const cell of input.cells)
      for (const statistic of STATISTICS)
        setHidden(model, cell.id, statistic.id, !decision.shown(cell.id, statistic.id));
    expect(auditDisclosure(model)).toEqual([]);
  });

  it('decides the same whatever the order departments are listed in (one answer for every viewer)', () => {
    const org = new TestOrganisation();
    const ids = [4, 1, 12, 7, 30, 2].map((size) => {
      const id = org.department();
      chatting(org, id, size);
      return id;
    });
    const input = inputOf(org.month(MONTH));
    const reversed = { ...input, cells: [...input.cells.slice(0, 2), ...input.cells.slice(2).reverse()] };
    const a = decideSuppression(input);
    const b = decideSuppression(reversed);
    for (const id of [...ids, 'org'])
      for (const statistic of STATISTICS) expect(a.shown(id, statistic.id)).toBe(b.shown(id, statistic.id));
  });
});
