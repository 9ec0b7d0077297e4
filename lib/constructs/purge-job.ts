import { Duration } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventFunctions } from '../../shared/contract/event-functions.ts';
import type { StageConfig } from '../config/index.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { cognitoAdminActionsOf, EventFunction } from './api-function.ts';

const { purgeErasedUsers } = eventFunctions;

/** The scheduled handler (docs/privacy.md, erasure): purges every user whose grace period has ended. */
export const PURGE_JOB_ENTRY = purgeErasedUsers.entry;

/** The only Cognito call of the purge (the user itself, by sub), on the stage's pool. */
export const PURGE_JOB_COGNITO_ACTIONS = cognitoAdminActionsOf(purgeErasedUsers);

/** How often the purge runs (its table entry says why). */
export const PURGE_JOB_RATE = Duration.minutes(purgeErasedUsers.trigger.rateMinutes);

/** EventBridge's retries of a failed delivery (throttling, a service error), and for how long. */
export const PURGE_JOB_DELIVERY = {
  retryAttempts: purgeErasedUsers.trigger.deliveryRetries,
  maxEventAge: Duration.minutes(purgeErasedUsers.trigger.maxEventAgeMinutes),
} as const;

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
 * The erasure purge: an {@link EventFunction} from its table entry, run every hour by an EventBridge rule, with read-write
 * table access (it deletes the user's partitions and writes the purge record and its audit record) and
 * AdminDeleteUser on the stage's pool. Events EventBridge could not deliver, and runs that failed after
 * Lambda's retry, land in one encrypted dead-letter queue.
 */
export class PurgeJob extends Construct {
  readonly function: EventFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PurgeJobProps) {
    super(scope, id);
    const { config, table, userPool } = props;
    const name = `mha-${config.stage}-purge-erased-users`;

    // Messages hold the scheduled event or Lambda's failure record (ids and error text, no user data).
    this.deadLetterQueue = deadLetterQueue(this, name, config);

    this.function = new EventFunction(this, 'Purge', {
      config,
      definition: purgeErasedUsers,
      table,
      resources: { userPoolId: userPool.userPoolId },
    });
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
