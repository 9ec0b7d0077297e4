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
