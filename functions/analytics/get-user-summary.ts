import { userSummaryRoute } from '#contract/routes/analytics.ts';
import { systemClock } from '#domain/clock.ts';
import { SCORED_INSTRUMENTS } from '#domain/rollups.ts';
import { activityOf, emotionsOf, instrumentOf, sentimentOf } from '#domain/rollups-view.ts';
import type { LatestResponse } from '#domain/survey-state.ts';
import { signalDays, userBurnoutRisk } from '#domain/user-burnout-risk.ts';
import { userInsightsData } from '#data/rollup-reads.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { authorizeIndividualRead } from '../surveys/individual-access.ts';
import { resolvePeriod } from './period.ts';

const DAY_MS = 86_400_000;
/** The CBI responses the risk model's trend slope reads: those of the last year (from the survey state). */
const SERIES_WINDOW_DAYS = 365;

const latestScore = (response: LatestResponse | undefined) =>
  response
    ? {
        responseId: response.id,
        at: response.submittedAt,
        score: response.scores.total,
        band: response.band,
        ...(response.scores.subscales ? { subscales: response.scores.subscales } : {}),
      }
    : null;

/**
 * A user's summary of a period, read from their own rollups (which count everything of theirs,
 * whatever their aggregate consent) and their survey state (latest response per instrument, recent CBI
 * series): ONE BatchGetItem however much data the user has (plus, for a clinician, the transaction that
 * checks consent and records the read). Burnout risk uses the surveys' model (burnout-risk.ts) with
 * the analysis signals of the last 30 days from the day rollups. Self or a consented clinician; reads by
 * others are audited before answering.
 */
export const handler = createApiHandler(userSummaryRoute, async (request) => {
  const userId = request.params.user_id;
  await authorizeIndividualRead(request, userId, {
    action: 'analytics.userSummary',
    resourceType: 'analytics_summary',
  });
  const now = systemClock.now();
  const { period } = resolvePeriod(request.query.period, now);
  const { rollupOf, surveyState } = await userInsightsData(userId, [period, ...signalDays(now)]);
  const counters = rollupOf(period);
  const since = new Date(now.getTime() - SERIES_WINDOW_DAYS * DAY_MS).toISOString();
  const risk = userBurnoutRisk({
    now,
    series: surveyState.cbiSeries.filter((o) => o.at >= since),
    latest: surveyState.latest,
    rollupOf,
  });
  const activity = activityOf(counters);
  return ok({
    userId,
    period: period.key,
    counts: activity,
    sentiment: sentimentOf(counters),
    emotions: emotionsOf(counters),
    surveys: Object.fromEntries(SCORED_INSTRUMENTS.map((id) => [id, instrumentOf(counters, id)])),
    latestScores: Object.fromEntries(
      SCORED_INSTRUMENTS.map((id) => [id, latestScore(surveyState.latest[id])]),
    ),
    burnoutRisk: risk,
    emoBuddy: activity.emoBuddy,
  });
});
