import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { runtimeEnv } from '#contract/runtime-env.ts';

/** One namespace for every business and technical metric; dashboards and alarms read it. */
export const METRICS_NAMESPACE = 'MentalHealthAnalytics';
export const SERVICE_NAME = 'mha-api';

const { stage } = runtimeEnv();

/**
 * Structured JSON logs. Rule for every caller: log ids, codes and counts only — never answer values,
 * message text, transcripts or other health data.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME, persistentKeys: { stage } });

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  defaultDimensions: { stage },
});
