/**
 * THE table of the functions no route names: the stream aggregator, the scheduled jobs and the Cognito
 * triggers, once. The CDK builds each from its entry (lib/constructs: analytics, purge-job, safety,
 * auth), the bundling pass bundles exactly these entries besides the routes' (lib/build), the local
 * runtime runs the same handler modules on the same settings (lib/local: jobs on the schedule's rate,
 * the stream poller on the stream mapping), and test/infra/event-functions.test.ts checks every entry
 * against the synthesized stage, as the route matrices do for routes.
 *
 * Plain data (seconds and minutes, no CDK types), so the local runtime reads it without aws-cdk-lib.
 * What only AWS has (dead-letter queues, alarms, an EventBridge rule's input) stays in the constructs.
 */
import type { CognitoAdminAction } from './route.ts';
import type { RuntimeSetting } from './runtime-env.ts';

/**
 * How a function may use the table: `read` reads (and may put audit records), `read-write` reads and
 * writes, `put` only puts new items (no update, no delete, no read). Audit records stay append-only
 * whatever the access (lib/constructs/api-function.ts).
 */
export type EventFunctionTableAccess = 'none' | 'read' | 'read-write' | 'put';

/**
 * How the table's stream reaches a function: Lambda's event source mapping in AWS, the local stream
 * poller (lib/local/stream-poller.ts) locally, both from these values.
 */
export interface StreamMapping {
  /** Records per invocation at most. */
  readonly batchSize: number;
  /** How long records are gathered before an invocation; locally the poll interval. */
  readonly maxBatchingWindowSeconds: number;
  /** A batch whose invocation throws is halved and retried, until the failing record is alone. */
  readonly bisectBatchOnError: boolean;
  /** The handler reports failed records (batchItemFailures); the retry starts at the first of them. */
  readonly reportBatchItemFailures: boolean;
  /** Retries of a failing record before it is given up on (dead-lettered) and the shard moves on. */
  readonly retryAttempts: number;
  /** A failing record older than this is given up on at once (the stream keeps 24 h). */
  readonly maxRecordAgeSeconds: number;
  /** Concurrent batches per shard. */
  readonly parallelizationFactor: number;
  /**
   * Where a new mapping starts reading. Locally the poller starts at the trim horizon instead: its
   * processed-record markers make a replay a no-op, and nothing written while it was down is missed.
   */
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
}

/** What invokes an event function. */
export type EventFunctionTrigger =
  | { readonly kind: 'stream'; readonly mapping: StreamMapping }
  | {
      readonly kind: 'schedule';
      /** Minutes between runs (an EventBridge rate in AWS, a timer locally). */
      readonly rateMinutes: number;
      /** EventBridge's retries of a delivery that failed, never after `maxEventAgeMinutes`. */
      readonly deliveryRetries: number;
      readonly maxEventAgeMinutes: number;
    }
  | { readonly kind: 'cognito'; readonly operation: 'preSignUp' | 'postConfirmation' | 'customMessage' };

export interface EventFunctionDefinition {
  /**
   * Stable logical name, unique in the stage with the route ids: `<kind>.<action>` (`streams.`, `job.`,
   * `trigger.`); the function is named `mha-<stage>-<id>` with `.` as `-`.
   */
  readonly id: string;
  /** Handler module relative to the repository root (functions/<streams|jobs|triggers>/); it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Seconds a run may take; unset: the stage's Lambda timeout. */
  readonly timeoutSeconds?: number;
  /** Unset: the stage's Lambda memory. */
  readonly memoryMb?: number;
  readonly table: EventFunctionTableAccess;
  /** The Cognito admin calls the function makes, granted on the stage's pool only. */
  readonly cognitoAdmin?: readonly CognitoAdminAction[];
  /**
   * The runtime settings (shared/contract/runtime-env.ts) the function gets beyond the stage and, with
   * table access, the table name. Fewer than a route function's: a trigger may not name its pool or a
   * client (the pool refers to the trigger, so that would be a cycle).
   */
  readonly settings: readonly RuntimeSetting[];
  readonly trigger: EventFunctionTrigger;
}

/** Cognito waits at most 5 s for a trigger; a slower one fails the sign-up anyway. */
const COGNITO_TRIGGER_TIMEOUT_SECONDS = 5;

/**
 * Every event function, by a key the constructs and the local runtime use. Adding one: a handler module
 * under functions/<streams|jobs|triggers>/, an entry here, and its construct wiring (docs/extending.md).
 */
export const eventFunctions = {
  /**
   * Keeps the per-user, per-department and organisation rollups from the table's stream. Records are
   * applied in stream order, consecutive source records grouped into one transaction each (a group
   * writes each rollup once with the summed deltas), and each failure is reported on its own; a
   * throwing batch is halved until the poisoned record is alone, a record is retried a few times and never after a day
   * (the stream keeps 24 h), then its metadata goes to the dead-letter queue and the shard moves on.
   * LATEST: a new deployment starts with the writes after it (`npm run admin -- rebuild-rollups` covers
   * what came before). A batch of 100 records is ~10 group transactions (100 when every one of them
   * falls back to its own): well inside a minute. Batching window 1 s: at the modelled load a batch holds
   * about 10 records, and fuller batches would save little (most of a record's writes — its ledger, its
   * user's rollups and markers — are its own) while delaying a user's own summary.
   */
  aggregateRollups: {
    id: 'streams.aggregateRollups',
    entry: 'functions/streams/aggregate-rollups.ts',
    description:
      'Table stream: keeps the per-user (day, ISO week, month), per-department and organisation (month) rollups exactly once per record',
    timeoutSeconds: 60,
    table: 'read-write',
    // Which months are closed (a change to one marks its cells revised) follows the analysis window.
    settings: ['analysisTimeWindow'],
    trigger: {
      kind: 'stream',
      mapping: {
        batchSize: 100,
        maxBatchingWindowSeconds: 1,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        maxRecordAgeSeconds: 86_400,
        parallelizationFactor: 1,
        startingPosition: 'LATEST',
      },
    },
  },
  /**
   * Purges the data and the Cognito user of every erasure past its grace period. It takes the whole
   * Lambda maximum: the handler starts no further user when less than a minute is left, so anything
   * shorter than a few minutes would purge nothing; a user's purge is leased (15 min) and resumable, so
   * a run cut short loses nothing either. Hourly: a due erasure waits at most an hour beyond its grace
   * period. EventBridge retries a failed delivery, never after an hour (by then the next run is due).
   */
  purgeErasedUsers: {
    id: 'job.purgeErasedUsers',
    entry: 'functions/jobs/purge-erased-users.ts',
    description: 'Scheduled: purges the data and the Cognito user of every erasure past its grace period',
    timeoutSeconds: 900,
    table: 'read-write',
    // The user itself, by sub, last.
    cognitoAdmin: ['AdminDeleteUser'],
    // The pool does not depend on this function (unlike the triggers), so its id is no cycle.
    settings: ['userPoolId'],
    trigger: { kind: 'schedule', rateMinutes: 60, deliveryRetries: 3, maxEventAgeMinutes: 60 },
  },
  /**
   * Counts the risk alerts still unacknowledged after the stage's `safety.alertAckMinutes` and publishes
   * OverdueRiskAlerts (zero included). A run that is late is useless: the next one comes in five minutes.
   */
  countOverdueAlerts: {
    id: 'job.countOverdueAlerts',
    entry: 'functions/jobs/count-overdue-alerts.ts',
    description: 'Scheduled: counts risk alerts unacknowledged past the stage acknowledgement limit',
    timeoutSeconds: 60,
    table: 'read',
    settings: [],
    trigger: { kind: 'schedule', rateMinutes: 5, deliveryRetries: 2, maxEventAgeMinutes: 5 },
  },
  preSignUp: {
    id: 'trigger.preSignUp',
    entry: 'functions/triggers/pre-sign-up.ts',
    description: 'Cognito pre sign-up: allowed e-mail domains, auto-confirmation per stage',
    timeoutSeconds: COGNITO_TRIGGER_TIMEOUT_SECONDS,
    table: 'none',
    settings: ['allowedEmailDomains', 'autoConfirm'],
    trigger: { kind: 'cognito', operation: 'preSignUp' },
  },
  postConfirmation: {
    id: 'trigger.postConfirmation',
    entry: 'functions/triggers/post-confirmation.ts',
    description: 'Cognito post confirmation: employee group, profile and audit record',
    timeoutSeconds: COGNITO_TRIGGER_TIMEOUT_SECONDS,
    // The new user's profile and its audit record: new items only.
    table: 'put',
    cognitoAdmin: ['AdminAddUserToGroup'],
    settings: [],
    trigger: { kind: 'cognito', operation: 'postConfirmation' },
  },
  /** The e-mail a registration of a taken address sends its owner (functions/auth/register.ts). */
  customMessage: {
    id: 'trigger.customMessage',
    entry: 'functions/triggers/custom-message.ts',
    description: 'Cognito custom message: the notice of a registration attempt on a taken address',
    timeoutSeconds: COGNITO_TRIGGER_TIMEOUT_SECONDS,
    table: 'none',
    settings: [],
    trigger: { kind: 'cognito', operation: 'customMessage' },
  },
} as const satisfies Record<string, EventFunctionDefinition>;

export const eventFunctionTable: readonly EventFunctionDefinition[] = Object.values(eventFunctions);
