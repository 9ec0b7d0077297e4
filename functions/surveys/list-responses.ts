import { listByUserRoute } from '#contract/routes/surveys.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { listSurveyResponses } from '#data/survey-repository.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';
import { authorizeIndividualRead } from './individual-access.ts';

/** A user's responses, newest first, by instrument and time: self or a consented clinician (audited). */
export const handler = createApiHandler(listByUserRoute, async (request) => {
  const { query } = request;
  const userId = request.params.user_id;
  await authorizeIndividualRead(request, userId, { resourceType: 'survey_response' });
  const caller = request.principal.kind === 'user' ? request.principal.sub : '-';
  const scope = `${listByUserRoute.id}:${caller}:${userId}:${query.instrument ?? ''}:${query.from ?? ''}:${query.to ?? ''}`;
  const page = await listSurveyResponses(userId, {
    instrument: query.instrument,
    from: toUtcIso(query.from),
    to: toUtcIso(query.to),
    limit: query.limit,
    startKey: openCursor(query.cursor, scope),
  });
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
