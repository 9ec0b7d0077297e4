import type { ApiResult } from './types.ts';

/** Response helpers: the status code says what happened. */
export const ok = (body: unknown, headers?: Record<string, string>): ApiResult => ({
  statusCode: 200,
  body,
  headers,
});
export const created = (body: unknown, headers?: Record<string, string>): ApiResult => ({
  statusCode: 201,
  body,
  headers,
});
export const noContent = (): ApiResult => ({ statusCode: 204 });
