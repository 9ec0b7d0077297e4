import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../client.ts';

/** One action of TransactWriteItems, as the document client takes it. */
export type TransactAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

type Put = Omit<NonNullable<TransactAction['Put']>, 'TableName'>;
type Update = Omit<NonNullable<TransactAction['Update']>, 'TableName'>;
type Delete = Omit<NonNullable<TransactAction['Delete']>, 'TableName'>;
type ConditionCheck = Omit<NonNullable<TransactAction['ConditionCheck']>, 'TableName'>;

/** Why one named action cancelled the transaction (DynamoDB's code: ConditionalCheckFailed, TransactionConflict…). */
export interface FailedAction {
  readonly action: string;
  readonly code: string;
}

/**
 * A transaction was cancelled: `failures` names each action that had a reason (the others were fine),
 * so a caller asks `failed('account')` instead of decoding positions, and adding an action to a
 * transaction cannot shift what an old index meant. The SDK's error is the cause (the error mapper
 * reads a throttled cancellation from it: 503).
 */
export class TransactionFailedError extends Error {
  override name = 'TransactionFailedError';
  constructor(
    readonly failures: readonly FailedAction[],
    cause: unknown,
  ) {
    super(
      `transaction cancelled: ${failures.map((f) => `${f.action} ${f.code}`).join(', ') || 'no reason given'}`,
      { cause },
    );
  }

  /** Whether the named action (or any action whose name starts with `name:` when it ends in `:*`) failed with `code`. */
  failed(action: string, code = 'ConditionalCheckFailed'): boolean {
    return this.failures.some((failure) => failure.code === code && matches(failure.action, action));
  }

  /** The names of the actions whose condition failed. */
  get failedConditions(): string[] {
    return this.failures.filter((f) => f.code === 'ConditionalCheckFailed').map((f) => f.action);
  }

  /**
   * Lost a race and nothing else: every reason is a failed condition or a conflict (read again, try
   * again). Also true without reasons: the caller check (caller-access.ts) removes its own, a conflict.
   */
  get contended(): boolean {
    return this.failures.every(
      (f) => f.code === 'ConditionalCheckFailed' || f.code === 'TransactionConflict',
    );
  }

  /** Only conflicts with other transactions: the same transaction may simply be sent again. */
  get conflictsOnly(): boolean {
    return this.failures.length > 0 && this.failures.every((f) => f.code === 'TransactionConflict');
  }
}

const matches = (name: string, pattern: string): boolean =>
  pattern.endsWith(':*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/**
 * TransactWriteItems with named actions. Names need not be unique: a group of similar actions may
 * share one (`ledger`) or carry an index (`marker:3`, matched by `marker:*`).
 */
export class Transaction {
  private readonly names: string[] = [];
  private readonly actions: TransactAction[] = [];

  /** An action built elsewhere (auditPut, a condition helper), under a name. */
  add(name: string, action: TransactAction): this {
    this.names.push(name);
    this.actions.push(action);
    return this;
  }

  /** Several actions built elsewhere under one name. */
  addAll(name: string, actions: readonly TransactAction[]): this {
    for (const action of actions) this.add(name, action);
    return this;
  }

  put(name: string, put: Put): this {
    return this.add(name, { Put: { TableName: tableName(), ...put } });
  }

  update(name: string, update: Update): this {
    return this.add(name, { Update: { TableName: tableName(), ...update } });
  }

  delete(name: string, remove: Delete): this {
    return this.add(name, { Delete: { TableName: tableName(), ...remove } });
  }

  conditionCheck(name: string, check: ConditionCheck): this {
    return this.add(name, { ConditionCheck: { TableName: tableName(), ...check } });
  }

  get size(): number {
    return this.actions.length;
  }

  /** The actions as sent (for size estimates and tests). */
  get items(): readonly TransactAction[] {
    return this.actions;
  }

  /**
   * Sends the transaction. A cancellation becomes TransactionFailedError naming the actions that
   * failed; every other error is thrown as it is.
   */
  async send(): Promise<void> {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [...this.actions] }));
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** The named failure of a cancellation, or the error unchanged. */
  explain(error: unknown): unknown {
    if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return error;
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string } | null> }).CancellationReasons;
    const failures = (Array.isArray(reasons) ? reasons : []).flatMap((reason, index) => {
      const code = reason?.Code ?? 'None';
      return code === 'None' ? [] : [{ action: this.names[index] ?? `#${index}`, code }];
    });
    return new TransactionFailedError(failures, error);
  }
}

export const transaction = (): Transaction => new Transaction();
