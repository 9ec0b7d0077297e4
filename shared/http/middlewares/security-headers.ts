import type { ApiMiddleware } from '../types.ts';

/**
 * Headers for a JSON API that serves health data: never cached, never framed, never sniffed. A response
 * that set its own value (the docs page sets its own Content-Security-Policy) keeps it.
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
