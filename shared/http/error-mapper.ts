import type { ErrorCode, ErrorDetail, ErrorEnvelope } from '#contract/common.ts';
import { ERROR_STATUS } from '#contract/common.ts';
import { ApiError } from './errors.ts';

export interface ErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Error names the AWS SDK and its HTTP handler use for throttling and unreachable services. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
]);
const UNAVAILABLE_ERRORS = new Set([
  'InternalServerError',
  'InternalErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
/** Per-item reasons of a TransactionCanceledException that mean the table was throttled. */
const THROTTLED_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Seconds a client should wait before retrying after a dependency failure. */
export const RETRY_AFTER_THROTTLED = 1;
export const RETRY_AFTER_UNAVAILABLE = 5;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: unknown;
};

/** Classifies an error from DynamoDB, Cognito or the network: `throttled`, `unavailable` or undefined. */
export const dependencyFailure = (error: unknown, depth = 0): 'throttled' | 'unavailable' | undefined => {
  if (!error || typeof error !== 'object' || depth > 3) return undefined;
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  if (THROTTLING_ERRORS.has(name)) return 'throttled';
  if (
    name === 'TransactionCanceledException' &&
    Array.isArray(e.CancellationReasons) &&
    e.CancellationReasons.some((reason) =>
      THROTTLED_CANCELLATIONS.has((reason as { Code?: string } | null)?.Code ?? ''),
    )
  ) {
    return 'throttled';
  }
  if (UNAVAILABLE_ERRORS.has(name)) return 'unavailable';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'unavailable';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return 'unavailable';
  // AggregateError (several addresses refused) and wrapped causes.
  if (error instanceof AggregateError) {
    return error.errors.map((inner) => dependencyFailure(inner, depth + 1)).find(Boolean);
  }
  return dependencyFailure(e.cause, depth + 1);
};

const envelope = (
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
): ErrorEnvelope => ({
  error: { code, message, ...(details && details.length > 0 ? { details } : {}), requestId },
});

const json = (
  statusCode: number,
  body: ErrorEnvelope,
  headers: Record<string, string> = {},
): ErrorResponse => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * The one error mapper: domain errors keep their code and status, DynamoDB/Cognito throttling and
 * unavailability become 503 with Retry-After, anything else is a 500 that carries only the request id.
 */
export const mapError = (error: unknown, requestId: string): ErrorResponse => {
  if (error instanceof ApiError) {
    return json(
      error.statusCode,
      envelope(error.code, error.message, requestId, error.details),
      error.headers,
    );
  }
  const failure = dependencyFailure(error);
  if (failure) {
    const retryAfter = failure === 'throttled' ? RETRY_AFTER_THROTTLED : RETRY_AFTER_UNAVAILABLE;
    return json(
      ERROR_STATUS.DEPENDENCY_UNAVAILABLE,
      envelope('DEPENDENCY_UNAVAILABLE', 'A backing service is unavailable; retry later.', requestId),
      { 'Retry-After': String(retryAfter) },
    );
  }
  return json(ERROR_STATUS.INTERNAL, envelope('INTERNAL', 'Internal error.', requestId));
};
