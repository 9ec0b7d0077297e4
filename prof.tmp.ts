import { auditDisclosure, primaryModel, complement, repairFor, DEFAULT_THRESHOLDS } from '#domain/anonymity.ts';
import { category, counter, type Counters } from '#domain/rollups.ts';
const person = (c: Counters, chat = 1, phq?: number, label = 'positive') => {
  const add = (k: string, v: number) => (c[k] = (c[k] ?? 0) + v);
  add(counter.analyses('chat'), chat);
  add(counter.sentiment('chat', label), chat);
  for (const cat of [category.all, category.analyses, category.analysisType('chat'), category.sentiment(label as 'positive')]) add(counter.contributors(cat), 1);
  if (phq !== undefined) {
    add(counter.surveys('phq9'), 1); add(counter.scoreMilli('phq9'), phq * 1000); add(counter.scored('phq9'), 1);
    const band = phq < 5 ? 'minimal' : phq < 10 ? 'mild' : 'moderate';
    add(counter.band('phq9', band), 1);
    add(counter.contributors(category.surveys), 1); add(counter.contributors('phq9'), 1); add(counter.contributors(category.band('phq9', band)), 1);
  }
};
const dept = (n: number, phq = false) => { const c: Counters = {}; for (let i = 0; i < n; i++) person(c, 1 + (i % 3), phq ? i % 15 : undefined, i % 4 === 0 ? 'negative' : 'positive'); return c; };
const sizes = Array.from({ length: 50 }, (_, i) => (i * 7) % 23 + 1);
const cells = sizes.map((n, i) => ({ id: `d${i}`, role: 'department' as const, counters: dept(n, true) }));
const org: Counters = {};
for (const cell of cells) for (const [k, v] of Object.entries(cell.counters)) org[k] = (org[k] ?? 0) + v;
const input = { thresholds: DEFAULT_THRESHOLDS, cells: [{ id: 'org', role: 'organisation' as const, counters: org }, { id: 'u', role: 'unassigned' as const, counters: {} }, ...cells] };
for (let rep = 0; rep < 3; rep++) {
let t = performance.now();
const m = primaryModel(input); const tp = performance.now() - t; t = performance.now();
complement(m); const tc = performance.now() - t;
let ta = 0, n = 0;
for (;;) { t = performance.now(); const det = auditDisclosure(m); ta += performance.now() - t; n++; if (!det.length) break; for (const d of det) { const r = repairFor(m, d); if (r !== undefined) m.hidden[m.unitOf(r)] = 1; } t = performance.now(); complement(m); }
console.log('primary', tp.toFixed(1), 'complement', tc.toFixed(1), 'audits', n, 'audit ms', ta.toFixed(1));
}
