import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { systemClock, type Clock } from '#domain/clock.ts';
import { applyStreamRecord, ownerFactsCache, type StreamRecordInput } from '#data/rollup-repository.ts';
import { applyWithdrawalPage, withdrawalRecordOf } from '#data/rollup-withdrawal.ts';
import { logger } from '#observability/powertools.ts';

/**
 * The stream aggregator: every record of the table's stream (NEW_AND_OLD_IMAGES)
 * goes through applyStreamRecord, which keeps the user, department and organisation rollups in step
 * with the source items, exactly once per record (shared/data/rollup-repository.ts, rules in
 * shared/domain/rollups.ts); a record of a user's withdrawal request withdraws the next page of their
 * aggregate contributions (shared/data/rollup-withdrawal.ts). Records are processed one after another,
 * in stream order, and each failure
 * is reported on its own (ReportBatchItemFailures): Lambda retries from the first failed record, the
 * records after it that succeeded are no-ops the second time (processed-record markers), and a record
 * that keeps failing ends in the on-failure destination. Logs carry ids and outcomes, never images.
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

export const createAggregatorHandler = (clock: Clock = systemClock) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    // Owner facts (department, erasure, consent) are read once per user per batch.
    const owners = ownerFactsCache();
    const applyRecord = async (record: DynamoDBRecord) => {
      try {
        const input = toRecordInput(record);
        const withdrawing = withdrawalRecordOf(input);
        return withdrawing
          ? await applyWithdrawalPage(input, withdrawing, clock)
          : await applyStreamRecord(input, owners, clock);
      } catch (error) {
        logger.error('stream record not applied', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          error: error instanceof Error ? error.name : 'unknown',
        });
        throw error;
      }
    };
    return processPartialResponse(event, applyRecord, processor, {
      context,
      // Stream order matters (an insert before its removal): one record at a time.
      processInParallel: false,
    });
  };
};

export const handler = createAggregatorHandler();
