import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  auditPartitionOf,
  buildAuditRecord,
  type AuditEvent,
  type AuditRecord,
  type AuditRequestContext,
} from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import { documentClient, tableName } from './client.ts';
import { keys } from './keys.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const auditItem = (record: AuditRecord) => ({
  ...keys.audit(auditPartitionOf(record), record.at, record.id),
  entityType: 'AUDIT',
  ...record,
  createdAt: record.at,
});

/**
 * Audit items are only ever put, with a condition that the key is new: IAM denies updates and deletes
 * on them, and the condition makes an id collision fail instead of overwriting.
 */
export const auditPut = (record: AuditRecord): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: auditItem(record),
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

export const newAuditRecord = (event: AuditEvent, context: AuditRequestContext, clock: Clock): AuditRecord =>
  buildAuditRecord(event, context, clock.now(), randomUUID());

/** Writes one audit record on its own (reads and denials; mutations put theirs in their transaction). */
export const writeAudit = async (
  event: AuditEvent,
  context: AuditRequestContext,
  clock: Clock,
): Promise<AuditRecord> => {
  const record = newAuditRecord(event, context, clock);
  await documentClient.send(new PutCommand(auditPut(record).Put!));
  return record;
};
