import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';

/**
 * Optimistic locking for every versioned entity: replaces `item` only if it still has
 * `previousVersion`, together with its audit record (and any extra items) in one transaction. Returns
 * false when another writer got there first, so each repository raises its own conflict error.
 */
export const replaceVersioned = async (
  item: Record<string, unknown>,
  previousVersion: number,
  audit: AuditRecord,
  extra: readonly TransactAction[] = [],
): Promise<boolean> => {
  try {
    await transaction()
      .put('item', {
        Item: item,
        ConditionExpression: 'attribute_exists(PK) AND version = :previous',
        ExpressionAttributeValues: { ':previous': previousVersion },
      })
      .add('audit', auditPut(audit))
      .addAll('extra', extra)
      .send();
    return true;
  } catch (error) {
    if (error instanceof TransactionFailedError && error.failed('item')) return false;
    throw error;
  }
};

/** An item whose state grants an access: a consent, a department's manager entry. */
export interface AccessCondition {
  Key: Record<string, unknown>;
  ConditionExpression: string;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * The audit record of an allowed read whose permission rests on items, written in ONE transaction
 * with a ConditionCheck of each: either every condition holds at that instant and the read is on
 * record (undefined), or nothing is written and the answer is the name of the first condition that
 * failed (the caller then records the denial). The checks and their trace cost one round trip together,
 * and nothing can change between them.
 */
export const auditIfPermitted = async <Name extends string>(
  conditions: Readonly<Record<Name, AccessCondition>>,
  audit: AuditRecord,
): Promise<Name | undefined> => {
  const names = Object.keys(conditions) as Name[];
  const tx = transaction();
  for (const name of names) tx.conditionCheck(name, conditions[name]);
  try {
    await tx.add('audit', auditPut(audit)).send();
    return undefined;
  } catch (error) {
    const failed = error instanceof TransactionFailedError ? error.failedConditions : [];
    const first = names.find((name) => failed.includes(name));
    if (first !== undefined) return first;
    throw error;
  }
};
