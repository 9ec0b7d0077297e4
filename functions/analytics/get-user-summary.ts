import { analyticsRoutes } from '#contract/routes/analytics.ts';
import { burnoutRisk, SIGNAL_WINDOW_DAYS } from '#domain/burnout-risk.ts';
import { slopePer30Days, type BurnoutObservation } from '#domain/burnout-trend.ts';
import { systemClock } from '#domain/clock.ts';
import { addCounters, SCORED_INSTRUMENTS, type Counters } from '#domain/rollups.ts';
import { lastDays } from '#domain/rollups-periods.ts';
import {
  activityOf,
  chatNegativeShare,
  emotionsOf,
  instrumentOf,
  sentimentOf,
  voiceVideoDistressShare,
} from '#domain/rollups-view.ts';
import { latestResponses, userRollups, type ScoredResponse } from '#data/rollup-reads.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { authorizeIndividualRead } from '../surveys/individual-access.ts';
import { resolvePeriod } from './period.ts';

const DAY_MS = 86_400_000;
/** CBI responses the risk model's trend slope reads (the latest, within a year). */
const CBI_SERIES_LIMIT = 50;
const SERIES_WINDOW_DAYS = 365;

const latestScore = (response: ScoredResponse | undefined) =>
  response
    ? {
        responseId: response.id,
        at: response.submittedAt,
        score: response.total,
        band: response.band,
        ...(response.subscales ? { subscales: response.subscales } : {}),
      }
    : null;

/**
 * A user's summary of a period, read from their own rollups (which count everything of theirs,
 * whatever their aggregate consent) plus the latest response per instrument: one BatchGetItem and five
 * Queries, however much data the user has. Burnout risk uses the surveys' model (burnout-risk.ts) with
 * the analysis signals of the last 30 days from the day rollups. Self or a consented clinician; reads by
 * others are audited before answering.
 */
export const handler = createApiHandler(analyticsRoutes.userSummary, async (request) => {
  const userId = request.params.user_id;
  await authorizeIndividualRead(request, userId, {
    action: 'analytics.userSummary',
    resourceType: 'analytics_summary',
  });
  const now = systemClock.now();
  const { period } = resolvePeriod(request.query.period, now);
  const window = lastDays(now, SIGNAL_WINDOW_DAYS);
  const [rollupOf, latest] = await Promise.all([
    userRollups(userId, [period, ...window]),
    Promise.all(
      SCORED_INSTRUMENTS.map((id) => latestResponses(userId, id, id === 'cbi' ? CBI_SERIES_LIMIT : 1)),
    ),
  ]);
  const latestBy = Object.fromEntries(SCORED_INSTRUMENTS.map((id, i) => [id, latest[i] ?? []]));
  const counters = rollupOf(period);
  const signals = window.reduce<Counters>((sum, day) => addCounters(sum, rollupOf(day) ?? {}), {});

  const since = now.getTime() - SERIES_WINDOW_DAYS * DAY_MS;
  const series: BurnoutObservation[] = (latestBy.cbi ?? [])
    .filter((r) => Date.parse(r.submittedAt) >= since && r.subscales?.work !== undefined)
    .map((r) => ({
      responseId: r.id,
      at: r.submittedAt,
      work: r.subscales?.work ?? 0,
      personal: r.subscales?.personal ?? 0,
    }))
    .reverse();
  const latestCbi = series.at(-1);
  const pss10 = latestBy.pss10?.[0];
  const who5 = latestBy.who5?.[0];
  const chat = chatNegativeShare(signals);
  const voiceVideo = voiceVideoDistressShare(signals);
  const risk = burnoutRisk({
    now,
    ...(latestCbi ? { latestCbi } : {}),
    ...(pss10?.total != null ? { latestPss10: { at: pss10.submittedAt, total: pss10.total } } : {}),
    ...(who5?.total != null ? { latestWho5: { at: who5.submittedAt, total: who5.total } } : {}),
    cbiWorkSlopePer30Days: slopePer30Days(series, (o) => o.work),
    cbiResponses: series.length,
    ...(chat ? { chat } : {}),
    ...(voiceVideo ? { voiceVideo } : {}),
  });
  const activity = activityOf(counters);
  return ok({
    userId,
    period: period.key,
    counts: activity,
    sentiment: sentimentOf(counters),
    emotions: emotionsOf(counters),
    surveys: Object.fromEntries(SCORED_INSTRUMENTS.map((id) => [id, instrumentOf(counters, id)])),
    latestScores: Object.fromEntries(SCORED_INSTRUMENTS.map((id) => [id, latestScore(latestBy[id]?.[0])])),
    burnoutRisk: risk,
    emoBuddy: activity.emoBuddy,
  });
});
