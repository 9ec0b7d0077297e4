import { Duration } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from '../config/index.ts';
import { removalPolicy, ServiceFunction } from './api-function.ts';

/** The scheduled handler (docs/privacy.md, erasure): purges every user whose grace period has ended. */
export const PURGE_JOB_ENTRY = 'functions/jobs/purge-erased-users.ts';

/** The only Cognito call of the purge (the user itself, by sub), on the stage's pool. */
export const PURGE_JOB_COGNITO_ACTIONS = ['cognito-idp:AdminDeleteUser'] as const;

/** How often the purge runs. A due erasure waits at most this long beyond its grace period. */
export const PURGE_JOB_RATE = Duration.hours(1);

/**
 * The whole Lambda maximum. The handler starts no further user when less than a minute is left, so
 * anything shorter than a few minutes would purge nothing; a user's purge is leased (15 min) and
 * resumable, so a run cut short loses nothing either.
 */
export const PURGE_JOB_TIMEOUT = Duration.minutes(15);

/**
 * EventBridge retries a failed delivery (throttling, a service error) this often, and never after the
 * event is an hour old: by then the next run has been scheduled anyway.
 */
export const PURGE_JOB_DELIVERY = { retryAttempts: 3, maxEventAge: Duration.hours(1) } as const;

/**
 * A run that fails (the handler throws only when the whole run cannot proceed; one user's failure is
 * logged and left to the next run) is retried once by Lambda, then recorded in the dead-letter queue.
 */
export const PURGE_JOB_RUN_RETRIES = 1;

export interface PurgeJobProps {
  readonly config: StageConfig;
  readonly table: dynamodb.ITable;
  /** The stage's pool: the purge deletes the Cognito user last. */
  readonly userPool: cognito.IUserPool;
}

/**
 * The erasure purge: a {@link ServiceFunction} run every hour by an EventBridge rule, with read-write
 * table access (it deletes the user's partitions and writes the purge record and its audit record) and
 * AdminDeleteUser on the stage's pool. Events EventBridge could not deliver, and runs that failed after
 * Lambda's retry, land in one encrypted dead-letter queue.
 */
export class PurgeJob extends Construct {
  readonly function: ServiceFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PurgeJobProps) {
    super(scope, id);
    const { config, table, userPool } = props;
    const name = `mha-${config.stage}-purge-erased-users`;

    // Messages hold the scheduled event or Lambda's failure record (ids and error text, no user data).
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${name}-dlq`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: removalPolicy(config),
    });

    this.function = new ServiceFunction(this, 'Purge', {
      config,
      name: 'job.purgeErasedUsers',
      entry: PURGE_JOB_ENTRY,
      description: 'Scheduled: purges the data and the Cognito user of every erasure past its grace period',
      timeout: PURGE_JOB_TIMEOUT,
      // The pool does not depend on this function (unlike the triggers), so its id is no cycle.
      environment: { [ENV.userPoolId]: userPool.userPoolId },
    });
    this.function.bindTable(table, 'RW');
    userPool.grant(this.function.function, ...PURGE_JOB_COGNITO_ACTIONS);

    // Lambda's own retries of an asynchronous invocation: the schedule is the main retry.
    this.function.function.configureAsyncInvoke({
      retryAttempts: PURGE_JOB_RUN_RETRIES,
      maxEventAge: PURGE_JOB_DELIVERY.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    this.rule = new events.Rule(this, 'Schedule', {
      ruleName: name,
      description: 'Runs the erasure purge every hour',
      schedule: events.Schedule.rate(PURGE_JOB_RATE),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          ...PURGE_JOB_DELIVERY,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
