import { ERROR_STATUS, type ErrorCode, type ErrorDetail } from '#contract/common.ts';

/**
 * The one error type use cases throw for an expected outcome. The error mapper turns it into the
 * envelope of docs/api.md with the status fixed by its code; anything else is a 500 or, for an unreachable
 * dependency, a 503.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const validationFailed = (details: ErrorDetail[]): ApiError =>
  new ApiError('VALIDATION_FAILED', 'The request is not valid; see details for each field.', { details });

export const unauthenticated = (): ApiError =>
  new ApiError('UNAUTHENTICATED', 'A valid access token is required.');

export const forbidden = (message = 'You are not allowed to perform this action.'): ApiError =>
  new ApiError('FORBIDDEN', message);

export const notFound = (what = 'The resource'): ApiError =>
  new ApiError('NOT_FOUND', `${what} was not found.`);

export const conflict = (message: string): ApiError => new ApiError('CONFLICT', message);
