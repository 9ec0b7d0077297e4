/**
 * The console's response headers, one definition for CloudFront's response-headers policy
 * (lib/constructs/console.ts) and the local console server (lib/local/console-server.ts):
 *
 * - a strict Content-Security-Policy: scripts and styles from the console's own origin only (no inline
 *   script, no eval), connections only to the API and the managed login's token endpoint, no frames,
 *   no plugins, no form submissions (the sign-in happens on the managed login's own pages);
 * - HSTS (two years, subdomains), no framing (X-Frame-Options DENY and frame-ancestors 'none'), no
 *   MIME sniffing, no referrer, and no access to powerful features the console does not use.
 */
export interface ConsoleOrigins {
  /** The API's origin (scheme://host[:port]). */
  api: string;
  /** The managed login's origin (the Cognito domain, or the local stand-in). */
  auth: string;
}

export const consoleContentSecurityPolicy = (origins: ConsoleOrigins): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${origins.api} ${origins.auth}`,
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
  ].join('; ');

export const CONSOLE_HSTS_SECONDS = 63_072_000;

export const consoleSecurityHeaders = (origins: ConsoleOrigins): Record<string, string> => ({
  'Content-Security-Policy': consoleContentSecurityPolicy(origins),
  'Strict-Transport-Security': `max-age=${CONSOLE_HSTS_SECONDS}; includeSubDomains`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
});
