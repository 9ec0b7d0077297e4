import * as z from 'zod/mini';
import { EMOTION_LABELS } from './analysis.ts';
import { pattern } from './common.ts';
import { dropIfUnused } from './lazy.ts';
import { BurnoutRisk } from './survey.ts';

/**
 * Analytics read from the stream-maintained rollups (shared/domain/rollups.ts): a user's own summary
 * and the k-anonymous dashboard overview (docs/anonymity.md).
 */

/**
 * The user summary's period: `2026-11` (a month) or `2026-W47` (an ISO week, 01–53) — the user's own
 * data, any period. Whether week 53 exists is checked by the handler.
 */
export const AnalyticsPeriod = /* @__PURE__ */ dropIfUnused(() =>
  z
    .string()
    .check(
      pattern(
        /^\d{4}-(?:0[1-9]|1[0-2]|W(?:0[1-9]|[1-4]\d|5[0-3]))$/,
        'a month YYYY-MM (2026-11) or an ISO week YYYY-Www (2026-W47)',
      ),
    ),
);

export const PeriodQuery = /* @__PURE__ */ dropIfUnused(() =>
  z.strictObject({ period: z.optional(AnalyticsPeriod) }),
);

/**
 * The dashboard's period: a calendar month only. Weeks are refused with the reason: a week straddling
 * a month boundary and that month would differ by exactly the people active only on the boundary days.
 */
export const DashboardPeriod = /* @__PURE__ */ dropIfUnused(() =>
  z
    .string()
    .check(
      pattern(
        /^\d{4}-(?:0[1-9]|1[0-2])$/,
        'a calendar month (2026-11); weeks are not served: a week straddling a month boundary and that month would differ by the few people active only on the boundary days',
      ),
    ),
);

export const DashboardQuery = /* @__PURE__ */ dropIfUnused(() =>
  z.strictObject({ period: z.optional(DashboardPeriod) }),
);

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

/** A published number, or null: withheld (below its k, or hidden so that no other number gives it away). */
const Published = /* @__PURE__ */ dropIfUnused(() => z.nullable(z.int()));
const PublishedNumber = /* @__PURE__ */ dropIfUnused(() => z.nullable(z.number()));

/**
 * A dashboard cell with something shown (docs/anonymity.md lists every number and its k). Each number
 * rests on at least k distinct contributors to that very statistic, or is null.
 */
const visibleCell = (organisation: boolean) => ({
  suppressed: z.literal(false),
  /** Distinct users who contributed anything in the month (k for activity). */
  contributors: Published,
  /** Analyses in the month (every analysis carries one sentiment label). */
  analyses: Published,
  sentiment: z.object({
    counts: z.object({ positive: Published, negative: Published, neutral: Published }),
    /** Count ÷ analyses, where both are shown. */
    shares: z.object({ positive: PublishedNumber, negative: PublishedNumber, neutral: PublishedNumber }),
  }),
  /** Per emotion label: analyses naming it and its mean probability (k for activity, per label). */
  emotions: z.object(
    Object.fromEntries(
      EMOTION_LABELS.map((label) => [
        label,
        z.object({ analyses: Published, meanProbability: PublishedNumber }),
      ]),
    ) as Record<
      (typeof EMOTION_LABELS)[number],
      z.ZodMiniObject<{ analyses: typeof Published; meanProbability: typeof PublishedNumber }>
    >,
  ),
  /** EmoBuddy sessions started in the month. */
  emoBuddySessions: Published,
  /** phq9, gad7, who5, pss10, cbi: responses and mean headline score (clinical k). */
  instruments: z.record(
    z.string(),
    z.object({
      responses: Published,
      meanScore: PublishedNumber,
      ...(organisation
        ? {
            /** Responses per band (organisation-wide only; clinical k per band). */
            bands: z.record(z.string(), Published),
          }
        : {}),
    }),
  ),
  /** Versus the previous month, from numbers shown in both; null when nothing of the cell was shown then. */
  trend: z.nullable(
    z.object({
      previousPeriod: z.string(),
      contributors: Published,
      analyses: Published,
      negativeSentimentShare: PublishedNumber,
      meanScores: z.record(z.string(), PublishedNumber),
    }),
  ),
});

export const DashboardOverview = /* @__PURE__ */ z.lazy(() =>
  z.object({
    period: z.string(),
    /** Admins only (null for managers); `{suppressed: true}` when nothing of it can be shown. */
    organisation: z.nullable(z.union([Suppressed, z.object(visibleCell(true))])),
    departments: z.array(
      z.union([
        z.object({ departmentId: z.string(), name: z.string(), suppressed: z.literal(true) }),
        z.object({ departmentId: z.string(), name: z.string(), ...visibleCell(false) }),
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
