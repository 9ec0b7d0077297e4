import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

/**
 * Records an access decision that must leave a trace: every denial, and allowed reads of another user's
 * data (written before the data is returned). Returns the decision for the caller to act on.
 */
export const auditAccess = async <D extends { allowed: boolean; status?: number; reason?: string }>(
  decision: D,
  event: Omit<AuditEvent, 'outcome' | 'status' | 'reason'> & { status: number },
  context: AuditRequestContext,
  clock: Clock,
): Promise<D> => {
  await writeAudit(
    decision.allowed
      ? { ...event, outcome: 'allowed' }
      : {
          ...event,
          outcome: 'denied',
          status: decision.status ?? 403,
          ...(decision.reason ? { reason: decision.reason } : {}),
        },
    context,
    clock,
  );
  return decision;
};

const toEntry = (item: Record<string, unknown>): AuditRecord => {
  const {
    PK: _pk,
    SK: _sk,
    GSI1PK: _g1,
    GSI1SK: _g1s,
    entityType: _type,
    createdAt: _created,
    ...record
  } = item;
  return record as unknown as AuditRecord;
};

export interface AuditQuery {
  limit: number;
  startKey: Record<string, unknown> | undefined;
  /** Inclusive ISO bounds. */
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
}

const actorFilter = (actorId: string | undefined) =>
  actorId
    ? {
        FilterExpression: '#actor.#id = :actor',
        ExpressionAttributeNames: { '#actor': 'actor', '#id': 'id' },
      }
    : {};

/** A subject's audit records, newest first (Query PK = AUDIT#subject; the sort key starts with the time). */
export const auditOfSubject = async (subject: string, query: AuditQuery) => {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': `AUDIT#${subject}`,
        ':from': query.from ?? '0',
        ':to': `${query.to ?? '9'}~`,
        ...(query.actorId ? { ':actor': query.actorId } : {}),
      },
      ...actorFilter(query.actorId),
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toEntry), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** One day's audit records across subjects, newest first (GSI1 AUDITDAY#<day>). */
export const auditOfDay = async (day: string, query: AuditQuery) => {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': `AUDITDAY#${day}`,
        ':from': query.from ?? '0',
        ':to': query.to ?? '9',
        ...(query.actorId ? { ':actor': query.actorId } : {}),
      },
      ...actorFilter(query.actorId),
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toEntry), lastEvaluatedKey: result.LastEvaluatedKey };
};
