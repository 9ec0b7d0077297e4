import { createHash, randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';

/**
 * Idempotency-Key records (docs/api.md) in the single table, keyed by a hash of (caller, key)
 * (keys.idempotencyRecord).
 *
 * A request claims the key with a conditional put (status IN_PROGRESS, a lease token, the request's
 * fingerprint); it completes the record with the response it sent, or releases it when it failed so a
 * retry may run. Whoever loses the conditional put reads the record: same fingerprint and COMPLETED →
 * replay; IN_PROGRESS → in flight; another fingerprint → reused key. A lease that outlived any possible
 * execution (API Gateway gives up after 29 s) may be taken over, so a crashed request blocks its retries
 * for at most LEASE_MS, and a record expires by TTL after RECORD_TTL_SECONDS.
 *
 * Every write is a put of the whole record, conditioned on the claim's token: completing puts the
 * claimed record back as COMPLETED with its response, releasing puts it back as RELEASED, which a
 * claim takes over like a missing record. Puts and gets only, so the functions that take keys carry
 * no update or delete command (about 1.7 KB of each such bundle).
 */
export const LEASE_MS = 30_000;
/** One day: pipelines retry within it, and it is below every stage's erasure grace period. */
export const RECORD_TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The response a completed record holds, as it is replayed: checked, not cast. A record whose response
 * is not JSON or not a response (a status outside 100–599, headers that are not all strings) throws (a
 * 500) rather than replaying something the request never sent. Written out rather than a zod object:
 * a zod record drops a `__proto__` key, and the replay must give back every header it stored.
 */
export const storedResponseOf = (json: string): StoredResponse => {
  const stored: unknown = JSON.parse(json);
  const { body, headers, statusCode } = isObject(stored) ? stored : {};
  if (
    !Number.isSafeInteger(statusCode) ||
    (statusCode as number) < 100 ||
    (statusCode as number) > 599 ||
    (headers !== undefined &&
      !(isObject(headers) && Object.values(headers).every((v) => typeof v === 'string')))
  )
    throw new Error('a stored Idempotency-Key response that is not one');
  return {
    statusCode: statusCode as number,
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers: headers as Record<string, string> } : {}),
  };
};

/** The record a claim wrote, which completing or releasing puts back with its new status. */
export type ClaimedRecord = {
  readonly PK: string;
  readonly SK: string;
  readonly entityType: 'IDEMPOTENCY';
  readonly status: 'IN_PROGRESS';
  readonly fingerprint: string;
  readonly token: string;
  readonly leaseUntil: number;
  readonly createdAt: string;
  readonly expiresAt: number;
};

export type Claim =
  | { readonly outcome: 'claimed'; readonly record: ClaimedRecord }
  | { readonly outcome: 'completed'; readonly response: StoredResponse }
  | { readonly outcome: 'in_progress' }
  | { readonly outcome: 'mismatch' };

const keyOf = (caller: string, idempotencyKey: string) =>
  keys.idempotencyRecord(createHash('sha256').update(`${caller}\n${idempotencyKey}`).digest('hex'));

const isConditionFailure = (error: unknown): boolean =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** A put of the whole record, or false when its condition failed. */
const putRecord = async (
  item: Record<string, unknown>,
  condition: string,
  names: Record<string, string>,
  values: Record<string, unknown>,
): Promise<boolean> => {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: item,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
};

export const claimIdempotencyKey = async (
  caller: string,
  idempotencyKey: string,
  fingerprint: string,
  now: Date,
): Promise<Claim> => {
  const key = keyOf(caller, idempotencyKey);
  const nowMs = now.getTime();
  const record: ClaimedRecord = {
    ...key,
    entityType: 'IDEMPOTENCY',
    status: 'IN_PROGRESS',
    fingerprint,
    token: randomUUID(),
    leaseUntil: nowMs + LEASE_MS,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + RECORD_TTL_SECONDS,
  };
  const claimed = await putRecord(
    record,
    // New, expired (TTL not yet applied), released, or an abandoned claim whose lease ran out.
    'attribute_not_exists(PK) OR expiresAt <= :nowSec OR #status = :released OR (#status = :inProgress AND leaseUntil < :nowMs)',
    { '#status': 'status' },
    {
      ':nowSec': Math.floor(nowMs / 1000),
      ':nowMs': nowMs,
      ':inProgress': 'IN_PROGRESS',
      ':released': 'RELEASED',
    },
  );
  if (claimed) return { outcome: 'claimed', record };
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  // Released between our put and this read: the first request failed; the client may retry.
  if (!Item || Item.status === 'RELEASED') return { outcome: 'in_progress' };
  if (Item.fingerprint !== fingerprint) return { outcome: 'mismatch' };
  if (Item.status === 'COMPLETED' && typeof Item.response === 'string') {
    return { outcome: 'completed', response: storedResponseOf(Item.response) };
  }
  return { outcome: 'in_progress' };
};

/**
 * Stores the response of the claim (only while the claim is still ours: when the lease ran out and
 * another request took the key over, its outcome is the one kept).
 */
export const completeIdempotencyKey = async (
  record: ClaimedRecord,
  response: StoredResponse,
  now: Date,
): Promise<void> => {
  await putRecord(
    { ...record, status: 'COMPLETED', response: JSON.stringify(response), completedAt: now.toISOString() },
    '#token = :token',
    { '#token': 'token' },
    { ':token': record.token },
  );
};

/**
 * Gives the key back after a failed request, so a retry runs instead of waiting for the lease: the
 * record stays (until its TTL) as RELEASED, which the next claim takes over and a reader treats as
 * missing.
 */
export const releaseIdempotencyKey = async (record: ClaimedRecord): Promise<void> => {
  await putRecord(
    { ...record, status: 'RELEASED' },
    '#token = :token AND #status = :inProgress',
    { '#token': 'token', '#status': 'status' },
    { ':token': record.token, ':inProgress': 'IN_PROGRESS' },
  );
};

/** The record's key, for tests that stage a request in flight. */
export const idempotencyRecordKey = keyOf;
