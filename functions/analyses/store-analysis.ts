import { randomUUID } from 'node:crypto';
import type { Analysis, AnalysisInput, AnalysisType } from '#contract/analysis.ts';
import type { RouteDefinition } from '#contract/route.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { canWriteAnalysis } from '#domain/access-policy.ts';
import { nameBasedUuid, planAnalysis } from '#domain/analysis.ts';
import { systemClock } from '#domain/clock.ts';
import type { Principal } from '#domain/principal.ts';
import { analyzedAtProblem } from '#domain/reporting-window.ts';
import { rawTextPolicyOf } from '#domain/retention.ts';
import { getAnalysis, storeAnalysis } from '#data/analysis-repository.ts';
import { auditAccess, auditRecord } from '#data/audit-repository.ts';
import { alertTransactItems, recordRiskAlertsRaised } from '#data/risk-alerts.ts';
import { deniedError } from '#http/access.ts';
import { conflict, notFound, validationFailed } from '#http/errors.ts';
import { createApiHandler, created } from '#http/handler-factory.ts';
import { idempotent, type ReplayCodec } from '#http/idempotency.ts';
import { countStored } from './count-stored.ts';

/**
 * The use case behind POST /analyses/{chat,speech,video} (one handler file per type wires it to its
 * route). Who: the user themselves, or a pipeline naming the user. Missing user → 404; a closed account
 * (deactivated or erasure requested) → 409: it exists, but accepts no new data.
 */
const rawText = rawTextPolicyOf(runtimeEnv());
/** analyzedAt far from its receipt is refused (docs/anonymity.md: a datum may not be placed where it shows). */
const timeWindow = runtimeEnv().analysisTimeWindow;

/** The user an analysis is for: a user writes for themselves by default; a pipeline must name one. */
export const targetUserOf = (
  principal: Principal,
  named: string | undefined,
  field = 'body.userId',
): string => {
  if (named !== undefined) return named;
  if (principal.kind === 'user') return principal.sub;
  throw validationFailed([{ field, code: 'invalid_type', message: 'is required' }]);
};

/** The Idempotency-Key record keeps the analysis' key parts only; a replay reads the analysis again. */
const analysisReplay: ReplayCodec = {
  keep: ({ statusCode, body }) => {
    const { id, userId, type, analyzedAt } = body as Analysis;
    return { statusCode, body: { id, userId, type, analyzedAt } };
  },
  restore: async ({ statusCode, body }) => {
    const ref = body as Pick<Analysis, 'id' | 'userId' | 'type' | 'analyzedAt'>;
    // Gone (expired or erased) since: the ids are all there is to replay.
    return { statusCode, body: (await getAnalysis(ref)) ?? ref };
  },
};

export const storeAnalysisHandler = <
  Route extends RouteDefinition<{ body: RouteDefinition['request']['body'] }>,
>(
  route: Route,
  type: AnalysisType,
) =>
  createApiHandler(route, async (request) => {
    const body = request.body as AnalysisInput;
    const userId = targetUserOf(request.principal, body.userId);
    const decision = canWriteAnalysis(request.principal, userId);
    if (!decision.allowed) {
      await auditAccess(
        decision,
        {
          resourceType: `${type}_analysis`,
          subjectId: userId,
          status: decision.status,
        },
        request,
      );
      throw deniedError(decision);
    }
    return idempotent(
      request,
      route.id,
      systemClock,
      async (scopedKey) => {
        const now = systemClock.now();
        const late = analyzedAtProblem(body.analyzedAt, now, timeWindow, 'body.analyzedAt');
        if (late) throw validationFailed([late]);
        const id = scopedKey ? nameBasedUuid(`${route.id}|${scopedKey}|0`) : randomUUID();
        const planned = planAnalysis({ type, body, userId, id, alertId: randomUUID(), now, rawText });
        const audit = auditRecord(
          {
            resourceType: `${type}_analysis`,
            resourceId: id,
            subjectId: userId,
            status: 201,
          },
          request,
        );
        const alertItems = planned.alert ? alertTransactItems(planned.alert, request, systemClock) : [];
        const result = await storeAnalysis({ planned, audit, alertItems });
        switch (result.outcome) {
          case 'user_missing':
            throw notFound('The user');
          case 'user_inactive':
            throw conflict('The user’s account is closed; it accepts no new data.');
          case 'duplicate':
            return created(result.analysis);
          case 'stored':
            countStored(type, 1);
            if (planned.alert) recordRiskAlertsRaised([planned.alert]);
            return created(result.analysis);
        }
      },
      analysisReplay,
    );
  });
