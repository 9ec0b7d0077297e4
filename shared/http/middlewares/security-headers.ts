import { SECURITY_HEADERS } from '#contract/common.ts';
import type { ApiMiddleware } from '../types.ts';

/** Adds SECURITY_HEADERS to every response; a response that set its own value (the docs page's CSP) keeps it. */
const apply: NonNullable<ApiMiddleware['after']> = (request) => {
  const response = request.response;
  if (!response) return;
  const headers = (response.headers ??= {});
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!present.has(name.toLowerCase())) headers[name] = value;
  }
};

export const securityHeaders = (): ApiMiddleware => ({ after: apply, onError: apply });
