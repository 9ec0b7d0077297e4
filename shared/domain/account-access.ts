import type { AccountState } from '#contract/user-profile.ts';

/**
 * Whether a signed-in caller's token still opens the API (docs/privacy.md, "Accounts and sessions"),
 * as pure decisions. The facts live on the user's profile item, read strongly consistent on every
 * request (shared/data/account-access.ts):
 *
 * - `accountState`: `active`, `deactivated` (an admin closed the account) or `erasure_pending` (the user
 *   asked for erasure); an erased account has no profile at all. Only `active` opens anything.
 * - `tokensValidAfter`: every token whose sign-in happened before this epoch second is refused — set
 *   by a global sign-out (password change or reset, role change, deactivation, erasure).
 * - `revokedSessions`: single sign-ins ended by a logout, by their origin id (Cognito's `origin_jti`,
 *   shared by every token refreshed from one sign-in), each kept until the last token it could have
 *   issued has expired, then pruned.
 */

/** What a token says about the sign-in it descends from. */
export interface SessionFacts {
  /** Epoch second of the sign-in (`auth_time`; it stays the same across refreshes). */
  readonly authTime: number;
  /** Id shared by every token of one sign-in (`origin_jti`; the token's own `jti` where absent). */
  readonly originId: string;
}

export interface AccessRecord {
  readonly state: AccountState;
  /** Tokens whose sign-in is earlier than this epoch second are refused (0: none). */
  readonly tokensValidAfter: number;
  /** Ended sign-ins: origin id → epoch second after which no token of it can still be valid. */
  readonly revokedSessions: Readonly<Record<string, number>>;
}

export type AccessRefusal =
  /** No profile: never had one, or erased (purged). */
  | 'no_account'
  /** Deactivated, or erasure requested. */
  | 'account_closed'
  /** The sign-in predates a global sign-out. */
  | 'signed_out'
  /** The sign-in was ended by a logout. */
  | 'session_ended';

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; reason: AccessRefusal };

const ALLOWED: AccessDecision = { allowed: true };
const refuse = (reason: AccessRefusal): AccessDecision => ({ allowed: false, reason });

/**
 * The account state of a stored profile. Profiles written before the state existed carry `isActive`
 * and, after an erasure request, `erasureRequestedAt`; they read as the state they meant.
 */
export const accountStateOf = (stored: {
  accountState?: unknown;
  isActive?: unknown;
  erasureRequestedAt?: unknown;
}): AccountState => {
  if (
    stored.accountState === 'active' ||
    stored.accountState === 'deactivated' ||
    stored.accountState === 'erasure_pending'
  )
    return stored.accountState;
  if (typeof stored.erasureRequestedAt === 'string') return 'erasure_pending';
  return stored.isActive === true ? 'active' : 'deactivated';
};

/** Whether a token of this sign-in may use the API now. */
export const sessionAccess = (record: AccessRecord | undefined, session: SessionFacts): AccessDecision => {
  if (!record) return refuse('no_account');
  if (record.state !== 'active') return refuse('account_closed');
  if (session.authTime < record.tokensValidAfter) return refuse('signed_out');
  if (record.revokedSessions[session.originId] !== undefined) return refuse('session_ended');
  return ALLOWED;
};

/**
 * A machine client's tokens: refused when issued before the operator's cut for that client. A client
 * without a record has never been cut (machine clients are not accounts; Cognito's app client is).
 */
export const clientAccess = (
  record: { tokensValidAfter: number } | undefined,
  issuedAt: number,
): AccessDecision => (record && issuedAt < record.tokensValidAfter ? refuse('signed_out') : ALLOWED);

/**
 * The `tokensValidAfter` of a global sign-out at `now`: the next whole second. Token times are whole
 * seconds, so a sign-in in the same second as the cut may have come before it and is refused too; the
 * API's own sign-in routes wait out that second before they hand tokens out (waitForCut).
 */
export const sessionCutAt = (now: Date): number => Math.floor(now.getTime() / 1000) + 1;

/** Milliseconds until tokens of a sign-in at `now` pass the cut (0 when they already do). */
export const waitForCut = (record: Pick<AccessRecord, 'tokensValidAfter'> | undefined, now: Date): number =>
  record ? Math.max(0, record.tokensValidAfter * 1000 - now.getTime()) : 0;

/**
 * How long a logout's entry must stay: until every access token of that sign-in has expired. The
 * refresh token is revoked at Cognito in the same logout, so no token of the sign-in is issued after
 * `now`, and none lives longer than the stage's access-token validity.
 */
export const revocationExpiry = (now: Date, accessTokenMinutes: number): number =>
  Math.floor(now.getTime() / 1000) + accessTokenMinutes * 60;

/** The entries still needed at `now`; the others name sign-ins whose tokens have all expired. */
export const liveRevocations = (
  revoked: Readonly<Record<string, number>>,
  now: Date,
): Record<string, number> => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return Object.fromEntries(Object.entries(revoked).filter(([, expiresAt]) => expiresAt >= nowSeconds));
};

/** Origin ids are Cognito's UUIDs; anything else (a forged or odd claim) is never a map key. */
export const isOriginId = (value: string): boolean => /^[A-Za-z0-9-]{1,64}$/.test(value);
