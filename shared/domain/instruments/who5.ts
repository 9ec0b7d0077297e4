import { dropIfUnused } from '#contract/lazy.ts';
import { sumOf } from './bands.ts';
import { WHO5_BANDS, WHO5_POOR_BELOW } from './cut-offs.ts';
import type { Instrument, InstrumentText } from './types.ts';

const ITEMS = ['q1', 'q2', 'q3', 'q4', 'q5'] as const;

/** Percentage score at or below this suggests likely depression. */
export const WHO5_LIKELY_DEPRESSION_AT_MOST = 28;

/**
 * WHO-5 Well-Being Index: five items 0–5 over the last two weeks; raw sum 0–25, ×4 → 0–100 (the
 * `total`). Poor wellbeing below 50 or when any item is 0 or 1; likely depression at ≤ 28. The band is
 * not a plain cut-off of the total (the any-item rule), so it is computed here rather than from `bands`.
 */
export const who5: Instrument = {
  id: 'who5',
  version: '1',
  items: ITEMS.map((id) => ({ id })),
  scale: { min: 0, max: 5 },
  bands: WHO5_BANDS,
  score: (answers) => {
    const raw = sumOf(answers, ITEMS);
    const total = raw * 4;
    const lowItem = ITEMS.some((id) => (answers[id] ?? 0) <= 1);
    const flags: string[] = [];
    if (total <= WHO5_LIKELY_DEPRESSION_AT_MOST) flags.push('likely_depression');
    if (lowItem) flags.push('low_item');
    return {
      scores: { total, raw },
      band: total < WHO5_POOR_BELOW || lowItem ? 'poor' : 'good',
      flags,
    };
  },
};

export const who5Text: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'WHO-5 Well-Being Index',
  measures: 'subjective wellbeing (higher is better)',
  period: 'last 2 weeks',
  labels: {
    q1: 'Cheerful and in good spirits',
    q2: 'Calm and relaxed',
    q3: 'Active and vigorous',
    q4: 'Woke up feeling fresh and rested',
    q5: 'Daily life filled with things of interest',
  },
  anchors: [
    'At no time',
    'Some of the time',
    'Less than half of the time',
    'More than half of the time',
    'Most of the time',
    'All of the time',
  ],
  scoring: { method: 'raw sum 0–25, multiplied by 4 (percentage score)', range: { min: 0, max: 100 } },
  flags: [
    {
      id: 'likely_depression',
      rule: `percentage score ≤ ${WHO5_LIKELY_DEPRESSION_AT_MOST}`,
    },
    { id: 'low_item', rule: 'any item answered 0 or 1 (the band is then poor whatever the total)' },
  ],
  licence: {
    note: 'Free to use (WHO Collaborating Centre in Mental Health). Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation: 'Topp CW, Østergaard SD, Søndergaard S, Bech P. Psychother Psychosom. 2015;84(3):167–176.',
  },
}));
