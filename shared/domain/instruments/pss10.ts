import { dropIfUnused } from '#contract/lazy.ts';
import { bandOf } from './bands.ts';
import { PSS10_BANDS } from './cut-offs.ts';
import type { Instrument, InstrumentItem, InstrumentText } from './types.ts';

const MAX = 4;

const items: readonly InstrumentItem[] = [
  { id: 'q1' },
  { id: 'q2' },
  { id: 'q3' },
  { id: 'q4', reverseScored: true },
  { id: 'q5', reverseScored: true },
  { id: 'q6' },
  { id: 'q7', reverseScored: true },
  { id: 'q8', reverseScored: true },
  { id: 'q9' },
  { id: 'q10' },
];

/**
 * PSS-10 (Cohen, Kamarck & Mermelstein, 1983; 10-item form 1988): ten items 0–4 over the last month,
 * items 4, 5, 7 and 8 reverse-scored (4 − x), summed 0–40. Bands by the common convention.
 */
export const pss10: Instrument = {
  id: 'pss10',
  version: '1',
  items,
  scale: { min: 0, max: MAX },
  bands: PSS10_BANDS,
  score: (answers) => {
    const total = items.reduce((sum, item) => {
      const value = answers[item.id] ?? 0;
      return sum + (item.reverseScored ? MAX - value : value);
    }, 0);
    return { scores: { total }, band: bandOf(PSS10_BANDS, total), flags: [] };
  },
};

export const pss10Text: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'Perceived Stress Scale (PSS-10)',
  measures: 'perceived stress',
  period: 'last month',
  labels: {
    q1: 'Upset by something unexpected',
    q2: 'Unable to control important things',
    q3: 'Nervous and stressed',
    q4: 'Confident about handling personal problems',
    q5: 'Things going your way',
    q6: 'Could not cope with all you had to do',
    q7: 'Able to control irritations',
    q8: 'On top of things',
    q9: 'Angered by things outside your control',
    q10: 'Difficulties piling up too high to overcome',
  },
  anchors: ['Never', 'Almost never', 'Sometimes', 'Fairly often', 'Very often'],
  scoring: { method: 'sum of items, items 4, 5, 7, 8 reverse-scored (4 − x)', range: { min: 0, max: 40 } },
  flags: [],
  licence: {
    note: 'Free for non-commercial research and education only; commercial use needs a licence from the rights holder. Check the terms before offering it commercially.',
    commercialUseAllowed: false,
    citation: 'Cohen S, Kamarck T, Mermelstein R. J Health Soc Behav. 1983;24(4):385–396.',
  },
}));
