// Why our own conditional-put store (#data/idempotency-store.ts) and not @aws-lambda-powertools/idempotency:
// one partition per record (Powertools on a PK+SK table puts a route's records in one fixed partition),
// records that keep ids only (ReplayCodec), batch routes, and our error envelope for 409/422.
import { createHash } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Clock } from '#domain/clock.ts';
import type { Principal } from '#domain/principal.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  type StoredResponse,
} from '#data/idempotency-store.ts';
import { metrics } from '#observability/powertools.ts';
import { ApiError, unauthenticated, validationFailed } from './errors.ts';
import type { ApiResult } from './types.ts';

/**
 * `Idempotency-Key` for writes that clients retry (docs/api.md): the same key and body replays the first
 * response (with `Idempotent-Replayed: true`), the same key with another body is 422
 * IDEMPOTENCY_KEY_REUSED, a duplicate while the first is in flight is 409 CONFLICT. Keys are scoped per
 * caller (user sub or machine client id), never shared across callers; the route is part of the
 * fingerprint, so one key used on two routes is a reuse (422). Only successful responses are kept: a
 * request that failed releases its key and a retry runs again.
 *
 * Usage in a use case:  return idempotent(request, route.id, clock, (key) => storeSomething(key));
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAY_HEADER = 'Idempotent-Replayed';
const MAX_KEY_LENGTH = 255;

/** The header's value, or undefined; a key that is empty, too long or not printable ASCII is a 400. */
export const idempotencyKeyOf = (
  headers: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  const value = headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(value)) {
    throw validationFailed([
      {
        field: 'headers.Idempotency-Key',
        code: 'invalid_idempotency_key',
        message: `must be 1–${MAX_KEY_LENGTH} printable ASCII characters`,
      },
    ]);
  }
  return value;
};

/** Whose keys these are: a user's, or a machine client's. */
export const idempotencyCaller = (principal: Principal): string => {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.sub}`;
    case 'machine':
      return `client:${principal.clientId}`;
    case 'anonymous':
      throw unauthenticated();
  }
};

/** JSON with object keys sorted, so the fingerprint does not depend on the client's key order. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

export const requestFingerprint = (routeId: string, params: unknown, body: unknown): string =>
  createHash('sha256').update(canonical({ routeId, params, body })).digest('hex');

export interface IdempotentRequest {
  readonly principal: Principal;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly params: unknown;
  readonly body: unknown;
}

/**
 * What the record keeps of a response, and how a replay turns it back into one: the whole response
 * (WHOLE_RESPONSE), or, for a route whose response carries health data, only ids (`keep`), the stored
 * item read again on replay (`restore`), so no health data lives outside the user's partition.
 */
export interface ReplayCodec {
  keep(result: ApiResult): StoredResponse;
  restore(stored: StoredResponse): Promise<ApiResult>;
}

/**
 * The codec that keeps the whole response (a response with no health data in it). Passed by the caller
 * rather than defaulted: a default parameter value travels into every caller's bundle, those of the
 * callers with a codec of their own too.
 */
export const WHOLE_RESPONSE: ReplayCodec = {
  keep: (result) => ({
    statusCode: result.statusCode,
    body: result.body,
    ...(result.headers ? { headers: result.headers } : {}),
  }),
  restore: async (stored) => ({
    statusCode: stored.statusCode,
    body: stored.body,
    ...(stored.headers ? { headers: stored.headers } : {}),
  }),
};

/**
 * Runs `execute` at most once per (caller, Idempotency-Key): `execute` gets the key (undefined without
 * the header) so it can derive deterministic ids — then even a re-run after a crash between the write
 * and the completion finds its own first write instead of storing a duplicate.
 */
export const idempotent = async (
  request: IdempotentRequest,
  routeId: string,
  clock: Clock,
  execute: (scopedKey: string | undefined) => Promise<ApiResult>,
  codec: ReplayCodec,
): Promise<ApiResult> => {
  const key = idempotencyKeyOf(request.headers);
  if (key === undefined) return execute(undefined);
  const caller = idempotencyCaller(request.principal);
  const claim = await claimIdempotencyKey(
    caller,
    key,
    requestFingerprint(routeId, request.params, request.body),
    clock.now(),
  );
  switch (claim.outcome) {
    case 'mismatch':
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    case 'in_progress':
      throw new ApiError('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later.', {
        headers: { 'Retry-After': '1' },
      });
    case 'completed': {
      metrics.addMetric('IdempotentReplays', MetricUnit.Count, 1);
      const replay = await codec.restore(claim.response);
      return { ...replay, headers: { ...replay.headers, [REPLAY_HEADER]: 'true' } };
    }
    case 'claimed':
      break;
  }
  let result: ApiResult;
  try {
    result = await execute(`${caller}:${key}`);
  } catch (error) {
    await releaseIdempotencyKey(claim.record).catch(() => undefined);
    throw error;
  }
  if (result.statusCode < 300) {
    await completeIdempotencyKey(claim.record, codec.keep(result), clock.now());
  } else {
    await releaseIdempotencyKey(claim.record);
  }
  return result;
};
