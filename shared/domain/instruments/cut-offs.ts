import type { InstrumentId } from '#contract/survey.ts';
import type { BandDefinition } from './types.ts';

/*
 * The bands of every scored instrument (ascending: a band runs from its `min` to the next one's) and the
 * cut-offs they rest on, apart from the instrument definitions: the rollups, the burnout trend and the
 * dashboards count or name bands and need nothing else of an instrument, and importing the catalogue
 * (item labels, anchors, licences) for that would carry it into every analytics function's bundle.
 */

/** PHQ-9 (Kroenke et al., 2001): 5 / 10 / 15 / 20. */
export const PHQ9_BANDS = [
  { id: 'minimal', min: 0 },
  { id: 'mild', min: 5 },
  { id: 'moderate', min: 10 },
  { id: 'moderately_severe', min: 15 },
  { id: 'severe', min: 20 },
] as const;

/** GAD-7 (Spitzer et al., 2006): 5 / 10 / 15. */
export const GAD7_BANDS = [
  { id: 'minimal', min: 0 },
  { id: 'mild', min: 5 },
  { id: 'moderate', min: 10 },
  { id: 'severe', min: 15 },
] as const;

/** PSS-10: the common 0–13 / 14–26 / 27–40 convention. */
export const PSS10_BANDS = [
  { id: 'low', min: 0 },
  { id: 'moderate', min: 14 },
  { id: 'high', min: 27 },
] as const;

/** WHO-5: a percentage score below this is poor wellbeing. */
export const WHO5_POOR_BELOW = 50;

/** WHO-5: poor below 50 (the any-item-at-0-or-1 rule is applied by the instrument's scoring). */
export const WHO5_BANDS = [
  { id: 'poor', min: 0 },
  { id: 'good', min: WHO5_POOR_BELOW },
] as const;

/** CBI: no official cut-offs; the common convention (docs/instruments.md): < 50, 50–74, 75–99, 100. */
export const CBI_BANDS = [
  { id: 'low', min: 0 },
  { id: 'moderate', min: 50 },
  { id: 'high', min: 75 },
  { id: 'severe', min: 100 },
] as const;

export const INSTRUMENT_BANDS = {
  phq9: PHQ9_BANDS,
  gad7: GAD7_BANDS,
  who5: WHO5_BANDS,
  pss10: PSS10_BANDS,
  cbi: CBI_BANDS,
} as const satisfies Partial<Record<InstrumentId, readonly BandDefinition[]>>;
