import { auditDisclosure, primaryModel, complement, repairFor, DEFAULT_THRESHOLDS, VALUE_IDS } from '#domain/anonymity.ts';
import { category, counter, type Counters } from '#domain/rollups.ts';
const V = VALUE_IDS;
const person = (c: Counters, chat = 1, phq?: number) => {
  const add = (k: string, v: number) => (c[k] = (c[k] ?? 0) + v);
  add(counter.items, chat + (phq !== undefined ? 1 : 0));
  add(counter.analyses('chat'), chat);
  add(counter.sentiment('chat', 'positive'), chat);
  add(counter.contributors(category.all), 1);
  add(counter.contributors(category.analyses), 1);
  add(counter.contributors(category.analysisType('chat')), 1);
  add(counter.contributors(category.sentiment('positive')), 1);
  if (phq !== undefined) {
    add(counter.surveys('phq9'), 1); add(counter.scoreMilli('phq9'), phq * 1000); add(counter.scored('phq9'), 1);
    const band = phq < 5 ? 'minimal' : phq < 10 ? 'mild' : 'moderate';
    add(counter.band('phq9', band), 1);
    add(counter.contributors(category.surveys), 1); add(counter.contributors('phq9'), 1); add(counter.contributors(category.band('phq9', band)), 1);
  }
};
const dept = (n: number, phq = false) => { const c: Counters = {}; for (let i = 0; i < n; i++) person(c, 1 + (i % 3), phq ? i % 15 : undefined); return c; };
const sizes = JSON.parse(process.argv[2] ?? '[12,10,1]');
const cells = sizes.map((n: number, i: number) => ({ id: `d${i}`, role: 'department' as const, counters: dept(n, true) }));
const org: Counters = {};
for (const cell of cells) for (const [k, v] of Object.entries(cell.counters as Counters)) org[k] = (org[k] ?? 0) + v;
const input = { thresholds: DEFAULT_THRESHOLDS, cells: [{ id: 'org', role: 'organisation' as const, counters: org }, { id: 'u', role: 'unassigned' as const, counters: {} }, ...cells] };
const m = primaryModel(input);
const name = (k: number) => `${input.cells[m.cellOf(k)]!.id}.${V[k % V.length]} c=${m.c(k)} ${m.isHidden(k) ? 'H' : 'S'}`;
complement(m);
for (let round = 0; round < 6; round++) {
  const det = auditDisclosure(m);
  console.log('round', round, det.map(name));
  if (!det.length) break;
  for (const t of det) { const r = repairFor(m, t); console.log('  repair', name(t), '->', r === undefined ? 'none' : name(r)); if (r !== undefined) m.hidden[m.unitOf(r)] = 1; }
  complement(m);
}
const shown = []; for (let k = 0; k < m.valueCount(); k++) if (!m.isHidden(k)) shown.push(name(k)); console.log('shown', shown.length, shown.slice(0, 60));
