import { burnoutTrendRoute } from '#contract/routes/surveys.ts';
import { burnoutTrend } from '#domain/burnout-trend.ts';
import { systemClock } from '#domain/clock.ts';
import { cbiSeriesWithin } from '#domain/survey-state.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { signalDays, userBurnoutRisk } from '#domain/user-burnout-risk.ts';
import { userInsightsData } from '#data/rollup-reads.ts';
import { cbiSeriesBetween } from '#data/survey-repository.ts';
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
export const handler = createApiHandler(burnoutTrendRoute, async (request) => {
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

  const { rollupOf, surveyState } = await userInsightsData(userId, signalDays(now));
  // The series from the survey state; a window older than the responses the state keeps reads them.
  const series = cbiSeriesWithin(surveyState, from, to) ?? (await cbiSeriesBetween(userId, from, to));
  const trend = burnoutTrend(series);
  const risk = userBurnoutRisk({ now, series, latest: surveyState.latest, rollupOf });
  return ok({ userId, from, to, series, ...trend, risk });
});
