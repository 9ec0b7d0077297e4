import { ANALYSIS_TYPES, EMOTION_LABELS } from '#contract/analysis.ts';
import { INSTRUMENT_IDS } from '#contract/survey.ts';
import type { AnalysisShare } from './burnout-risk.ts';
import type { SCORED_INSTRUMENTS } from './rollups.ts';
import * as counter from './rollup-counters.ts';
import { SENTIMENT_LABELS, type Counters } from './rollups.ts';

/**
 * Reading rollup counters back as numbers people understand: distributions, means, shares. Pure; used
 * by the dashboard cells (only when a cell is visible) and by the user summary.
 */
const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const valueOf = (counters: Counters | undefined, name: string): number => counters?.[name] ?? 0;

const sum = (counters: Counters | undefined, names: readonly string[]): number =>
  names.reduce((total, name) => total + valueOf(counters, name), 0);

export const activityOf = (c: Counters | undefined) => ({
  items: valueOf(c, counter.items),
  analyses: {
    chat: valueOf(c, counter.analyses('chat')),
    speech: valueOf(c, counter.analyses('speech')),
    video: valueOf(c, counter.analyses('video')),
  },
  surveyResponses: sum(
    c,
    INSTRUMENT_IDS.map((id) => counter.surveys(id)),
  ),
  emoBuddy: {
    sessions: valueOf(c, counter.emoSessions),
    ended: valueOf(c, counter.emoEnded),
    messages: valueOf(c, counter.emoMessages),
  },
});

/** Sentiment label counts over every analysis type, with shares (null without analyses). */
export const sentimentOf = (c: Counters | undefined) => {
  const counts = Object.fromEntries(
    SENTIMENT_LABELS.map((label) => [
      label,
      sum(
        c,
        ANALYSIS_TYPES.map((type) => counter.sentiment(type, label)),
      ),
    ]),
  ) as Record<(typeof SENTIMENT_LABELS)[number], number>;
  const total = counts.positive + counts.negative + counts.neutral;
  const shares = Object.fromEntries(
    SENTIMENT_LABELS.map((label) => [label, total === 0 ? null : round(counts[label] / total, 4)]),
  ) as Record<(typeof SENTIMENT_LABELS)[number], number | null>;
  return { analyses: total, counts, shares };
};

/** Per emotion: how many analyses named it and its mean probability (null when none did). */
export const emotionsOf = (c: Counters | undefined) =>
  Object.fromEntries(
    EMOTION_LABELS.map((label) => {
      const count = valueOf(c, counter.emotionCount(label));
      const micros = valueOf(c, counter.emotionMicros(label));
      return [
        label,
        { analyses: count, meanProbability: count === 0 ? null : round(micros / count / 1e6, 4) },
      ];
    }),
  ) as Record<(typeof EMOTION_LABELS)[number], { analyses: number; meanProbability: number | null }>;

/** An instrument's responses, mean headline score and band counts. */
export const instrumentOf = (c: Counters | undefined, id: (typeof SCORED_INSTRUMENTS)[number]) => {
  const scored = valueOf(c, counter.scored(id));
  const prefix = `band.${id}.`;
  const bands = Object.fromEntries(
    Object.entries(c ?? {})
      .filter(([name, value]) => name.startsWith(prefix) && value !== 0)
      .map(([name, value]) => [name.slice(prefix.length), value])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  ) as Record<string, number>;
  return {
    responses: valueOf(c, counter.surveys(id)),
    meanScore: scored === 0 ? null : round(valueOf(c, counter.scoreMilli(id)) / scored / 1000, 2),
    bands,
  };
};

/** Burnout model inputs from counters of the signal window (burnout-risk.ts reads them as shares). */
export const chatNegativeShare = (c: Counters | undefined): AnalysisShare | undefined => {
  const count = sum(
    c,
    SENTIMENT_LABELS.map((label) => counter.sentiment('chat', label)),
  );
  return count === 0
    ? undefined
    : { share: valueOf(c, counter.sentiment('chat', 'negative')) / count, count };
};

export const voiceVideoDistressShare = (c: Counters | undefined): AnalysisShare | undefined => {
  const count = valueOf(c, counter.dominant('speech')) + valueOf(c, counter.dominant('video'));
  const distressed =
    valueOf(c, counter.dominantDistress('speech')) + valueOf(c, counter.dominantDistress('video'));
  return count === 0 ? undefined : { share: distressed / count, count };
};
