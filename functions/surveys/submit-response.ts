import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { surveyRoutes } from '#contract/routes/surveys.ts';
import { requireSetting } from '#contract/runtime-env.ts';
import type { SurveyResponse } from '#contract/survey.ts';
import { systemClock } from '#domain/clock.ts';
import { instrumentById, scoreResponse } from '#domain/instruments/index.ts';
import { riskReasonsOf } from '#domain/severity.ts';
import { newAuditRecord } from '#data/audit-repository.ts';
import { announceRiskAlerts, newRiskAlert } from '#data/risk-alerts.ts';
import {
  getSurveyResponse,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  latestSurveyResponse,
  runIdempotently,
  storeSurveyResponse,
  type SurveyResponseRef,
} from '#data/survey-repository.ts';
import { ApiError, notFound, unauthenticated, validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';
import { metrics } from '#observability/powertools.ts';

const route = surveyRoutes.submit;
const MAX_IDEMPOTENCY_KEY = 255;

const idempotencyKeyOf = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const value = headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_IDEMPOTENCY_KEY || !/^[\x20-\x7e]+$/.test(value))
    throw validationFailed([
      {
        field: 'headers.Idempotency-Key',
        code: 'invalid_idempotency_key',
        message: `must be 1–${MAX_IDEMPOTENCY_KEY} printable ASCII characters`,
      },
    ]);
  return value;
};

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

/**
 * Scores the caller's answers on the server (a missing, non-integer, out-of-range or unknown answer is
 * a 400 naming the item; another instrument version is a 400), stores the response with its scores,
 * band and flags, and — when PHQ-9 item 9 fired or the score jumped past the instrument's rule — a risk
 * alert in the same transaction, then announces the alert and answers with the stage's crisis
 * resources. With Idempotency-Key: the same key and body replays the first answer, another body is
 * 422, a duplicate in flight is 409 (the idempotency record keeps ids only).
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
  const key = idempotencyKeyOf(request.headers);

  let stored: SurveyResponse | undefined;
  const submit = async (): Promise<SurveyResponseRef & { alerted: boolean }> => {
    const now = systemClock.now();
    const previous = instrument.severityJump
      ? await latestSurveyResponse(principal.sub, instrument.id)
      : undefined;
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
    const audit = newAuditRecord(
      {
        action: 'surveys.submit',
        resourceType: 'survey_response',
        resourceId: response.id,
        subjectId: principal.sub,
        outcome: 'allowed',
        status: 201,
        reason: instrument.id,
      },
      request,
      systemClock,
    );
    await storeSurveyResponse(response, audit, alerts, request, systemClock);
    await announceRiskAlerts(alerts);
    recordMetrics(response);
    stored = response;
    const { userId, instrument: id, submittedAt } = response;
    return { userId, instrument: id, submittedAt, id: response.id, alerted: alerts.length > 0 };
  };

  let outcome: SurveyResponseRef & { alerted: boolean };
  try {
    outcome =
      key === undefined ? await submit() : await runIdempotently(route.id, principal.sub, key, body, submit);
  } catch (error) {
    if (error instanceof IdempotencyKeyReusedError)
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different body; use a new key for a new response.',
      );
    if (error instanceof IdempotencyInProgressError)
      throw new ApiError('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later.', {
        headers: { 'Retry-After': '1' },
      });
    throw error;
  }
  // A replay reads the first response back from the user's partition.
  const replayed = stored === undefined;
  const response = stored ?? (await getSurveyResponse(outcome));
  if (!response) throw notFound('The response of this Idempotency-Key');
  return created(
    { ...response, ...(outcome.alerted ? { crisisResources } : {}) },
    replayed ? { 'Idempotent-Replayed': 'true' } : undefined,
  );
});
