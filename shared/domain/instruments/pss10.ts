import { bandOf } from './bands.ts';
import { PSS10_BANDS } from './cut-offs.ts';
import type { Instrument, InstrumentItem } from './types.ts';

const MAX = 4;

const items: readonly InstrumentItem[] = [
  { id: 'q1', label: 'Upset by something unexpected' },
  { id: 'q2', label: 'Unable to control important things' },
  { id: 'q3', label: 'Nervous and stressed' },
  { id: 'q4', label: 'Confident about handling personal problems', reverseScored: true },
  { id: 'q5', label: 'Things going your way', reverseScored: true },
  { id: 'q6', label: 'Could not cope with all you had to do' },
  { id: 'q7', label: 'Able to control irritations', reverseScored: true },
  { id: 'q8', label: 'On top of things', reverseScored: true },
  { id: 'q9', label: 'Angered by things outside your control' },
  { id: 'q10', label: 'Difficulties piling up too high to overcome' },
];

/**
 * PSS-10 (Cohen, Kamarck & Mermelstein, 1983; 10-item form 1988): ten items 0–4 over the last month,
 * items 4, 5, 7 and 8 reverse-scored (4 − x), summed 0–40. Bands by the common convention.
 */
export const pss10: Instrument = {
  id: 'pss10',
  version: '1',
  name: 'Perceived Stress Scale (PSS-10)',
  measures: 'perceived stress',
  period: 'last month',
  items,
  scale: { min: 0, max: MAX, anchors: ['Never', 'Almost never', 'Sometimes', 'Fairly often', 'Very often'] },
  scoring: { method: 'sum of items, items 4, 5, 7, 8 reverse-scored (4 − x)', range: { min: 0, max: 40 } },
  bands: PSS10_BANDS,
  flags: [],
  licence: {
    note: 'Free for non-commercial research and education only; commercial use needs a licence from the rights holder. Check the terms before offering it commercially.',
    commercialUseAllowed: false,
    citation: 'Cohen S, Kamarck T, Mermelstein R. J Health Soc Behav. 1983;24(4):385–396.',
  },
  score: (answers) => {
    const total = items.reduce((sum, item) => {
      const value = answers[item.id] ?? 0;
      return sum + (item.reverseScored ? MAX - value : value);
    }, 0);
    return { scores: { total }, band: bandOf(PSS10_BANDS, total), flags: [] };
  },
};
