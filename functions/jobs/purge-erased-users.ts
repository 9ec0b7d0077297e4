import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { AuditRequestContext } from '#domain/audit.ts';
import { systemClock } from '#domain/clock.ts';
import { deleteCognitoUser } from '#data/cognito/users.ts';
import { findDueErasures } from '#data/erasure-repository.ts';
import { logger, metrics } from '#observability/powertools.ts';
import { purgeErasedUser, type PurgeOptions } from '#workflows/purge-erased-user.ts';

/** The job's identity in audit records. */
export const PURGE_JOB_ID = 'purge-erased-users';

export interface PurgeJobOptions {
  /** Items per BatchWriteItem (≤ 25). */
  chunkSize?: number;
  /** Fault injection (tests): stop each user's purge after this many deletions, as a crash would. */
  interruptAfterDeletes?: number;
  /** Only these users (tests, so parallel suites do not purge each other's users). */
  onlySubs?: readonly string[];
}

export interface PurgeJobSummary {
  asOf: string;
  due: number;
  purged: number;
  skipped: number;
  failed: number;
}

/** Leave this much of the function's time unused: a user is not started without it. */
const RESERVE_MS = 60_000;

/**
 * Scheduled job (EventBridge rule, e.g. every 10 minutes): purges every user whose erasure request is
 * due as of the event's time. One user's failure does not stop the others; an interrupted user is
 * resumed by the next run (the request item keeps the progress). Nothing here is retried by throwing:
 * the schedule is the retry.
 */
export const createPurgeJobHandler =
  (options: PurgeJobOptions = {}) =>
  async (event: Pick<ScheduledEvent, 'id' | 'time'>, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const asOf = new Date(event.time);
    if (Number.isNaN(asOf.getTime())) throw new Error('scheduled event without a valid time');
    const audit: AuditRequestContext = {
      principal: { kind: 'machine', clientId: PURGE_JOB_ID, scopes: [] },
      requestId: event.id,
      sourceIp: 'internal',
      userAgent: 'eventbridge-scheduled-event',
    };
    const purgeOptions: PurgeOptions = {
      now: asOf,
      context: audit,
      clock: systemClock,
      ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
      ...(options.interruptAfterDeletes !== undefined
        ? { interruptAfterDeletes: options.interruptAfterDeletes }
        : {}),
    };
    const only = options.onlySubs ? new Set(options.onlySubs) : undefined;
    const due = (await findDueErasures(asOf)).filter((sub) => !only || only.has(sub));
    const summary: PurgeJobSummary = {
      asOf: asOf.toISOString(),
      due: due.length,
      purged: 0,
      skipped: 0,
      failed: 0,
    };
    for (const sub of due) {
      if (context && context.getRemainingTimeInMillis() < RESERVE_MS) break;
      try {
        const outcome = await purgeErasedUser(sub, purgeOptions, deleteCognitoUser);
        if (outcome.kind === 'purged') {
          summary.purged++;
          logger.info('user purged', { sub, counts: outcome.counts });
        } else {
          summary.skipped++;
          logger.info('purge skipped', { sub, reason: outcome.reason });
        }
      } catch (error) {
        summary.failed++;
        logger.error('purge failed; the next run resumes it', { sub, error });
      }
    }
    metrics.addMetric('UsersPurged', MetricUnit.Count, summary.purged);
    metrics.addMetric('PurgeFailures', MetricUnit.Count, summary.failed);
    metrics.publishStoredMetrics();
    return summary;
  };

export const handler = createPurgeJobHandler();
