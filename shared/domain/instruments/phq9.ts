import { bandOf, FREQUENCY_0_3, sumOf } from './bands.ts';
import { PHQ9_BANDS } from './cut-offs.ts';
import type { Instrument } from './types.ts';

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
  name: 'Patient Health Questionnaire-9 (PHQ-9)',
  measures: 'depression symptoms',
  period: 'last 2 weeks',
  items: [
    { id: 'q1', label: 'Little interest or pleasure' },
    { id: 'q2', label: 'Feeling down or hopeless' },
    { id: 'q3', label: 'Sleep problems' },
    { id: 'q4', label: 'Tiredness or low energy' },
    { id: 'q5', label: 'Appetite changes' },
    { id: 'q6', label: 'Feeling bad about yourself' },
    { id: 'q7', label: 'Trouble concentrating' },
    { id: 'q8', label: 'Slowed down or restless' },
    { id: 'q9', label: 'Thoughts of self-harm or being better off dead' },
    {
      id: 'q10',
      label: 'How difficult these problems made daily life',
      scored: false,
      optional: true,
      scale: {
        min: 0,
        max: 3,
        anchors: ['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult'],
      },
    },
  ],
  scale: FREQUENCY_0_3,
  scoring: { method: 'sum of items 1–9 (item 10 recorded, not scored)', range: { min: 0, max: 27 } },
  bands: PHQ9_BANDS,
  flags: [
    { id: 'suicidal_ideation', rule: 'item 9 > 0, whatever the total (raises a risk alert)' },
    { id: 'screen_positive', rule: `total ≥ ${PHQ9_SCREEN_POSITIVE}` },
  ],
  severityJump: {
    score: 'total',
    bandSteps: 2,
    increase: 5,
    minimum: PHQ9_SCREEN_POSITIVE,
    description:
      'vs the previous PHQ-9: up by two bands or more, or up by 5 points or more to a screen-positive total (≥ 10)',
  },
  licence: {
    note: 'Free to use; no permission required (Pfizer). Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation: 'Kroenke K, Spitzer RL, Williams JB. J Gen Intern Med. 2001;16(9):606–613.',
  },
  score: (answers) => {
    const total = sumOf(answers, SCORED);
    const flags: string[] = [];
    if ((answers.q9 ?? 0) > 0) flags.push('suicidal_ideation');
    if (total >= PHQ9_SCREEN_POSITIVE) flags.push('screen_positive');
    return { scores: { total }, band: bandOf(PHQ9_BANDS, total), flags };
  },
};
