import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { systemClock, type Clock } from '#domain/clock.ts';
import {
  applyStreamRecord,
  classify,
  ownerFactsCache,
  type StreamRecordInput,
} from '#data/rollup-repository.ts';
import { applyWithdrawalPage, withdrawalRecordOf } from '#data/rollup-withdrawal.ts';
import {
  applySourceGroup,
  GroupNotApplied,
  ledgerCache,
  sourceRecordOf,
  type SourceRecord,
} from '#data/rollup-group.ts';
import { logger } from '#observability/powertools.ts';

/**
 * The stream aggregator: every record of the table's stream (NEW_AND_OLD_IMAGES) keeps the user,
 * department and organisation rollups in step with the source items, exactly once per record (rules in
 * shared/domain/rollups.ts). Records are taken in stream order:
 * - consecutive records of source items go in groups, one transaction per group as many records as fit
 *   100 actions, each rollup, marker and ledger written once with the sum or end state of the group's
 *   records (shared/data/rollup-group.ts) — records with nothing to do in between (profiles, audit
 *   records, …) are passed over;
 * - a record that cannot join a group — a deleted ledger, a user's withdrawal request
 *   (shared/data/rollup-withdrawal.ts), a source record alone — and every record of a group whose
 *   transaction failed (a lost race) take the one-record path (applyStreamRecord, with its retries).
 * Each failed record is reported (ReportBatchItemFailures), the others are applied: Lambda retries from
 * the first failed record, and the records after it that were applied are no-ops the second time (their
 * ledgers hold their sequence numbers; processed-record markers for the rest); a batch whose every record
 * failed is thrown, so the mapping bisects it; a record that keeps failing ends in the on-failure
 * destination. Logs carry ids and outcomes, never images.
 */
type Image = Record<string, AttributeValue>;

const EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;

/** DynamoDB's TTL deletes carry this service identity in their stream records. */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/** A malformed stream record (no event id, keys or event name) is a failure, never guessed at. */
export const toRecordInput = (record: DynamoDBRecord): StreamRecordInput => {
  const { eventID, eventName, dynamodb } = record;
  if (!eventID || !eventName || !(EVENT_NAMES as readonly string[]).includes(eventName) || !dynamodb?.Keys)
    throw new Error('stream record without eventID, eventName or keys');
  const keys = unmarshall(dynamodb.Keys as Image);
  if (typeof keys.PK !== 'string' || typeof keys.SK !== 'string')
    throw new Error('stream record without PK/SK');
  return {
    eventID,
    eventName,
    keys: { PK: keys.PK, SK: keys.SK },
    newImage: dynamodb.NewImage ? unmarshall(dynamodb.NewImage as Image) : undefined,
    oldImage: dynamodb.OldImage ? unmarshall(dynamodb.OldImage as Image) : undefined,
    sequenceNumber: dynamodb.SequenceNumber,
    expired:
      eventName === 'REMOVE' &&
      record.userIdentity?.type === 'Service' &&
      record.userIdentity.principalId === TTL_PRINCIPAL,
  };
};

/** Records considered for one group at a time (one BatchGetItem of their ledgers). */
const GROUP_WINDOW = 100;

/** The record, parsed, and whether it can join a group of source records. */
type Parsed =
  | { readonly kind: 'group'; readonly source: SourceRecord }
  | { readonly kind: 'single'; readonly input: StreamRecordInput }
  /** Not a source item, a ledger or a withdrawal request: nothing to do (audit records, profiles, …). */
  | { readonly kind: 'skip' }
  | { readonly kind: 'failed'; readonly error: unknown };

const parse = (record: DynamoDBRecord): Parsed => {
  try {
    const input = toRecordInput(record);
    if (withdrawalRecordOf(input)) return { kind: 'single', input };
    const source = sourceRecordOf(input);
    if (source) return { kind: 'group', source };
    return classify(input) ? { kind: 'single', input } : { kind: 'skip' };
  } catch (error) {
    return { kind: 'failed', error };
  }
};

export const createAggregatorHandler = (clock: Clock = systemClock) => {
  return async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
    // Owner facts (department, erasure, consent) are read once per user per batch, ledgers once per window.
    const owners = ownerFactsCache();
    const ledgers = ledgerCache();
    const records = event.Records;
    const parsed = records.map(parse);
    const failed: DynamoDBRecord[] = [];
    const fail = (record: DynamoDBRecord, error: unknown) => {
      logger.error('stream record not applied', {
        eventID: record.eventID,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error: error instanceof Error ? error.name : 'unknown',
      });
      failed.push(record);
    };
    /** Today's one-record path (a record that cannot join a group, or one of a group that failed). */
    const applySingle = async (index: number) => {
      const record = records[index]!;
      const entry = parsed[index]!;
      try {
        if (entry.kind === 'skip') return;
        if (entry.kind === 'failed') throw entry.error;
        const input = entry.kind === 'group' ? entry.source.input : entry.input;
        const withdrawing = withdrawalRecordOf(input);
        await (withdrawing
          ? applyWithdrawalPage(input, withdrawing, clock)
          : applyStreamRecord(input, owners, clock));
      } catch (error) {
        fail(record, error);
      } finally {
        // The one-record path writes ledgers behind the cache's back.
        ledgers.forget();
      }
    };
    let next = 0;
    while (next < records.length) {
      if (parsed[next]!.kind === 'skip') {
        next += 1;
        continue;
      }
      // The consecutive source records from here (records with nothing to do in between are passed over).
      const window: { index: number; source: SourceRecord }[] = [];
      for (let i = next; i < records.length && window.length < GROUP_WINDOW; i++) {
        const entry = parsed[i]!;
        if (entry.kind === 'skip') continue;
        if (entry.kind !== 'group') break;
        window.push({ index: i, source: entry.source });
      }
      if (window.length < 2) {
        await applySingle(next);
        next += 1;
        continue;
      }
      let taken: number;
      try {
        const group = await applySourceGroup(
          window.map((w) => w.source),
          owners,
          ledgers,
          clock,
        );
        taken = group.taken;
      } catch (error) {
        // Owner facts unreadable, a lost race, anything: the group's records one by one.
        taken = error instanceof GroupNotApplied ? error.taken : window.length;
        const reason = error instanceof GroupNotApplied ? error.cause : error;
        logger.warn('rollup group not applied: one record at a time', {
          records: taken,
          error: reason instanceof Error ? reason.name : 'unknown',
        });
        for (const { index } of window.slice(0, taken)) await applySingle(index);
      }
      next = window[taken - 1]!.index + 1;
    }
    // Like Lambda's batch utilities: a batch whose every record failed is thrown (the mapping bisects it).
    if (failed.length > 0 && failed.length === records.length)
      throw new Error(`all ${records.length} stream records of the batch failed`);
    return {
      batchItemFailures: failed.map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
    };
  };
};

export const handler = createAggregatorHandler();
