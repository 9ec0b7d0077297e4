import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AnalysisType } from '#contract/analysis.ts';
import { metrics } from '#observability/powertools.ts';

/**
 * Counts stored analyses by type (dimension `analysisType`), for the single stores and the batch. A
 * module of its own: the batch importing it from store-analysis.ts kept that module's settings reads.
 */
export const countStored = (type: AnalysisType, count: number): void => {
  if (count === 0) return;
  const metric = metrics.singleMetric();
  metric.addDimension('analysisType', type);
  metric.addMetric('AnalysesStored', MetricUnit.Count, count);
};
