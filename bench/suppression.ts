/**
 * The dashboard's suppression decision at request time (docs/anonymity.md): decideSuppression on one
 * month of an organisation of 10 and 50 departments, the numbers built through the real pure rollup
 * code. Reported: the first decision in a fresh process (the cold start of a Lambda), then p50/p99 over
 * repeated decisions, and the audit rounds it took; the overview makes two (the month and the one
 * before).
 */
import { fileURLToPath } from 'node:url';
import { EMOTION_LABELS } from '../shared/contract/analysis.ts';
import { decideSuppression, DEFAULT_THRESHOLDS, type SuppressionInput } from '../shared/domain/anonymity.ts';
import { bandsOf, SCORED_INSTRUMENTS } from '../shared/domain/rollups.ts';
import { TestOrganisation } from '../test/unit/support/organisation.ts';
import { percentile, runChild } from './support.ts';

export interface SuppressionCost {
  departments: number;
  people: number;
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  auditRounds: number;
}

const MONTH = '2026-11';

/** A deterministic organisation: department sizes from 1 to ~40, people with mixed items. */
const organisation = (departments: number): { input: SuppressionInput; people: number } => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const org = new TestOrganisation();
  let people = 0;
  for (let d = 0; d < departments; d++) {
    const id = org.department();
    const size = 1 + Math.floor(random() * random() * 40);
    for (let p = 0; p < size; p++) {
      people += 1;
      const person = org.person(id);
      const label = (['positive', 'neutral', 'negative'] as const)[Math.floor(random() * 3)]!;
      const emotion = EMOTION_LABELS[Math.floor(random() * EMOTION_LABELS.length)]!;
      org.analysis(person, MONTH, label, { [emotion]: random(), joy: random() });
      if (random() < 0.6) {
        const instrument = SCORED_INSTRUMENTS[Math.floor(random() * 2)]!;
        const bands = bandsOf(instrument);
        org.survey(person, MONTH, instrument, 5, bands[Math.floor(random() * bands.length)]!);
      }
      if (random() < 0.3) org.session(person, MONTH);
    }
  }
  for (let u = 0; u < 3; u++) org.analysis(org.person(undefined), MONTH, 'positive');
  const month = org.month(MONTH);
  return {
    people: people + 3,
    input: {
      thresholds: DEFAULT_THRESHOLDS,
      cells: [
        { id: 'organisation', role: 'organisation', counters: month.organisation?.counters },
        { id: 'unassigned', role: 'unassigned', counters: month.unassigned?.counters },
        ...month.departments.map((d) => ({
          id: d.id,
          role: 'department' as const,
          counters: d.cell?.counters,
        })),
      ],
    },
  };
};

const measure = (departments: number): SuppressionCost => {
  const { input, people } = organisation(departments);
  let started = performance.now();
  const first = decideSuppression(input);
  const firstMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    started = performance.now();
    decideSuppression(input);
    times.push(performance.now() - started);
  }
  return {
    departments,
    people,
    firstMs: Math.round(firstMs * 10) / 10,
    p50Ms: Math.round(percentile(times, 50) * 10) / 10,
    p99Ms: Math.round(percentile(times, 99) * 10) / 10,
    auditRounds: first.auditRounds,
  };
};

/** Each size in a fresh process, so the first decision is a cold one. */
export const benchmarkSuppression = (sizes: readonly number[] = [10, 50]): SuppressionCost[] =>
  sizes.map((size) => runChild<SuppressionCost>(fileURLToPath(import.meta.url), [String(size)]));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(measure(Number(process.argv[2])))}\n`);
}
