import { CORS_EXPOSE_HEADERS } from '#contract/cors.ts';
import type { ApiMiddleware } from '../types.ts';

const EXPOSE = CORS_EXPOSE_HEADERS.join(',');

/**
 * The CORS headers of every answer (API Gateway and the local gateway answer the preflights with the
 * same policy, shared/contract/cors.ts). A request from an allowed origin gets that origin back, exactly,
 * with the headers a browser may read; a request from any other origin gets no CORS header at all, so
 * the browser keeps the answer from the calling page. `Vary: Origin` on every answer, since it depends
 * on the Origin header: no cache may hand one origin's answer to another.
 *
 * Our own rather than @middy/http-cors: the policy is an exact allow-list and nothing else (no
 * wildcard, no credentials, no per-route options), which takes a few lines, while the general
 * middleware added 3.7 KB to every function's bundle (measured with the bundle bench, docs/build.md).
 */
export const cors = (origins: readonly string[]): ApiMiddleware => {
  const allowed = new Set(origins);
  const apply: NonNullable<ApiMiddleware['after']> = (request) => {
    const response = request.response;
    if (!response) return;
    const headers = (response.headers ??= {});
    const vary = headers.Vary ?? headers.vary;
    if (vary === undefined) headers.Vary = 'Origin';
    else if (!/(^|,)\s*origin\s*(,|$)/i.test(String(vary))) headers.Vary = `${String(vary)}, Origin`;
    // Request headers are lower-case by now (lowerCaseHeaderNames's `before` ran).
    const origin = request.event.headers?.origin;
    if (origin === undefined || !allowed.has(origin)) return;
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = EXPOSE;
  };
  return { after: apply, onError: apply };
};
