import type { AnalysisType } from '#contract/analysis.ts';
import type { listChatRoute } from '#contract/routes/analyses.ts';
import { systemClock } from '#domain/clock.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { listAnalyses } from '#data/analysis-repository.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';
import { authorizeIndividualRead } from '../surveys/individual-access.ts';

/**
 * The use case behind GET /analyses/{type}/user/{user_id}: the user, or a clinician with the user's
 * consent (authorizeIndividualRead: consent checked and the read recorded in one transaction, so a
 * revocation applies to the next request). Denials are audited too.
 */
export const listAnalysesHandler = (route: typeof listChatRoute, type: AnalysisType) =>
  createApiHandler(route, async (request) => {
    const { principal, params, query } = request;
    const userId = params.user_id;
    await authorizeIndividualRead(request, userId, {
      resourceType: `${type}_analysis`,
    });
    const from = toUtcIso(query.from);
    const to = toUtcIso(query.to);
    if (from && to && from > to) {
      throw validationFailed([{ field: 'query.from', code: 'after_to', message: 'must not be after `to`' }]);
    }
    const caller = principal.kind === 'user' ? principal.sub : '-';
    const scope = `${route.id}:${caller}:${userId}:${from ?? ''}:${to ?? ''}`;
    const page = await listAnalyses(userId, type, {
      limit: query.limit,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      startKey: openCursor(query.cursor, scope),
      now: systemClock.now(),
    });
    return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
  });
