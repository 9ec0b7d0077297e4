/**
 * The API's CORS policy apart from the origins (stage config `api.corsOrigins`): what a browser may send
 * on a cross-origin call, what it may read from a response, and how long it may cache a preflight
 * answer. API Gateway's preflight methods (lib/constructs/api.ts), the local gateway's preflight
 * (lib/local/gateway.ts) and the handlers' CORS headers (shared/http/middlewares/cors.ts) all read these,
 * so a browser meets the same policy in AWS and locally.
 */

/** Request headers a cross-origin caller may send (the preflight's Access-Control-Allow-Headers). */
export const CORS_ALLOW_HEADERS = [
  'Content-Type',
  'Authorization',
  'X-Api-Key',
  'Idempotency-Key',
  'X-Correlation-Id',
  'X-Amz-Date',
  'X-Amz-Security-Token',
] as const;

/** Response headers a cross-origin caller may read (Access-Control-Expose-Headers). */
export const CORS_EXPOSE_HEADERS = ['X-Correlation-Id', 'Retry-After'] as const;

/**
 * How long a browser may reuse a preflight answer (Access-Control-Max-Age), in seconds: one hour, the
 * value the deployed API has always sent. What a preflight answers (origins, methods, headers) changes
 * only with a deployment (or a restart of the local runtime), so a longer cache costs no correctness
 * between those, and it saves a round trip per method and path; an hour bounds how long a browser keeps
 * a withdrawn origin or method after one. Browsers cap the value themselves (Chromium at 2 h, Firefox at
 * 24 h), so every browser honours an hour as it is.
 */
export const CORS_MAX_AGE_SECONDS = 3600;
