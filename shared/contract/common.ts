import * as z from 'zod/mini';
import { _coercedNumber } from 'zod/v4/core';
import { dropIfUnused } from './lazy.ts';

/**
 * Error codes of docs/api.md, with the HTTP status our handlers send each one with. The one exception is
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
export const ERROR_CODES = /* @__PURE__ */ Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

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

/**
 * The one way the contract checks a string against a pattern: a mismatch is a 400 whose message names
 * the expected format (`must be YYYY-MM`), never the pattern or zod's "must be a valid regex".
 * `format` completes "must be …".
 */
export const pattern = (regex: RegExp, format: string) => z.regex(regex, { message: `must be ${format}` });

/**
 * The one key name a free-form map cannot hold as plain data: JSON.parse keeps it as a key, but every
 * assignment of it (the DynamoDB marshaller, any `{}`-based map) replaces the object's prototype
 * instead, and zod's record parser skips it, so the entry would vanish without a word.
 */
export const RESERVED_KEY = '__proto__';

/**
 * A client's free-form map (survey answers, mental-state indicators, voice features): keys as `key`
 * allows (each failing key is a 400 naming it), values as `value`, and the reserved name refused by
 * name instead of silently dropped. Every other name the key schema allows — `constructor`,
 * `toString`, `valueOf` included — is stored and read back as sent (shared/data/marshalling.ts).
 */
export const freeFormMap = <K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(key: K, value: V) =>
  z.pipe(
    z.transform((input: unknown, payload) => {
      if (input !== null && typeof input === 'object' && Object.hasOwn(input, RESERVED_KEY)) {
        payload.issues.push({
          code: 'invalid_key',
          origin: 'record',
          input: RESERVED_KEY,
          path: [RESERVED_KEY],
          issues: [{ code: 'custom', message: 'is a reserved name', path: [], input: RESERVED_KEY }],
        } as (typeof payload.issues)[number]);
      }
      return input;
    }),
    z.record(key, value),
  );

/**
 * What `z.iso.datetime({ offset: true })` builds at run time (a calendar date, `T`, a time with optional
 * fraction, then `Z` or a `±hh:mm` offset), written out: the builder that assembles it for every option
 * travelled into each bundle using a timestamp (about 1.5 KB); the test holds the two to the same answers
 * and the same OpenAPI schema.
 */
export const ISO_DATETIME_WITH_OFFSET =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** An instant with its offset, e.g. `2026-03-01T08:00:00Z`; refused as `must be a valid datetime`. */
export const IsoTimestamp = /* @__PURE__ */ z.lazy(() =>
  z.stringFormat('datetime', ISO_DATETIME_WITH_OFFSET),
);
/**
 * What `z.uuid()` accepts (the RFC 9562 layout with versions 1–8, and the nil and max UUIDs), written
 * out, and checked as a `uuid` string format: `z.uuid()`'s kind builds its pattern per version at run
 * time, and that builder travelled into every bundle with an id parameter. Same values, same 400 details
 * (`must be a valid uuid`) and the same OpenAPI schema (test/unit/validation.test.ts).
 */
export const UUID_PATTERN =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
export const uuid = () => z.stringFormat('uuid', UUID_PATTERN);
export const Uuid = /* @__PURE__ */ uuid();

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

/**
 * A whole number in a query string, written plainly: `25`, not `+25`, ` 25`, `25.0`, `2.5e1` or `0x19`
 * (which a number coercion would read as 25 and hide a client's mistake).
 */
export const QueryInteger = /* @__PURE__ */ dropIfUnused(() =>
  z.pipe(
    z.string().check(pattern(/^(?:0|[1-9]\d{0,8})$/, 'a whole number written in digits, e.g. 25')),
    // What z.coerce.number() builds, without going through `z.coerce`: that namespace object is kept
    // whole, so every bundle with a list carried the boolean, bigint and date kinds along (about 1 KB).
    _coercedNumber(z.ZodMiniNumber) as z.ZodMiniNumber<string>,
  ),
);

/** List query parameters: `limit` 1–100 (default 25) and an opaque `cursor`. */
export const PageQuery = /* @__PURE__ */ dropIfUnused(() => ({
  limit: z._default(QueryInteger.check(z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
}));

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.lazy(() => z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) }));
