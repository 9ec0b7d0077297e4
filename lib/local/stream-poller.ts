import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isOutboxItem, riskEventOf } from '../../shared/data/risk-outbox.ts';
import * as keys from '../../shared/data/dynamodb/keys.ts';
import { eventFunctions } from '../../shared/contract/event-functions.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from './dynamodb-local.ts';
import { REPO_ROOT } from '../repo-root.ts';

/**
 * The local stand-in for Lambda's DynamoDB Streams event source mapping: polls DynamoDB Local's stream
 * of the table about every second and invokes the SAME handler module as AWS
 * (functions/streams/aggregate-rollups.ts) with the same event shape (eventID, eventName,
 * dynamodb.{Keys, NewImage, OldImage, SequenceNumber, …}, eventSourceARN). Like the mapping it:
 * - reads each shard in order, parents before children, resuming after the last sequence number it
 *   finished (a fresh start reads from the trim horizon: the handler's processed-record markers make a
 *   replay a no-op, and nothing written while `npm start` was down is missed);
 * - runs on the aggregator's stream mapping in the event function table (shared/contract/
 *   event-functions.ts), the one the CDK gives the event source mapping: records per invocation, the
 *   batching window as its poll interval, retries, record age and bisection;
 * - honours partial batch failures: it retries from the first failed record; a batch whose invocation
 *   throws is halved (bisect) until the failing record is alone; a record that failed more often than
 *   the mapping retries, or is older than its maximum record age, is logged as dead-lettered and the
 *   shard moves on (the on-failure destination in AWS).
 *
 * It also stands in for the stage's risk event pipe (lib/constructs/risk-outbox.ts): each new outbox
 * item becomes the risk event the pipe would put on the bus, stored as a `RISK_EVENT` item under
 * `RISKEVENTS` (queryable like the bus's archive), before the batch goes to the aggregator.
 */
const { aggregateRollups } = eventFunctions;
export const AGGREGATOR_ENTRY = aggregateRollups.entry;
const MAPPING = aggregateRollups.trigger.mapping;
/** The mapping's batching window: how long records gather before they are delivered. */
export const STREAM_POLL_INTERVAL_MS = MAPPING.maxBatchingWindowSeconds * 1000;

type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly log: (message: string) => void;
  readonly intervalMs?: number;
  /** Tests substitute a handler; default: the aggregator module (imported after process.env is set). */
  readonly handler?: StreamHandler;
}

export interface StreamPoller {
  /** Resolves once a full pass over every shard found no new record (bounded by `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
  /**
   * Stops polling (after the cycle in progress) until `resume`; `drain` still works. Benchmarks pause
   * the stream while they time a route: in AWS the aggregator is a function of its own with its own
   * concurrency and the table scales, while locally it would share the cores and the one DynamoDB Local
   * with the route being measured.
   */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
  readonly stats: {
    readonly records: number;
    readonly failures: number;
    readonly deadLettered: number;
    /** Risk events published from outbox items. */
    readonly riskEvents: number;
  };
}

/** Where risk events are kept locally (no bus): one item per event, by time and alert. */
export const localRiskEventKey = (detail: { createdAt: string; alertId: string }) =>
  keys.localRiskEvent(detail.createdAt, detail.alertId);

interface ShardState {
  readonly id: string;
  readonly parentId: string | undefined;
  iterator: string | undefined;
  lastSequence: string | undefined;
  attempts: number;
  /** Records the next read asks for: the mapping's batch size, halved while a throwing batch is bisected. */
  limit: number;
  finished: boolean;
  /** Reads refused as trimmed in a row (see pollShard). */
  trimmed: number;
  /**
   * After reading on from the oldest record left: the last sequence number finished before, so the
   * records up to it, read again, are skipped instead of delivered a second time.
   */
  skipThrough: bigint | undefined;
}

/** Where a delivery stopped: the first record not done, and whether the handler threw for the batch. */
interface DeliveryFailure {
  readonly index: number;
  readonly thrown: boolean;
}

const loadAggregator = async (): Promise<StreamHandler> =>
  ((await import(pathToFileURL(join(REPO_ROOT, AGGREGATOR_ENTRY)).href)) as { handler: StreamHandler })
    .handler;

/** A record as Lambda delivers it: the same attribute-value JSON, the stream's ARN as the source. */
type Image = Record<string, unknown>;

/**
 * DynamoDB Local's stream, as the SDK reads it, gives an empty map attribute (e.g. an erasure request's
 * `counts: {}`) as an attribute value without a type, which `unmarshall` refuses — AWS sends `{M: {}}`.
 * Typed again here, so the aggregator sees what Lambda would hand it. (An empty list arrives the same
 * way and becomes an empty map; no item the aggregator reads has a list it looks at.)
 */
const typed = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 0) return { M: {} };
  const [[type, inner]] = entries as [[string, unknown]];
  if (type === 'M' && typeof inner === 'object' && inner !== null) return { M: typedImage(inner as Image) };
  if (type === 'L' && Array.isArray(inner)) return { L: inner.map(typed) };
  return value;
};
const typedImage = (image: Image | undefined): Image | undefined =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, typed(value)]));

const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const { dynamodb } = record;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? LOCAL_REGION,
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
    dynamodb: {
      ...(dynamodb?.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(dynamodb.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: dynamodb?.Keys,
      NewImage: typedImage(dynamodb?.NewImage as Image | undefined),
      OldImage: typedImage(dynamodb?.OldImage as Image | undefined),
      SequenceNumber: dynamodb?.SequenceNumber,
      SizeBytes: dynamodb?.SizeBytes,
      StreamViewType: dynamodb?.StreamViewType,
    } as DynamoDBRecord['dynamodb'],
  };
};

const invocationContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'local-streams-aggregateRollups',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local-streams-aggregateRollups',
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/local-streams-aggregateRollups',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const dynamo = localDynamoClient(options.endpoint);
  const table = await dynamo
    .send(new DescribeTableCommand({ TableName: options.tableName }))
    .finally(() => dynamo.destroy());
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 2,
  });
  const handlerPromise = options.handler ? Promise.resolve(options.handler) : loadAggregator();
  const documents = DynamoDBDocumentClient.from(localDynamoClient(options.endpoint));
  const shards = new Map<string, ShardState>();
  const stats = { records: 0, failures: 0, deadLettered: 0, riskEvents: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  const discoverShards = async () => {
    let start: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of (StreamDescription?.Shards ?? []) as Shard[]) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, {
          id: shard.ShardId,
          parentId: shard.ParentShardId,
          iterator: undefined,
          lastSequence: undefined,
          attempts: 0,
          limit: MAPPING.batchSize,
          finished: false,
          trimmed: 0,
          skipThrough: undefined,
        });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  };

  const iteratorOf = async (shard: ShardState): Promise<string | undefined> => {
    shard.iterator ??= (
      await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.id,
          ...(shard.lastSequence
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      )
    ).ShardIterator;
    return shard.iterator;
  };

  /**
   * Outbox records already published. In AWS the pipe reads the stream with its own checkpoint, so a
   * batch the aggregator retries is not published again; here one delivery serves both, and without this
   * a retried batch would publish its events a second time — after a purge that had deleted them, too.
   */
  const published = new Set<string>();

  /**
   * What the pipe does in AWS: the new outbox items of the batch (its filter: INSERT of an OUTBOX item)
   * as risk events, each record once. Returns the index of the first record it could not publish, or
   * undefined.
   */
  const publishOutbox = async (records: StreamRecord[]): Promise<number | undefined> => {
    for (const [index, record] of records.entries()) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const sequence = record.eventID ?? record.dynamodb.SequenceNumber ?? '';
      if (published.has(sequence)) continue;
      const item = unmarshall(typedImage(record.dynamodb.NewImage as Image) as never);
      if (!isOutboxItem(item)) continue;
      let event: ReturnType<typeof riskEventOf>;
      try {
        event = riskEventOf(item);
      } catch {
        // Not an alert's outbox item (riskEventOf parses it): nothing to announce, and nothing a retry
        // would change; the record still goes to the aggregator.
        options.log(`  ! outbox item ${String(item.PK)} does not hold an alert: no risk event sent`);
        published.add(sequence);
        continue;
      }
      try {
        await documents.send(
          new PutCommand({
            TableName: options.tableName,
            Item: { ...localRiskEventKey(event.detail), entityType: 'RISK_EVENT', ...event },
          }),
        );
        stats.riskEvents += 1;
        published.add(sequence);
      } catch (error) {
        options.log(`  ! risk event of outbox item ${String(item.PK)} not stored: ${(error as Error).name}`);
        return index;
      }
    }
    return undefined;
  };

  /** Invokes the handler; returns where the batch failed, or undefined. */
  const aggregate = async (records: StreamRecord[]): Promise<DeliveryFailure | undefined> => {
    const handler = await handlerPromise;
    const event: DynamoDBStreamEvent = { Records: records.map((r) => toLambdaRecord(r, streamArn)) };
    try {
      const response = await handler(event, invocationContext());
      if (!MAPPING.reportBatchItemFailures) return undefined;
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const index = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      return index < 0 ? undefined : { index, thrown: false };
    } catch (error) {
      options.log(
        `  ! stream aggregator failed the whole batch: ${error instanceof Error ? error.name : 'error'}`,
      );
      return { index: 0, thrown: true };
    }
  };

  /**
   * Publishes the batch's outbox items, then hands the records up to the first unpublished one to the
   * aggregator; returns where either failed first (the poller retries from there).
   */
  const deliver = async (records: StreamRecord[]): Promise<DeliveryFailure | undefined> => {
    const unpublished = await publishOutbox(records);
    const published = unpublished === undefined ? records : records.slice(0, unpublished);
    const unaggregated = published.length > 0 ? await aggregate(published) : undefined;
    return unaggregated ?? (unpublished === undefined ? undefined : { index: unpublished, thrown: false });
  };

  /** A failing record older than the mapping's maximum record age is not retried (the stream trims it). */
  const tooOld = (record: StreamRecord | undefined): boolean => {
    const written = record?.dynamodb?.ApproximateCreationDateTime;
    return written !== undefined && Date.now() - written.getTime() > MAPPING.maxRecordAgeSeconds * 1000;
  };

  /** Reads a shard until it has nothing more (or fails); returns the records delivered. */
  const pollShard = async (shard: ShardState): Promise<number> => {
    let delivered = 0;
    /** A page is done: read on after its last record; false when the shard has ended. */
    const pastPage = (records: readonly StreamRecord[], next: string | undefined): boolean => {
      shard.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequence;
      shard.iterator = next;
      if (!next) shard.finished = true;
      return !shard.finished;
    };
    for (let round = 0; round < 50 && !stopped; round++) {
      const iterator = await iteratorOf(shard);
      if (!iterator) {
        shard.finished = true;
        return delivered;
      }
      let page;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: shard.limit }));
      } catch (error) {
        if ((error as Error).name === 'ExpiredIteratorException') {
          shard.iterator = undefined;
          continue;
        }
        // DynamoDB Local refuses, now and then, an iterator kept from an earlier read as "past the oldest
        // record" although nothing was trimmed (seen with several tables written at once): a fresh one
        // after the last finished record reads on. Refused again: read on from the oldest record left,
        // as Lambda does when records really are gone, but skip the ones finished before — the refusal
        // may be spurious, and a record delivered twice after its item was purged would count it again.
        if ((error as Error).name === 'TrimmedDataAccessException') {
          shard.trimmed += 1;
          if (shard.trimmed > 1) {
            options.log(`  ! stream shard ${shard.id}: records trimmed, reading on from the oldest left`);
            if (shard.lastSequence !== undefined) shard.skipThrough = BigInt(shard.lastSequence);
            shard.lastSequence = undefined;
            shard.trimmed = 0;
          }
          shard.iterator = undefined;
          continue;
        }
        if ((error as Error).name === 'ResourceNotFoundException') {
          shard.finished = true;
          return delivered;
        }
        throw error;
      }
      shard.trimmed = 0;
      let records = page.Records ?? [];
      const skipThrough = shard.skipThrough;
      if (skipThrough !== undefined && records.length > 0) {
        const fresh = records.filter((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0') > skipThrough);
        if (fresh.length > 0) shard.skipThrough = undefined;
        // All finished before the refusal: on to the next page, nothing delivered.
        if (fresh.length === 0) {
          if (!pastPage(records, page.NextShardIterator)) return delivered;
          continue;
        }
        records = fresh;
      }
      if (records.length === 0) {
        shard.iterator = page.NextShardIterator;
        if (!page.NextShardIterator) shard.finished = true;
        return delivered;
      }
      const failure = await deliver(records);
      delivered += records.length;
      if (failure === undefined) {
        stats.records += records.length;
        shard.attempts = 0;
        shard.limit = MAPPING.batchSize;
        if (!pastPage(records, page.NextShardIterator)) return delivered;
        continue;
      }
      // Like Lambda: everything before the failed record is done; retry from it.
      const failedAt = failure.index;
      stats.records += failedAt;
      stats.failures += 1;
      const failed = records[failedAt];
      shard.lastSequence = records[failedAt - 1]?.dynamodb?.SequenceNumber ?? shard.lastSequence;
      if (failure.thrown && MAPPING.bisectBatchOnError && records.length > 1) {
        // Bisect: the same records again, half as many at a time, until the failing one is alone.
        shard.limit = Math.ceil(records.length / 2);
      } else {
        shard.attempts += 1;
        if (shard.attempts > MAPPING.retryAttempts || tooOld(failed)) {
          stats.deadLettered += 1;
          options.log(
            `  ! stream record ${failed?.eventID ?? '?'} (sequence ${failed?.dynamodb?.SequenceNumber ?? '?'}) failed ${shard.attempts} times: dead-lettered`,
          );
          shard.lastSequence = failed?.dynamodb?.SequenceNumber ?? shard.lastSequence;
          shard.attempts = 0;
          shard.limit = MAPPING.batchSize;
        }
      }
      // A fresh iterator after the last finished record (trim horizon when nothing was finished yet),
      // and retry at once: waiting a poll interval per attempt would let one poisoned record hold
      // the whole shard back for seconds (Lambda retries without such a pause too).
      shard.iterator = undefined;
    }
    return delivered;
  };

  const cycle = async (): Promise<number> => {
    await discoverShards();
    let delivered = 0;
    for (const shard of shards.values()) {
      if (shard.finished) continue;
      const parent = shard.parentId ? shards.get(shard.parentId) : undefined;
      if (parent && !parent.finished) continue;
      delivered += await pollShard(shard);
    }
    return delivered;
  };

  const runCycle = (): Promise<number> => {
    running ??= cycle()
      .catch((error: unknown) => {
        options.log(`  ! stream poller: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      })
      .finally(() => (running = undefined));
    return running;
  };

  let paused = false;
  const schedule = () => {
    if (stopped || paused) return;
    timer = setTimeout(() => {
      void runCycle().finally(schedule);
    }, options.intervalMs ?? STREAM_POLL_INTERVAL_MS);
    timer.unref();
  };
  schedule();

  return {
    stats,
    drain: async (timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      await running;
      while (!stopped && (await runCycle()) > 0) {
        if (Date.now() > deadline) throw new Error('the stream did not drain in time');
      }
    },
    pause: async () => {
      paused = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    resume: () => {
      if (!paused) return;
      paused = false;
      schedule();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      client.destroy();
      documents.destroy();
    },
  };
};
