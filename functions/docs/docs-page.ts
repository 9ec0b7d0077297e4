import { createHash } from 'node:crypto';

/**
 * What the two documentation pages (/docs with Swagger UI, /redoc with Redoc) share: both load a
 * renderer's files from a base URL (a pinned CDN directory in AWS, the local gateway's copy of the
 * installed package locally) and the OpenAPI document from `openapi.json` next to the page, under a
 * Content-Security-Policy that allows exactly that.
 */

/** A CSP source for an inline script that never changes: its hash instead of 'unsafe-inline'. */
export const scriptHash = (script: string): string =>
  `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

export const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The CSP source for a renderer's files: the base URL's directory rather than its whole origin, because a
 * public CDN origin also serves every other package's scripts. Falls back to the origin when the path
 * holds characters a CSP source expression cannot.
 */
export const assetSource = (base: string): string => {
  const url = new URL(`${base}/`);
  const withPath = `${url.origin}${url.pathname}`;
  return /^[!-~]+$/.test(withPath) && !/[;,']/.test(withPath) ? withPath : url.origin;
};

/** The directives both pages share; each page adds its own. */
export const docsContentSecurityPolicy = (directives: readonly string[]): string =>
  [
    "default-src 'none'",
    ...directives,
    // The document (and Swagger UI's "Try it out" requests) go to this API only.
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
