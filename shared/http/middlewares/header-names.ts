import type { ApiMiddleware } from '../types.ts';

/** `headers` (or `multiValueHeaders`) with every name lower-cased; a later duplicate name wins. */
const lowerCased = <V>(headers: Record<string, V>): Record<string, V> => {
  // No prototype: a header called `__proto__` or `constructor` is just a name.
  const byLowerCaseName = Object.create(null) as Record<string, V>;
  for (const [name, value] of Object.entries(headers)) byLowerCaseName[name.toLowerCase()] = value;
  return byLowerCaseName;
};

/**
 * Lower-cases the names of the request's headers (single- and multi-value), so every later step reads
 * `headers.origin`, `headers['content-type']`, `headers['idempotency-key']` whatever case the client or
 * API Gateway used. Header names are case-insensitive (RFC 9110).
 *
 * Our own rather than @middy/http-header-normalizer: we only lower-case (no canonical casing, no
 * default headers), which takes a few lines, while the general middleware added about 1.4 KB to every
 * function's bundle (docs/build.md).
 */
export const lowerCaseHeaderNames = (): ApiMiddleware => ({
  before: (request) => {
    const event = request.event;
    if (event.headers) event.headers = lowerCased(event.headers);
    if (event.multiValueHeaders) event.multiValueHeaders = lowerCased(event.multiValueHeaders);
  },
});
