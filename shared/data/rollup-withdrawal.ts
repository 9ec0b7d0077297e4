import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { decideWithdrawal, type ScopedChange } from '#domain/rollups.ts';
import { documentClient, tableName } from './client.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import type { TransactAction } from './dynamodb/transaction.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { withdrawalRequestOf, type WithdrawalRequest } from './withdrawal-request.ts';
import {
  actionsFor,
  ledgerOf,
  sendRecordTransaction,
  transactionFor,
  type ApplyOutcome,
  type LedgerWrite,
  type StreamRecordInput,
} from './rollup-repository.ts';

/**
 * Withdrawing a user's past aggregate contributions without an operator step (docs/anonymity.md,
 * "Withdrawals"). Revoking `aggregate_analytics`, or asking for erasure, puts the user's withdrawal
 * request (keys.aggregateWithdrawal) in the same transaction as the change. Its stream record makes the
 * aggregator withdraw one page of the user's ledgers — as many as fit one transaction — and, in that
 * same transaction, move the request's cursor past them; the request's change is a new stream record,
 * which withdraws the next page, until a page finds no more ledgers and the request is `done`. No
 * Scan, no job to schedule: the chain runs at the stream's pace (a page per poll, about a second), so
 * the stated bound — every contribution withdrawn within one hour — holds for users with up to
 * 100,000 items (~90 per page; measured in test/integration/anonymity.test.ts).
 *
 * Exactly once: each page is one transaction with the record's processed marker, conditional on the
 * request's `rev` (a replayed or concurrent older record of the request changes nothing) and on every
 * ledger's and marker's revision (a source record of the same user in between makes it re-read). A page
 * that keeps failing ends in the aggregator's dead-letter queue (alarm; `rebuild-rollups` leaves
 * opted-out and erased users out entirely).
 */

/** The user whose withdrawal request a stream record is about, if it asks for the next page. */
export const withdrawalRecordOf = (record: StreamRecordInput): string | undefined => {
  const sub = keys.parse.aggregateWithdrawal(record.keys);
  if (sub === undefined || record.eventName === 'REMOVE') return undefined;
  return record.newImage?.status === 'pending' ? sub : undefined;
};

/** Ledgers read per page (a page writes fewer when their months and departments need more actions). */
export const WITHDRAWAL_PAGE_LEDGERS = 90;
const MAX_ACTIONS = 100;
const MAX_ATTEMPTS = 8;

const getRequest = async (sub: string): Promise<WithdrawalRequest | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.aggregateWithdrawal(sub), ConsistentRead: true }),
  );
  return Item ? withdrawalRequestOf(Item) : undefined;
};

/** One page of the user's ledgers after `cursor` (strongly consistent). */
const ledgerPage = async (sub: string, cursor: string | undefined) => {
  const partition = partitions.userRollups(sub);
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :src)',
      ExpressionAttributeValues: { ':pk': partition, ':src': keys.rollupSourcePrefix },
      ExclusiveStartKey: cursor ? { PK: partition, SK: cursor } : undefined,
      Limit: WITHDRAWAL_PAGE_LEDGERS,
      ConsistentRead: true,
    }),
  );
  return { items: page.Items ?? [], more: page.LastEvaluatedKey !== undefined };
};

/**
 * Withdraws the next page of a user's aggregate contributions, as asked by a stream record of their
 * withdrawal request, and advances the request. `ignored`: the record is not the request's latest
 * (replayed, or overtaken by a newer request) or the request is done.
 */
export const applyWithdrawalPage = async (
  record: StreamRecordInput,
  sub: string,
  clock: Clock,
): Promise<ApplyOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await conflictBackoff(attempt);
    const request = await getRequest(sub);
    if (!request || request.status !== 'pending' || request.rev !== record.newImage?.rev) return 'ignored';
    const cursor = request.cursor ?? undefined;
    const page = await ledgerPage(sub, cursor);

    const changes: ScopedChange[] = [];
    const ledgers: LedgerWrite[] = [];
    let last = cursor;
    let complete = true;
    for (const item of page.items) {
      const sk = String(item.SK);
      const ledger = ledgerOf(item);
      const decision = ledger && !(ledger.removed && !ledger.agg) ? decideWithdrawal(ledger) : undefined;
      if (decision?.kind === 'apply' && decision.next !== 'unchanged') {
        const write = {
          sourceSk: sk.slice(keys.rollupSourcePrefix.length),
          next: decision.next,
          rev: ledger?.rev,
        };
        // One more action for the request's progress.
        if (actionsFor([...changes, ...decision.changes], ledgers.length + 1) + 1 > MAX_ACTIONS) {
          complete = false;
          break;
        }
        changes.push(...decision.changes);
        ledgers.push(write);
      }
      last = sk;
    }
    const now = clock.now();
    const done = complete && !page.more;
    const progress: TransactAction = {
      Update: {
        TableName: tableName(),
        Key: keys.aggregateWithdrawal(sub),
        UpdateExpression: `SET #cursor = :cursor, #status = :status, #rev = :next, updatedAt = :now${
          done ? ', completedAt = :now' : ''
        } ADD withdrawn :withdrawn, pages :one`,
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#cursor': 'cursor', '#status': 'status', '#rev': 'rev' },
        ExpressionAttributeValues: {
          ':cursor': last ?? null,
          ':status': done ? 'done' : 'pending',
          ':rev': request.rev,
          ':next': request.rev + 1,
          ':now': now.toISOString(),
          ':withdrawn': ledgers.length,
          ':one': 1,
        },
      },
    };
    const tx = await transactionFor({
      sub,
      changes,
      ledgers,
      eventId: record.eventID,
      now,
      extra: { progress },
    });
    const outcome = await sendRecordTransaction(tx);
    // 'retry': a ledger, marker, rollup or the request changed since it was read: read again.
    if (outcome !== 'retry') return outcome;
  }
  throw new Error('withdrawal page kept colliding');
};

/** The state of a user's withdrawal (tests, operators): status, items withdrawn, pages. */
export const getWithdrawal = async (sub: string) => {
  const request = await getRequest(sub);
  if (!request) return undefined;
  const { status, reason, requestedAt, completedAt, withdrawn, pages } = request;
  return { status, reason, requestedAt, completedAt, withdrawn, pages };
};
