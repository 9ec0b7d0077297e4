import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, runtimeEnv, SERVICE_NAME } from '#contract/runtime-env.ts';

const { stage } = runtimeEnv();

/**
 * Structured JSON logs. Rule for every caller: log ids, codes and counts only — never answer values,
 * message text, transcripts or other health data.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME, persistentKeys: { stage } });

/**
 * Metrics warnings go to the structured logger, except "no application metrics to publish", which is
 * the normal case for a request that records no business metric and would otherwise log on every call.
 */
const metricsLogger = {
  trace: (...args: unknown[]) => logger.trace(String(args[0])),
  debug: (...args: unknown[]) => logger.debug(String(args[0])),
  info: (...args: unknown[]) => logger.info(String(args[0])),
  warn: (...args: unknown[]) => {
    const message = String(args[0]);
    if (!message.startsWith('No application metrics to publish')) logger.warn(message);
  },
  error: (...args: unknown[]) => logger.error(String(args[0])),
};

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  defaultDimensions: { stage },
  logger: metricsLogger,
});
