import * as z from 'zod/mini';

/**
 * Error codes of API.md, with the HTTP status our handlers send each one with. The one exception is
 * API Gateway's own integration failures (502) and timeouts (504), which carry INTERNAL.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  THROTTLED: 429,
  ACCOUNT_LOCKED: 429,
  INTERNAL: 500,
  DEPENDENCY_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const ErrorDetail = /* @__PURE__ */ z.lazy(() =>
  z.object({
    field: z.string(),
    code: z.string(),
    message: z.string(),
  }),
);
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorEnvelope = /* @__PURE__ */ z.lazy(() =>
  z.object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.optional(z.array(ErrorDetail)),
      requestId: z.string(),
    }),
  }),
);
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** Largest request body any route accepts (API Gateway's own hard limit is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** Built on first use too: the date-time pattern is one of the costlier schemas to construct. */
export const IsoTimestamp = /* @__PURE__ */ z.lazy(() => z.iso.datetime({ offset: true }));
export const Uuid = /* @__PURE__ */ z.uuid();

/**
 * Headers on every response of an API that serves health data: never cached, never framed, never
 * sniffed. The handler chain adds them, and so do API Gateway's own responses and the local gateway's.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** List query parameters (API.md): `limit` 1–100 (default 25) and an opaque `cursor`. */
export const PageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.lazy(() => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) }));
