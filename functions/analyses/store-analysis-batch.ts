import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ANALYSIS_INPUTS_CHECKED, type AnalysisBatchResult, type AnalysisInput } from '#contract/analysis.ts';
import type { ErrorDetail } from '#contract/common.ts';
import { storeBatchCheckedRoute } from '#contract/routes/analyses.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { nameBasedUuid, planAnalysis } from '#domain/analysis.ts';
import { systemClock } from '#domain/clock.ts';
import { analyzedAtProblem } from '#domain/reporting-window.ts';
import { rawTextPolicyOf } from '#domain/retention.ts';
import { storeAnalysisBatch, type BatchAnalysisWrite } from '#data/analysis-repository.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { alertTransactItems, recordRiskAlertsRaised } from '#data/risk-alerts.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { idempotent, WHOLE_RESPONSE } from '#http/idempotency.ts';
import { parseInto } from '#http/validation.ts';
import { metrics } from '#observability/powertools.ts';
import { countStored } from './count-stored.ts';

const route = storeBatchCheckedRoute;
const rawText = rawTextPolicyOf(runtimeEnv());
const timeWindow = runtimeEnv().analysisTimeWindow;
type ItemResult = AnalysisBatchResult['results'][number];

const closedAccount = {
  status: 409,
  error: { code: 'CONFLICT', message: 'The user’s account is closed; it accepts no new data.' },
} as const;

/**
 * POST /analyses/{type}/batch (pipelines): up to 100 items, each validated on its own and answered
 * with the status it would have had alone (201, 400 naming its fields — an analyzedAt outside the time
 * window included —, 404 unknown user, 409 closed account); the valid ones are stored audit first: one
 * transaction per ≤ 99 actions commits each user's account check and ONE audit record naming all of
 * that user's analyses (and the analyses that raised an alert, with their alerts), then BatchWriteItem
 * writes the rest (analysis-repository.ts storeAnalysisBatch). Under an
 * Idempotency-Key the ids derive from (caller, key, index): a retry of a batch that failed half-way
 * stores the missing items and reports the others as stored.
 */
export const handler = createApiHandler(route, async (request) =>
  idempotent(
    request,
    route.id,
    systemClock,
    async (scopedKey) => {
      const { type } = request.params;
      const { items } = request.body;
      const now = systemClock.now();
      const results: ItemResult[] = [];
      const candidates: Array<{ index: number; body: AnalysisInput & { userId: string } }> = [];

      items.forEach((raw, index) => {
        const details: ErrorDetail[] = [];
        const data = parseInto(details, 'body', ANALYSIS_INPUTS_CHECKED[type], raw);
        if (data) {
          if (data.userId === undefined)
            details.push({ field: 'body.userId', code: 'invalid_type', message: 'is required' });
          const late = analyzedAtProblem(data.analyzedAt, now, timeWindow, 'body.analyzedAt');
          if (late) details.push(late);
        }
        if (!data || details.length > 0 || data.userId === undefined) {
          results.push({
            index,
            status: 400,
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The item is not valid; see details for each field.',
              details: details.map((d) => ({ ...d, field: d.field.replace(/^body/, `body.items.${index}`) })),
            },
          });
          return;
        }
        candidates.push({ index, body: { ...data, userId: data.userId } });
      });

      // No profile is read up front: each user's account check is in the transaction that writes their
      // audit record, and only the users it refuses are read, to tell 404 from 409.
      const writes: Array<BatchAnalysisWrite & { index: number }> = [];
      for (const { index, body } of candidates) {
        const id = scopedKey ? nameBasedUuid(`${route.id}|${type}|${scopedKey}|${index}`) : randomUUID();
        const planned = planAnalysis({
          type,
          body,
          userId: body.userId,
          id,
          alertId: randomUUID(),
          now,
          rawText,
        });
        const alertItems = planned.alert ? alertTransactItems(planned.alert, request, systemClock) : [];
        writes.push({ index, planned, alertItems });
      }

      const outcomes = await storeAnalysisBatch(writes, (subjectId, analysisIds) =>
        auditRecord(
          {
            resourceType: `${type}_analysis`,
            resourceIds: analysisIds,
            subjectId,
            status: 201,
            reason: 'batch',
          },
          request,
        ),
      );
      const newlyStored = writes.filter((write) => outcomes.get(write) === 'stored');
      let stored = 0;
      for (const write of writes) {
        const outcome = outcomes.get(write);
        if (outcome === 'user_missing')
          results.push({
            index: write.index,
            status: 404,
            error: { code: 'NOT_FOUND', message: 'The user was not found.' },
          });
        else if (outcome === 'user_inactive') results.push({ index: write.index, ...closedAccount });
        else {
          results.push({ index: write.index, status: 201, id: write.planned.analysis.id });
          stored += 1;
        }
      }
      recordRiskAlertsRaised(
        newlyStored.flatMap((write) => (write.planned.alert ? [write.planned.alert] : [])),
      );

      countStored(type, newlyStored.length);
      metrics.addMetric('AnalysisBatchSize', MetricUnit.Count, items.length);
      metrics.addMetric('AnalysisBatchItemsRejected', MetricUnit.Count, items.length - stored);
      results.sort((a, b) => a.index - b.index);
      return ok({ results, stored, failed: items.length - stored } satisfies AnalysisBatchResult);
    },
    WHOLE_RESPONSE,
  ),
);
