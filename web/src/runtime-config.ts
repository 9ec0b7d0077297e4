/**
 * What a stage tells the console at run time, in /config.json beside the bundle: the CDK writes it per
 * stage (lib/constructs/console.ts), the local runtime serves it (lib/local/console-server.ts). Types
 * only, so the build code and the browser code share one definition.
 */
export interface ConsoleRuntimeConfig {
  stage: string;
  /** The API's base URL, no trailing slash. */
  apiUrl: string;
  /** The managed login's base URL (the Cognito domain in AWS; the local stand-in on `npm start`). */
  authUrl: string;
  /** The web client: authorization code + PKCE, no secret. */
  clientId: string;
  /** Whether the stage's pool asks every user for a second factor. */
  mfa: 'off' | 'optional' | 'required';
  /** Days between an erasure request and the purge of every item (stated before the user confirms). */
  erasureGraceDays: number;
  /**
   * The smallest group the dashboard shows (the activity k): a hidden cell says "fewer than this many
   * people". A published rule, not a withheld number.
   */
  privacyThreshold: number;
  /** Set by the local runtime only. */
  local?: boolean;
}
