import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AuditEntry } from '#contract/audit-entry.ts';
import {
  auditPartitionOf,
  buildAuditRecord,
  currentAuditAction,
  type AuditEvent,
  type AuditOutcome,
  type AuditRecord,
  type AuditRequestContext,
} from '#domain/audit.ts';
import { auditVisibilityOf } from '#domain/audit-visibility.ts';
import { systemClock, type Clock } from '#domain/clock.ts';
import { callerAccessPending } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { transaction, type TransactAction } from './dynamodb/transaction.ts';

/**
 * The stored item: the record, its visibility (decided once, at write time, by
 * shared/domain/audit-visibility.ts) and, for administrative records only, the keys of the admins'
 * indexes (GSI2 by month, GSI3 by subject), so an admin's search never reads a record it may not show.
 */
export const auditItem = (record: AuditRecord) => {
  const partition = auditPartitionOf(record);
  const visibility = auditVisibilityOf(record);
  return {
    ...keys.audit(partition, record.at, record.id),
    ...(visibility === 'administrative' ? keys.administrativeAudit(partition, record.at) : {}),
    entityType: 'AUDIT',
    ...record,
    visibility,
    createdAt: record.at,
  };
};

/**
 * Audit items are only ever put, with a condition that the key is new: IAM denies updates and deletes
 * on them, and the condition makes an id collision fail instead of overwriting.
 */
export const auditPut = (record: AuditRecord): TransactAction => ({
  Put: {
    TableName: tableName(),
    Item: auditItem(record),
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/**
 * What a use case says about what it did: the target (resource, subject), the status and a reason. The
 * action defaults to the id of the route being served (`context.routeId`) and the outcome to allowed.
 */
export type AuditedAction = Omit<AuditEvent, 'action' | 'outcome'> & {
  action?: string;
  outcome?: AuditOutcome;
};

/**
 * The one way to build an audit record: the actor, request id, source and user agent come from the
 * request context, the time from the clock, the id is new. Handlers and use cases hand the finished
 * record to a repository, which puts it in the change's transaction (`auditPut`).
 */
export const auditRecord = (
  event: AuditedAction,
  context: AuditRequestContext,
  clock: Clock = systemClock,
): AuditRecord => {
  const action = event.action ?? context.routeId;
  if (!action) throw new Error('An audit record written outside a route must name its action.');
  return buildAuditRecord(
    { ...event, action, outcome: event.outcome ?? 'allowed' },
    context,
    clock.now(),
    randomUUID(),
  );
};

/**
 * Writes one audit record on its own (reads and denials; mutations put theirs in their transaction).
 * While the caller's access is still unchecked (shared/data/caller-access.ts), the record goes in a
 * transaction, which then carries that check: the record of a read and the check cost one round trip.
 */
export const writeAudit = async (
  event: AuditedAction,
  context: AuditRequestContext,
  clock: Clock = systemClock,
): Promise<AuditRecord> => {
  const record = auditRecord(event, context, clock);
  if (callerAccessPending()) await transaction().add('audit', auditPut(record)).send();
  else await documentClient.send(new PutCommand(auditPut(record).Put!));
  return record;
};

/** TransactWriteItems takes at most 100 actions. */
const MAX_TRANSACTION_ACTIONS = 100;

/**
 * Many finished audit records (one per item a page shows), 100 to a transaction: each transaction
 * writes all of its records or none, and the caller check rides on the first.
 */
export const writeAuditRecords = async (records: readonly AuditRecord[]): Promise<void> => {
  for (let start = 0; start < records.length; start += MAX_TRANSACTION_ACTIONS)
    await transaction()
      .addAll('audit', records.slice(start, start + MAX_TRANSACTION_ACTIONS).map(auditPut))
      .send();
};

/**
 * Records an access decision that must leave a trace: every denial, and allowed reads of another user's
 * data (written before the data is returned). Returns the decision for the caller to act on.
 */
export const auditAccess = async <D extends { allowed: boolean; status?: number; reason?: string }>(
  decision: D,
  event: Omit<AuditedAction, 'outcome' | 'status' | 'reason'> & { status: number },
  context: AuditRequestContext,
  clock: Clock = systemClock,
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

/**
 * A stored record as the API shows it: parsed by the entry's own schema (which keeps the record's
 * fields and drops the item's keys, entity type, visibility and index attributes; a row that is not a
 * record throws instead of being shown half-read), under its action's current name
 * (`currentAuditAction`).
 */
export const auditEntryOf = (item: Record<string, unknown>): AuditRecord => {
  const record: AuditRecord = AuditEntry.parse(item);
  const action = currentAuditAction(record);
  return action === record.action ? record : { ...record, action };
};

export interface AuditQuery {
  limit: number;
  startKey: Record<string, unknown> | undefined;
  /** Inclusive ISO bounds. */
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
}

/**
 * The partitions audit records are read from, newest first (the sort keys start with the time):
 * - `subject`: every record filed under a subject (PK AUDIT#<subject>: the access log);
 * - `administrativeOfSubject`: that subject's administrative records only (GSI3, sparse);
 * - `day`: every record of one UTC day across subjects (GSI1 AUDITDAY#<yyyy-mm-dd>);
 * - `administrativeOfMonth`: the administrative records of one UTC month (GSI2, sparse).
 */
export type AuditPartition =
  | { kind: 'subject'; subject: string }
  | { kind: 'administrativeOfSubject'; subject: string }
  | { kind: 'day'; day: string }
  | { kind: 'administrativeOfMonth'; month: string };

const partitionQuery = (partition: AuditPartition) => {
  switch (partition.kind) {
    case 'subject':
      // The sort key is <isoTs>#<id>: the upper bound takes every id of the last instant.
      return {
        index: undefined,
        pk: 'PK',
        sk: 'SK',
        value: partitions.audit(partition.subject),
        idSuffix: true,
      };
    case 'administrativeOfSubject':
      return {
        index: 'GSI3',
        pk: 'GSI3PK',
        sk: 'GSI3SK',
        value: partitions.administrativeAuditOf(partition.subject),
        idSuffix: false,
      };
    case 'day':
      return {
        index: 'GSI1',
        pk: 'GSI1PK',
        sk: 'GSI1SK',
        value: partitions.auditDay(partition.day),
        idSuffix: false,
      };
    case 'administrativeOfMonth':
      return {
        index: 'GSI2',
        pk: 'GSI2PK',
        sk: 'GSI2SK',
        value: partitions.administrativeAuditMonth(partition.month),
        idSuffix: false,
      };
  }
};

/** One page of one partition's records, newest first, within [from, to], optionally by one actor. */
export const auditPage = async (partition: AuditPartition, query: AuditQuery) => {
  const { index, pk, sk, value, idSuffix } = partitionQuery(partition);
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      ...(index ? { IndexName: index } : {}),
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: {
        '#pk': pk,
        '#sk': sk,
        ...(query.actorId ? { '#actor': 'actor', '#id': 'id' } : {}),
      },
      ExpressionAttributeValues: {
        ':pk': value,
        ':from': query.from ?? '0',
        ':to': idSuffix ? `${query.to ?? '9'}~` : (query.to ?? '9'),
        ...(query.actorId ? { ':actor': query.actorId } : {}),
      },
      ...(query.actorId ? { FilterExpression: '#actor.#id = :actor' } : {}),
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: query.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(auditEntryOf), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** A subject's audit records, newest first: their access log. */
export const auditOfSubject = (subject: string, query: AuditQuery) =>
  auditPage({ kind: 'subject', subject }, query);
