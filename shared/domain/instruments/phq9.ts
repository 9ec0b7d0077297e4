import { dropIfUnused } from '#contract/lazy.ts';
import { bandOf, FREQUENCY_0_3, FREQUENCY_0_3_ANCHORS, sumOf } from './bands.ts';
import { PHQ9_BANDS } from './cut-offs.ts';
import type { Instrument, InstrumentText } from './types.ts';

const SCORED = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9'] as const;

/** Screen-positive cut-off (sum ≥ 10). */
export const PHQ9_SCREEN_POSITIVE = 10;

/**
 * PHQ-9 (Kroenke, Spitzer & Williams, 2001): nine items 0–3 over the last two weeks, summed 0–27.
 * Item 9 (thoughts of self-harm) above 0 raises `suicidal_ideation` whatever the total. Item 10
 * (how difficult the problems made life) is optional, recorded and never scored.
 */
export const phq9: Instrument = {
  id: 'phq9',
  version: '1',
  items: [
    ...SCORED.map((id) => ({ id })),
    { id: 'q10', scored: false, optional: true, scale: { min: 0, max: 3 } },
  ],
  scale: FREQUENCY_0_3,
  bands: PHQ9_BANDS,
  severityJump: { score: 'total', bandSteps: 2, increase: 5, minimum: PHQ9_SCREEN_POSITIVE },
  score: (answers) => {
    const total = sumOf(answers, SCORED);
    const flags: string[] = [];
    if ((answers.q9 ?? 0) > 0) flags.push('suicidal_ideation');
    if (total >= PHQ9_SCREEN_POSITIVE) flags.push('screen_positive');
    return { scores: { total }, band: bandOf(PHQ9_BANDS, total), flags };
  },
};

export const phq9Text: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'Patient Health Questionnaire-9 (PHQ-9)',
  measures: 'depression symptoms',
  period: 'last 2 weeks',
  labels: {
    q1: 'Little interest or pleasure',
    q2: 'Feeling down or hopeless',
    q3: 'Sleep problems',
    q4: 'Tiredness or low energy',
    q5: 'Appetite changes',
    q6: 'Feeling bad about yourself',
    q7: 'Trouble concentrating',
    q8: 'Slowed down or restless',
    q9: 'Thoughts of self-harm or being better off dead',
    q10: 'How difficult these problems made daily life',
  },
  anchors: FREQUENCY_0_3_ANCHORS,
  itemAnchors: {
    q10: ['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult'],
  },
  scoring: { method: 'sum of items 1–9 (item 10 recorded, not scored)', range: { min: 0, max: 27 } },
  flags: [
    { id: 'suicidal_ideation', rule: 'item 9 > 0, whatever the total (raises a risk alert)' },
    { id: 'screen_positive', rule: `total ≥ ${PHQ9_SCREEN_POSITIVE}` },
  ],
  severityJump:
    'vs the previous PHQ-9: up by two bands or more, or up by 5 points or more to a screen-positive total (≥ 10)',
  licence: {
    note: 'Free to use; no permission required (Pfizer). Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation: 'Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med. 2001;16(9):606–613.',
  },
}));
