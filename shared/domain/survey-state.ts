import type { InstrumentId, SurveyResponse, SurveyScores } from '#contract/survey.ts';
import type { BurnoutObservation } from './burnout-trend.ts';

/**
 * A user's survey state: the latest response per instrument (scores, band, instrument version) and
 * their most recent CBI observations, kept in one item beside the responses and changed in the same
 * transaction as each new response (conditional on the version it was computed from).
 *
 * Why: the summary, the burnout trend and the safety rule (severity jump vs the previous response) all
 * need "the latest of each instrument" and "the recent CBI series". Reading them from the responses
 * takes a Query per instrument; from this item, one GetItem (or one key of a BatchGetItem), so each of
 * those routes stays within two round trips however many instruments and responses a user has.
 */
export interface LatestResponse {
  readonly id: string;
  readonly submittedAt: string;
  /** The instrument version that scored it: a severity jump compares only equal versions. */
  readonly version: string;
  readonly scores: SurveyScores;
  readonly band: string | null;
}

export interface SurveyState {
  /** 0 = never stored. */
  readonly version: number;
  readonly latest: Partial<Record<InstrumentId, LatestResponse>>;
  /** The latest CBI_SERIES_KEPT observations, oldest first. */
  readonly cbiSeries: readonly BurnoutObservation[];
  /** How many CBI responses the user has in all (more than the series holds = older ones exist). */
  readonly cbiCount: number;
}

/**
 * CBI observations kept in the state: two years of weekly answers, ~10 KB. A trend window reaching
 * further back than the kept series reads the responses themselves (one Query).
 */
export const CBI_SERIES_KEPT = 104;

export const EMPTY_SURVEY_STATE: SurveyState = { version: 0, latest: {}, cbiSeries: [], cbiCount: 0 };

/** A CBI response as a point of the burnout series (undefined without a work-related score). */
const cbiObservationOf = (response: SurveyResponse): BurnoutObservation | undefined => {
  const subscales = response.scores.subscales;
  if (subscales?.work === undefined) return undefined;
  return {
    responseId: response.id,
    at: response.submittedAt,
    work: subscales.work,
    personal: subscales.personal ?? 0,
    ...(subscales.client !== undefined ? { client: subscales.client } : {}),
  };
};

/** The state after one more response (a response older than the latest only joins the series). */
export const withResponse = (state: SurveyState, response: SurveyResponse): SurveyState => {
  const current = state.latest[response.instrument];
  const newer = !current || response.submittedAt >= current.submittedAt;
  const latest = newer
    ? {
        ...state.latest,
        [response.instrument]: {
          id: response.id,
          submittedAt: response.submittedAt,
          version: response.version,
          scores: response.scores,
          band: response.band,
        },
      }
    : state.latest;
  const observation = response.instrument === 'cbi' ? cbiObservationOf(response) : undefined;
  const cbiSeries = observation
    ? [...state.cbiSeries, observation]
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
        .slice(-CBI_SERIES_KEPT)
    : state.cbiSeries;
  return {
    version: state.version + 1,
    latest,
    cbiSeries,
    cbiCount: state.cbiCount + (observation ? 1 : 0),
  };
};

/** The state of a set of responses, as if they had been stored one by one (rebuilds use it). */
export const surveyStateOf = (responses: readonly SurveyResponse[], version = 0): SurveyState => ({
  ...[...responses]
    .sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0))
    .reduce(withResponse, EMPTY_SURVEY_STATE),
  version,
});

/**
 * The CBI observations in [from, to] from the state, or undefined when the window may reach older
 * responses than the state keeps (then the caller reads the responses).
 */
export const cbiSeriesWithin = (
  state: SurveyState,
  from: string,
  to: string,
): readonly BurnoutObservation[] | undefined => {
  const complete = state.cbiCount <= state.cbiSeries.length;
  const oldestKept = state.cbiSeries[0]?.at;
  if (!complete && (oldestKept === undefined || from < oldestKept)) return undefined;
  return state.cbiSeries.filter((o) => o.at >= from && o.at <= to);
};
