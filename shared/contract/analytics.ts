import * as z from 'zod/mini';
import { EMOTION_LABELS } from './analysis.ts';
import { pattern } from './common.ts';
import { BurnoutRisk } from './survey.ts';

/**
 * Analytics read from the stream-maintained rollups (shared/domain/rollups.ts): a user's own summary
 * and the k-anonymous dashboard overview (PRIVACY.md, aggregates).
 */

/** `2026-11` (a month) or `2026-W47` (an ISO week, 01–53). Whether week 53 exists is checked by the handler. */
export const AnalyticsPeriod = z
  .string()
  .check(
    pattern(
      /^\d{4}-(?:0[1-9]|1[0-2]|W(?:0[1-9]|[1-4]\d|5[0-3]))$/,
      'a month YYYY-MM (2026-11) or an ISO week YYYY-Www (2026-W47)',
    ),
  );

export const PeriodQuery = z.strictObject({ period: z.optional(AnalyticsPeriod) });

const Suppressed = /* @__PURE__ */ z.lazy(() => z.object({ suppressed: z.literal(true) }));

const Activity = /* @__PURE__ */ z.lazy(() =>
  z.object({
    items: z.int(),
    analyses: z.object({ chat: z.int(), speech: z.int(), video: z.int() }),
    surveyResponses: z.int(),
    emoBuddy: z.object({ sessions: z.int(), ended: z.int(), messages: z.int() }),
  }),
);

const SentimentCounts = /* @__PURE__ */ z.lazy(() =>
  z.object({ positive: z.int(), negative: z.int(), neutral: z.int() }),
);
const SentimentShares = /* @__PURE__ */ z.lazy(() =>
  z.object({
    positive: z.nullable(z.number()),
    negative: z.nullable(z.number()),
    neutral: z.nullable(z.number()),
  }),
);
const sentimentFields = () => ({ analyses: z.int(), counts: SentimentCounts, shares: SentimentShares });
const Sentiment = /* @__PURE__ */ z.lazy(() => z.object(sentimentFields()));

const EmotionAggregate = /* @__PURE__ */ z.lazy(() =>
  z.object({ analyses: z.int(), meanProbability: z.nullable(z.number()) }),
);
const EmotionLabels = /* @__PURE__ */ z.lazy(() =>
  z.object(
    Object.fromEntries(EMOTION_LABELS.map((label) => [label, EmotionAggregate])) as Record<
      (typeof EMOTION_LABELS)[number],
      typeof EmotionAggregate
    >,
  ),
);

const instrumentAggregateFields = () => ({
  responses: z.int(),
  meanScore: z.nullable(z.number()),
  /** Responses per band id. */
  bands: z.record(z.string(), z.int()),
});
const InstrumentAggregate = /* @__PURE__ */ z.lazy(() => z.object(instrumentAggregateFields()));

const visibleCell = () => ({
  suppressed: z.literal(false),
  /** Distinct users who contributed anything in the period (shown only at or above k). */
  contributors: z.int(),
  activity: Activity,
  sentiment: z.union([
    Suppressed,
    z.object({ ...sentimentFields(), suppressed: z.literal(false), contributors: z.int() }),
  ]),
  emotions: z.union([Suppressed, z.object({ suppressed: z.literal(false), labels: EmotionLabels })]),
  /** phq9, gad7, who5, pss10, cbi: each at the clinical threshold. */
  instruments: z.record(
    z.string(),
    z.union([
      Suppressed,
      z.object({ ...instrumentAggregateFields(), suppressed: z.literal(false), contributors: z.int() }),
    ]),
  ),
  /** Change versus the previous period; null when the cell was hidden then. */
  trend: z.nullable(
    z.object({
      previousPeriod: z.string(),
      contributors: z.int(),
      items: z.int(),
      negativeSentimentShare: z.nullable(z.number()),
      meanScores: z.record(z.string(), z.nullable(z.number())),
    }),
  ),
});

export const DashboardOverview = /* @__PURE__ */ z.lazy(() =>
  z.object({
    period: z.string(),
    /** Admins only (null for managers); `{suppressed: true}` below the threshold. */
    organisation: z.nullable(z.union([Suppressed, z.object(visibleCell())])),
    departments: z.array(
      z.union([
        z.object({ departmentId: z.string(), name: z.string(), suppressed: z.literal(true) }),
        z.object({ departmentId: z.string(), name: z.string(), ...visibleCell() }),
      ]),
    ),
  }),
);
export type DashboardOverview = z.infer<typeof DashboardOverview>;

const LatestScore = /* @__PURE__ */ z.lazy(() =>
  z.object({
    responseId: z.string(),
    at: z.string(),
    score: z.nullable(z.number()),
    band: z.nullable(z.string()),
    subscales: z.optional(z.record(z.string(), z.number())),
  }),
);

export const UserSummary = /* @__PURE__ */ z.lazy(() =>
  z.object({
    userId: z.string(),
    period: z.string(),
    counts: Activity,
    sentiment: Sentiment,
    emotions: EmotionLabels,
    /** Responses in the period per instrument, with their mean headline score. */
    surveys: z.record(z.string(), InstrumentAggregate),
    /** The latest response to each scored instrument, whatever the period (null: never answered). */
    latestScores: z.record(z.string(), z.nullable(LatestScore)),
    burnoutRisk: BurnoutRisk,
    emoBuddy: z.object({ sessions: z.int(), ended: z.int(), messages: z.int() }),
  }),
);
export type UserSummary = z.infer<typeof UserSummary>;
