import type { AnalysisType, EmotionLabel } from '#contract/analysis.ts';
import type { InstrumentId } from '#contract/survey.ts';
import type { ScoredInstrument, SentimentLabel } from './rollups.ts';

/**
 * Contributor categories: one distinct-user count each per department/organisation rollup, one per
 * published statistic's population. Names are attribute-safe (`contributors.<category>`). One export
 * per name, imported as a namespace (`import * as category`): a bundle carries the names it uses.
 */

/** Anyone with an item of any kind (the cell's contributors, its item count). */
export const all = 'all';
/** Anyone with an analysis (the sentiment total). */
export const analyses = 'analyses';
export const analysisType = (type: AnalysisType) => `analyses.${type}`;
export const sentiment = (label: SentimentLabel) => `sentiment.${label}`;
export const emotion = (label: EmotionLabel) => `emotion.${label}`;
/** Anyone with a survey response, custom surveys included. */
export const surveys = 'surveys';
export const instrument = (instrument: InstrumentId) => instrument;
export const band = (instrument: ScoredInstrument, band: string) => `band.${instrument}.${band}`;
export const emoBuddy = 'emoBuddy';
