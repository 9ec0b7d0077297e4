import { burnoutRisk, SIGNAL_WINDOW_DAYS, type BurnoutRisk } from './burnout-risk.ts';
import { slopePer30Days, type BurnoutObservation } from './burnout-trend.ts';
import { addCounters, type Counters } from './rollups.ts';
import { lastDays, type Period } from './rollups-periods.ts';
import { chatNegativeShare, voiceVideoDistressShare } from './rollups-view.ts';
import type { SurveyState } from './survey-state.ts';

/** The day periods whose rollups hold a user's analysis signals for the risk model. */
export const signalDays = (now: Date): Period[] => lastDays(now, SIGNAL_WINDOW_DAYS);

/**
 * One user's burnout risk as the summary and the burnout trend both show it: the model of
 * burnout-risk.ts over the CBI series the route chose, the latest PSS-10 and WHO-5 from the survey
 * state, and the analysis signals of the user's day rollups of the last 30 days. One function, so the
 * two routes cannot drift apart.
 */
export const userBurnoutRisk = (input: {
  now: Date;
  series: readonly BurnoutObservation[];
  latest: SurveyState['latest'];
  rollupOf: (period: Period) => Counters | undefined;
}): BurnoutRisk => {
  const { now, series, latest, rollupOf } = input;
  const signals = signalDays(now).reduce<Counters>((sum, day) => addCounters(sum, rollupOf(day) ?? {}), {});
  const latestCbi = series.at(-1);
  const pss10 = latest.pss10?.scores.total;
  const who5 = latest.who5?.scores.total;
  const chat = chatNegativeShare(signals);
  const voiceVideo = voiceVideoDistressShare(signals);
  return burnoutRisk({
    now,
    ...(latestCbi ? { latestCbi } : {}),
    ...(pss10 != null ? { latestPss10: { at: latest.pss10!.submittedAt, total: pss10 } } : {}),
    ...(who5 != null ? { latestWho5: { at: latest.who5!.submittedAt, total: who5 } } : {}),
    cbiWorkSlopePer30Days: slopePer30Days(series, (o) => o.work),
    ...(chat ? { chat } : {}),
    ...(voiceVideo ? { voiceVideo } : {}),
  });
};
