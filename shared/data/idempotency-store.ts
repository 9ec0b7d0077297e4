import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
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
 */
export const LEASE_MS = 30_000;
/** One day: pipelines retry within it, and it is below every stage's erasure grace period. */
export const RECORD_TTL_SECONDS = 24 * 60 * 60;

export interface StoredResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const StoredResponseSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    statusCode: z.int().check(z.minimum(100), z.maximum(599)),
    body: z.optional(z.unknown()),
    headers: z.optional(z.record(z.string(), z.string())),
  }),
);

/**
 * The response a completed record holds, as it is replayed: parsed, not cast. A record whose response
 * is not JSON or not a response throws (a 500) rather than replaying something the request never sent.
 */
export const storedResponseOf = (json: string): StoredResponse => {
  const { body, headers, statusCode } = StoredResponseSchema.parse(JSON.parse(json));
  return { statusCode, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) };
};

export type Claim =
  | { readonly outcome: 'claimed'; readonly token: string }
  | { readonly outcome: 'completed'; readonly response: StoredResponse }
  | { readonly outcome: 'in_progress' }
  | { readonly outcome: 'mismatch' };

const keyOf = (caller: string, idempotencyKey: string) =>
  keys.idempotencyRecord(createHash('sha256').update(`${caller}\n${idempotencyKey}`).digest('hex'));

const isConditionFailure = (error: unknown): boolean =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

export const claimIdempotencyKey = async (
  caller: string,
  idempotencyKey: string,
  fingerprint: string,
  now: Date,
): Promise<Claim> => {
  const key = keyOf(caller, idempotencyKey);
  const token = randomUUID();
  const nowMs = now.getTime();
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...key,
          entityType: 'IDEMPOTENCY',
          status: 'IN_PROGRESS',
          fingerprint,
          token,
          leaseUntil: nowMs + LEASE_MS,
          createdAt: now.toISOString(),
          expiresAt: Math.floor(nowMs / 1000) + RECORD_TTL_SECONDS,
        },
        // New, expired (TTL not yet applied), or an abandoned claim whose lease ran out.
        ConditionExpression:
          'attribute_not_exists(PK) OR expiresAt <= :nowSec OR (#status = :inProgress AND leaseUntil < :nowMs)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':nowSec': Math.floor(nowMs / 1000),
          ':nowMs': nowMs,
          ':inProgress': 'IN_PROGRESS',
        },
      }),
    );
    return { outcome: 'claimed', token };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  // Released between our put and this read: the first request failed; the client may retry.
  if (!Item) return { outcome: 'in_progress' };
  if (Item.fingerprint !== fingerprint) return { outcome: 'mismatch' };
  if (Item.status === 'COMPLETED' && typeof Item.response === 'string') {
    return { outcome: 'completed', response: storedResponseOf(Item.response) };
  }
  return { outcome: 'in_progress' };
};

/** Stores the response of the claim (only while the claim is still ours). */
export const completeIdempotencyKey = async (
  caller: string,
  idempotencyKey: string,
  token: string,
  response: StoredResponse,
  now: Date,
): Promise<void> => {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf(caller, idempotencyKey),
        UpdateExpression: 'SET #status = :completed, #response = :response, completedAt = :now',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#status': 'status', '#response': 'response', '#token': 'token' },
        ExpressionAttributeValues: {
          ':completed': 'COMPLETED',
          ':response': JSON.stringify(response),
          ':now': now.toISOString(),
          ':token': token,
        },
      }),
    );
  } catch (error) {
    // The lease ran out and another request took the key over; its outcome is the one kept.
    if (!isConditionFailure(error)) throw error;
  }
};

/** Gives the key back after a failed request, so a retry runs instead of waiting for the lease. */
export const releaseIdempotencyKey = async (
  caller: string,
  idempotencyKey: string,
  token: string,
): Promise<void> => {
  try {
    await documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keyOf(caller, idempotencyKey),
        ConditionExpression: '#token = :token AND #status = :inProgress',
        ExpressionAttributeNames: { '#token': 'token', '#status': 'status' },
        ExpressionAttributeValues: { ':token': token, ':inProgress': 'IN_PROGRESS' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

/** The record's key, for tests that stage a request in flight. */
export const idempotencyRecordKey = keyOf;
