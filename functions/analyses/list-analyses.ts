import type { AnalysisType } from '#contract/analysis.ts';
import type { analysisRoutes } from '#contract/routes/analyses.ts';
import { canReadIndividualData, hasRole, isSelf, NO_CLINICIAN_CONSENT } from '#domain/access-policy.ts';
import { systemClock } from '#domain/clock.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { listAnalyses } from '#data/analysis-repository.ts';
import { auditAccess } from '#data/audit-repository.ts';
import { getClinicianConsent } from '#data/consent-repository.ts';
import { deniedError } from '#http/access.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/**
 * The use case behind GET /analyses/{type}/user/{user_id}: the user, or a clinician with the user's
 * consent (read strongly consistent, so a revocation applies to the next request). Reads by anyone else
 * than the user, allowed or denied, are audited before the answer.
 */
export const listAnalysesHandler = (route: typeof analysisRoutes.listChat, type: AnalysisType) =>
  createApiHandler(route, async (request) => {
    const { principal, params, query } = request;
    const userId = params.user_id;
    const self = isSelf(principal, userId);
    const consent =
      !self && hasRole(principal, 'clinician') ? await getClinicianConsent(userId) : NO_CLINICIAN_CONSENT;
    const decision = canReadIndividualData(principal, userId, consent);
    if (!self) {
      await auditAccess(
        decision,
        {
          action: 'analyses.read',
          resourceType: `${type}_analysis`,
          subjectId: userId,
          status: decision.allowed ? 200 : decision.status,
        },
        request,
        systemClock,
      );
    }
    if (!decision.allowed) throw deniedError(decision);
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
