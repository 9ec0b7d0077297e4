import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { submitCheckedRoute } from '#contract/routes/surveys.ts';
import { requireSetting } from '#contract/runtime-env.ts';
import type { CrisisResources } from '#contract/risk-alert.ts';
import type { SurveyResponse } from '#contract/survey.ts';
import { systemClock } from '#domain/clock.ts';
import { instrumentById, scoreResponse } from '#domain/instruments/index.ts';
import { riskReasonsOf } from '#domain/severity.ts';
import { withResponse } from '#domain/survey-state.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { recordRiskAlertsRaised, newRiskAlert } from '#data/risk-alerts.ts';
import {
  getSurveyResponse,
  getSurveyState,
  storeSurveyResponse,
  surveyResponseRaisedAlert,
  type SurveyResponseRef,
} from '#data/survey-repository.ts';
import { conflict, notFound, unauthenticated, validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';
import { idempotent, type ReplayCodec } from '#http/idempotency.ts';
import { metrics } from '#observability/powertools.ts';

const route = submitCheckedRoute;
/** Tries against concurrent responses of the same user before answering 409. */
const MAX_STATE_ATTEMPTS = 5;

/** Responses by instrument and by band: counts only, never a person's score. */
const recordMetrics = (response: SurveyResponse): void => {
  const byInstrument = metrics.singleMetric();
  byInstrument.addDimension('instrument', response.instrument);
  byInstrument.addMetric('SurveyResponses', MetricUnit.Count, 1);
  if (response.band) {
    const byBand = metrics.singleMetric();
    byBand.addDimensions({ instrument: response.instrument, band: response.band });
    byBand.addMetric('SurveyResponsesByBand', MetricUnit.Count, 1);
  }
};

/** The answer: the stored response, with the stage's crisis resources when it raised a risk alert. */
const withResources = (response: SurveyResponse, crisisResources: CrisisResources | undefined) =>
  crisisResources ? { ...response, crisisResources } : response;

/**
 * The Idempotency-Key record keeps the response's key parts only; a replay reads the response, and
 * whether it raised an alert, back from the user's partition (no health data outside it).
 */
const surveyReplay = (crisisResources: CrisisResources): ReplayCodec => ({
  keep: ({ statusCode, body }) => {
    const { id, userId, instrument, submittedAt } = body as SurveyResponse;
    return { statusCode, body: { id, userId, instrument, submittedAt } };
  },
  restore: async ({ statusCode, body }) => {
    const ref = body as SurveyResponseRef;
    const [response, alerted] = await Promise.all([getSurveyResponse(ref), surveyResponseRaisedAlert(ref)]);
    // Gone (erased) since: there is no response left to replay.
    if (!response) throw notFound('The response of this Idempotency-Key');
    return { statusCode, body: withResources(response, alerted ? crisisResources : undefined) };
  },
});

/**
 * Scores the caller's answers on the server (a missing, non-integer, out-of-range or unknown answer is
 * a 400 naming the item; another instrument version is a 400), stores the response with its scores,
 * band and flags, the user's new survey state (latest per instrument, recent CBI series; read first, it
 * is what the severity rule compares against) and — when PHQ-9 item 9 fired or the score jumped past the
 * instrument's rule — a risk alert, all in one transaction; then announces the alert and answers with the stage's crisis
 * resources. With Idempotency-Key (#http/idempotency.ts): the same key and body replays the first
 * answer, another body is 422, a duplicate in flight is 409; the record keeps the response's ids only
 * and a replay reads the response (and whether it raised an alert) back from the user's partition.
 */
export const handler = createApiHandler(route, async (request) => {
  const { principal, body } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  // Read before anything is written: a function deployed without its stage's crisis resources fails
  // loudly instead of storing an alert it cannot answer with resources.
  const crisisResources = requireSetting('crisisResources');
  const instrument = instrumentById(body.instrument);
  if (body.version !== undefined && body.version !== instrument.version)
    throw validationFailed([
      {
        field: 'body.version',
        code: 'unsupported_version',
        message: `the current version of ${instrument.id} is ${instrument.version}`,
      },
    ]);
  const scoring = scoreResponse(instrument, body.answers);
  if (!scoring.ok) throw validationFailed(scoring.problems);
  const { result } = scoring;

  // A random id even with a key: the response's key holds its submission time, so a key-derived id
  // would not make a re-run find the first write (it would store a second item with the same id).
  return idempotent(
    request,
    route.id,
    systemClock,
    async () => {
      // The state's version guards the transaction: a concurrent response of the same user makes it
      // fail, and this one is re-scored against the response that won (its severity jump may change).
      for (let attempt = 1; ; attempt++) {
        const state = await getSurveyState(principal.sub);
        const now = systemClock.now();
        const previous = instrument.severityJump ? state.latest[instrument.id] : undefined;
        const response: SurveyResponse = {
          id: randomUUID(),
          userId: principal.sub,
          instrument: instrument.id,
          version: instrument.version,
          answers: body.answers,
          scores: result.scores,
          band: result.band,
          flags: [...result.flags],
          ...(result.subscaleBands ? { subscaleBands: { ...result.subscaleBands } } : {}),
          submittedAt: now.toISOString(),
        };
        const reasons = riskReasonsOf(instrument, result, previous);
        const alerts =
          reasons.length > 0
            ? [
                newRiskAlert({
                  userId: principal.sub,
                  source: { type: 'survey_response', id: response.id },
                  reasons,
                  now,
                }),
              ]
            : [];
        const audit = auditRecord(
          {
            resourceType: 'survey_response',
            resourceId: response.id,
            subjectId: principal.sub,
            status: 201,
          },
          request,
        );
        const next = withResponse(state, response);
        if (
          await storeSurveyResponse(response, audit, alerts, { previous: state, next }, request, systemClock)
        ) {
          recordRiskAlertsRaised(alerts);
          recordMetrics(response);
          return created(withResources(response, alerts.length > 0 ? crisisResources : undefined));
        }
        if (attempt >= MAX_STATE_ATTEMPTS)
          throw conflict('Other responses of yours are being stored at the same time; try again.');
      }
    },
    surveyReplay(crisisResources),
  );
});
