import { surveyRoutes } from '#contract/routes/surveys.ts';
import {
  burnoutRisk,
  distressShare,
  negativeSentimentShare,
  SIGNAL_WINDOW_DAYS,
} from '#domain/burnout-risk.ts';
import { burnoutTrend, type BurnoutObservation } from '#domain/burnout-trend.ts';
import { systemClock } from '#domain/clock.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { latestSurveyResponse, recentAnalysisSignals, surveySeries } from '#data/survey-repository.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { authorizeIndividualRead } from './individual-access.ts';

const DAY_MS = 86_400_000;
/** Default window of the series: the last year. */
const DEFAULT_WINDOW_DAYS = 365;

/**
 * The CBI burnout series (work-related and personal), its least-squares slope per 30 days, the latest
 * band and change flag, and the burnout risk model (shared/domain/burnout-risk.ts, model card there)
 * from the latest CBI, PSS-10 and WHO-5, the slope, and the last 30 days of analysis signals (none =
 * no signal). Self or a consented clinician; reads by others audited before answering.
 */
export const handler = createApiHandler(surveyRoutes.burnoutTrend, async (request) => {
  const userId = request.params.user_id;
  await authorizeIndividualRead(request, userId, {
    action: 'surveys.burnoutTrend',
    resourceType: 'burnout_trend',
  });
  const now = systemClock.now();
  const to = toUtcIso(request.query.to) ?? now.toISOString();
  const from =
    toUtcIso(request.query.from) ?? new Date(Date.parse(to) - DEFAULT_WINDOW_DAYS * DAY_MS).toISOString();
  if (from > to)
    throw validationFailed([{ field: 'query.from', code: 'after_to', message: 'must not be after `to`' }]);

  const [cbi, pss10, who5, analyses] = await Promise.all([
    surveySeries(userId, 'cbi', from, to),
    latestSurveyResponse(userId, 'pss10'),
    latestSurveyResponse(userId, 'who5'),
    recentAnalysisSignals(userId, new Date(now.getTime() - SIGNAL_WINDOW_DAYS * DAY_MS), now),
  ]);
  const series: BurnoutObservation[] = cbi.map((response) => ({
    responseId: response.id,
    at: response.submittedAt,
    work: response.scores.subscales?.work ?? 0,
    personal: response.scores.subscales?.personal ?? 0,
    ...(response.scores.subscales?.client !== undefined ? { client: response.scores.subscales.client } : {}),
  }));
  const trend = burnoutTrend(series);
  const latestCbi = series.at(-1);
  const risk = burnoutRisk({
    now,
    ...(latestCbi ? { latestCbi } : {}),
    ...(pss10?.scores.total != null
      ? { latestPss10: { at: pss10.submittedAt, total: pss10.scores.total } }
      : {}),
    ...(who5?.scores.total != null ? { latestWho5: { at: who5.submittedAt, total: who5.scores.total } } : {}),
    cbiWorkSlopePer30Days: trend.slopePer30Days.work,
    cbiResponses: series.length,
    ...withShare('chat', negativeSentimentShare(analyses.chat)),
    ...withShare('voiceVideo', distressShare([...analyses.speech, ...analyses.video])),
  });
  return ok({ userId, from, to, series, ...trend, risk });
});

const withShare = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
