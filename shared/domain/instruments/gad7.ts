import { dropIfUnused } from '#contract/lazy.ts';
import { bandOf, FREQUENCY_0_3, FREQUENCY_0_3_ANCHORS, sumOf } from './bands.ts';
import { GAD7_BANDS } from './cut-offs.ts';
import type { Instrument, InstrumentText } from './types.ts';

const ITEMS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7'] as const;

export const GAD7_SCREEN_POSITIVE = 10;

/** GAD-7 (Spitzer et al., 2006): seven items 0–3 over the last two weeks, summed 0–21. */
export const gad7: Instrument = {
  id: 'gad7',
  version: '1',
  items: ITEMS.map((id) => ({ id })),
  scale: FREQUENCY_0_3,
  bands: GAD7_BANDS,
  severityJump: { score: 'total', bandSteps: 2, increase: 5, minimum: GAD7_SCREEN_POSITIVE },
  score: (answers) => {
    const total = sumOf(answers, ITEMS);
    return {
      scores: { total },
      band: bandOf(GAD7_BANDS, total),
      flags: total >= GAD7_SCREEN_POSITIVE ? ['screen_positive'] : [],
    };
  },
};

export const gad7Text: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'Generalized Anxiety Disorder-7 (GAD-7)',
  measures: 'anxiety symptoms',
  period: 'last 2 weeks',
  labels: {
    q1: 'Feeling nervous or on edge',
    q2: 'Unable to stop or control worrying',
    q3: 'Worrying too much about different things',
    q4: 'Trouble relaxing',
    q5: 'Too restless to sit still',
    q6: 'Easily annoyed or irritable',
    q7: 'Afraid something awful might happen',
  },
  anchors: FREQUENCY_0_3_ANCHORS,
  scoring: { method: 'sum of items 1–7', range: { min: 0, max: 21 } },
  flags: [{ id: 'screen_positive', rule: `total ≥ ${GAD7_SCREEN_POSITIVE}` }],
  severityJump:
    'vs the previous GAD-7: up by two bands or more, or up by 5 points or more to a screen-positive total (≥ 10)',
  licence: {
    note: 'Free to use; no permission required. Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation: 'Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med. 2006;166(10):1092–1097.',
  },
}));
