import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as OverdueAlertsJob from '../../functions/jobs/count-overdue-alerts.ts';
import type { OverdueAlertsSummary } from '../../functions/jobs/count-overdue-alerts.ts';
import type * as PurgeJob from '../../functions/jobs/purge-erased-users.ts';
import type { PurgeJobOptions, PurgeJobSummary } from '../../functions/jobs/purge-erased-users.ts';
import { eventFunctions } from '../../shared/contract/event-functions.ts';
import { REPO_ROOT } from '../repo-root.ts';

/**
 * Scheduled jobs of the local runtime. In AWS an EventBridge rule invokes each job's Lambda; locally
 * there is no scheduler, so the runtime calls the same handler modules (their entries in the event
 * function table) with a synthetic scheduled event, at the table's rates (lib/local/runtime.ts).
 * The handlers read their settings from process.env at import, so call these after the runtime set it.
 */

type PurgeModule = typeof PurgeJob;
let purgeModule: Promise<PurgeModule> | undefined;
const loadPurgeModule = (): Promise<PurgeModule> =>
  (purgeModule ??= import(
    pathToFileURL(join(REPO_ROOT, eventFunctions.purgeErasedUsers.entry)).href
  ) as Promise<PurgeModule>);

type OverdueAlertsModule = typeof OverdueAlertsJob;
let overdueAlertsModule: Promise<OverdueAlertsModule> | undefined;
const loadOverdueAlertsModule = (): Promise<OverdueAlertsModule> =>
  (overdueAlertsModule ??= import(
    pathToFileURL(join(REPO_ROOT, eventFunctions.countOverdueAlerts.entry)).href
  ) as Promise<OverdueAlertsModule>);

/** An EventBridge "Scheduled Event" as a rule delivers it, at `asOf`. */
export const scheduledEvent = (asOf: Date, ruleName = 'local-schedule') => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event' as const,
  source: 'aws.events' as const,
  account: '000000000000',
  time: asOf.toISOString(),
  region: 'us-east-1',
  resources: [`arn:aws:events:us-east-1:000000000000:rule/${ruleName}`],
  detail: {},
});

/** Runs the purge of erased users as of `asOf` (the event time the handler treats as "now"). */
export const runPurgeJob = async (asOf: Date, options?: PurgeJobOptions): Promise<PurgeJobSummary> => {
  const module = await loadPurgeModule();
  const handler = options ? module.createPurgeJobHandler(options) : module.handler;
  return handler(scheduledEvent(asOf, 'purge-erased-users'));
};

/**
 * Counts the overdue risk alerts as of `asOf`, with the stage's acknowledgement limit, as the safety
 * construct's rule does in AWS (lib/constructs/safety.ts).
 */
export const runOverdueAlertsJob = async (
  asOf: Date,
  ackLimitMinutes: number,
): Promise<OverdueAlertsSummary> =>
  (await loadOverdueAlertsModule()).handler({ time: asOf.toISOString(), ackLimitMinutes });
