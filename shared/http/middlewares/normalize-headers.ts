import type { ApiMiddleware } from '../types.ts';

/** The same record with every key lower-cased; of two names differing only in case, the later wins. */
const lowerCaseKeys = <T>(record: Readonly<Record<string, T>>): Record<string, T> => {
  const normalized: Record<string, T> = Object.create(null);
  for (const key in record) normalized[key.toLowerCase()] = record[key] as T;
  return normalized;
};

/**
 * Lower-cases the request's header names: REST APIs pass them in the client's own case, and the rest
 * of the chain reads `content-type`, `user-agent`… (Our own few lines instead of
 * @middy/http-header-normalizer, which does the same with its defaults and costs 1.5 KB of every bundle.)
 */
export const normalizeHeaders = (): ApiMiddleware => ({
  before: ({ event }) => {
    if (event.headers) event.headers = lowerCaseKeys(event.headers);
    if (event.multiValueHeaders) event.multiValueHeaders = lowerCaseKeys(event.multiValueHeaders);
  },
});
