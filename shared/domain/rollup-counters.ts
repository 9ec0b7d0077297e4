import type { AnalysisType } from '#contract/analysis.ts';
import type { InstrumentId } from '#contract/survey.ts';
import type { ContributorCategory } from './rollups.ts';

/**
 * Counter names (attribute names of the rollup items; every one contains a dot). One export per name,
 * imported as a namespace (`import * as counter`): a bundle carries the names it uses.
 */

export const items = 'activity.items';
export const analyses = (type: AnalysisType) => `analyses.${type}`;
export const sentiment = (type: AnalysisType, label: string) => `sentiment.${type}.${label}`;
/** Sum of the label's probabilities in millionths. */
export const emotionMicros = (label: string) => `emotionMicros.${label}`;
/** Analyses that named the label. */
export const emotionCount = (label: string) => `emotionCount.${label}`;
/** Speech/video analyses with a dominant emotion, and those whose dominant one is a distress emotion. */
export const dominant = (type: AnalysisType) => `dominant.${type}`;
export const dominantDistress = (type: AnalysisType) => `dominantDistress.${type}`;
export const surveys = (instrument: InstrumentId) => `surveys.${instrument}`;
/** Sum of the headline score in thousandths, and how many responses had one. */
export const scoreMilli = (instrument: InstrumentId) => `scoreMilli.${instrument}`;
export const scored = (instrument: InstrumentId) => `scored.${instrument}`;
export const band = (instrument: InstrumentId, band: string) => `band.${instrument}.${band}`;
export const emoSessions = 'emoBuddy.sessions';
export const emoEnded = 'emoBuddy.ended';
export const emoMessages = 'emoBuddy.messages';
export const contributors = (category: ContributorCategory) => `contributors.${category}`;
