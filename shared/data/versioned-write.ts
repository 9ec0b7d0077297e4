import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Which item of a cancelled transaction failed its condition (index in TransactItems), if any. */
export const failedCondition = (error: unknown): number | undefined => {
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  const index = reasons?.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
  return index === undefined || index < 0 ? undefined : index;
};

/**
 * Optimistic locking for every versioned entity: replaces `item` only if it still has
 * `previousVersion`, together with its audit record (and any extra items) in one transaction. Returns
 * false when another writer got there first, so each repository raises its own conflict error.
 */
export const replaceVersioned = async (
  item: Record<string, unknown>,
  previousVersion: number,
  audit: AuditRecord,
  extra: readonly TransactItem[] = [],
): Promise<boolean> => {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: item,
              ConditionExpression: 'attribute_exists(PK) AND version = :previous',
              ExpressionAttributeValues: { ':previous': previousVersion },
            },
          },
          auditPut(audit),
          ...extra,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (failedCondition(error) === 0) return false;
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
 * record (undefined), or nothing is written and the answer is the index of the first condition that
 * failed (the caller then records the denial). The checks and their trace cost one round trip together,
 * and nothing can change between them.
 */
export const auditIfPermitted = async (
  conditions: readonly AccessCondition[],
  audit: AuditRecord,
): Promise<number | undefined> => {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          ...conditions.map((condition) => ({ ConditionCheck: { TableName: tableName(), ...condition } })),
          auditPut(audit),
        ],
      }),
    );
    return undefined;
  } catch (error) {
    const failed = failedCondition(error);
    if (failed !== undefined && failed < conditions.length) return failed;
    throw error;
  }
};
