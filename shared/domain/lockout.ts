/**
 * Sign-in lockout that nobody can use to lock someone else out at will (docs/privacy.md, "Sign-in").
 * Failures are counted twice, by a hash of the normalised e-mail (so an unknown e-mail is counted and
 * locked exactly like a known one, and the answer never tells whether an account exists):
 *
 * - per e-mail AND client address: 5 failures in 15 minutes lock that address out of that account for
 *   15 minutes — a guesser is stopped, the real user elsewhere is not;
 * - per e-mail from all addresses: 20 failures in 15 minutes lock the account for 15 minutes for every
 *   address it has not signed in from successfully — guessing spread over many addresses is capped,
 *   while the owner's own addresses (the last 5 with a successful sign-in) keep working.
 *
 * A success clears the counter of its address (not the account's: a guesser spreading over addresses
 * gains nothing from the owner signing in). The same counters cover every step that proves knowledge
 * of a secret: password, TOTP code, password-reset code, and the request for a reset code.
 */
export const LOCKOUT_POLICY = {
  maxFailures: 5,
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
  accountMaxFailures: 20,
  knownAddresses: 5,
} as const;

export interface LoginAttempts {
  /** Failures counted in the current window. */
  failures: number;
  /** Epoch seconds when the window began (first failure). */
  windowStart: number;
  /** Epoch seconds until which sign-in is refused, if locked. */
  lockedUntil?: number;
}

/** The account-wide counter also remembers the addresses its owner signed in from. */
export interface AccountAttempts extends Partial<LoginAttempts> {
  /** Hashes of the last addresses with a successful sign-in, newest first. */
  knownAddresses?: readonly string[];
}

/** Seconds left on a lock, or 0 when sign-in may be attempted. */
export const lockRemaining = (attempts: Partial<LoginAttempts> | undefined, nowSeconds: number): number =>
  attempts?.lockedUntil && attempts.lockedUntil > nowSeconds ? attempts.lockedUntil - nowSeconds : 0;

/**
 * The attempts after one more failure at `nowSeconds`, locking at `maxFailures`. A failure during a
 * lock changes nothing (the lock stands as set); after a lock or an expired window, counting starts
 * again.
 */
export const recordFailure = (
  attempts: Partial<LoginAttempts> | undefined,
  nowSeconds: number,
  maxFailures: number = LOCKOUT_POLICY.maxFailures,
): LoginAttempts => {
  if (
    attempts?.failures !== undefined &&
    attempts.windowStart !== undefined &&
    lockRemaining(attempts, nowSeconds) > 0
  )
    return {
      failures: attempts.failures,
      windowStart: attempts.windowStart,
      lockedUntil: attempts.lockedUntil!,
    };
  const windowOpen =
    attempts?.failures !== undefined &&
    attempts.windowStart !== undefined &&
    attempts.lockedUntil === undefined &&
    nowSeconds - attempts.windowStart < LOCKOUT_POLICY.windowSeconds;
  const next: LoginAttempts = windowOpen
    ? { failures: attempts.failures! + 1, windowStart: attempts.windowStart! }
    : { failures: 1, windowStart: nowSeconds };
  if (next.failures >= maxFailures) next.lockedUntil = nowSeconds + LOCKOUT_POLICY.lockSeconds;
  return next;
};

export interface LockoutState {
  /** The e-mail's counter over all addresses, with its known addresses. */
  account?: AccountAttempts | undefined;
  /** The e-mail's counter from the caller's address. */
  address?: LoginAttempts | undefined;
}

/** Seconds this address must wait before it may try this e-mail again (0: it may now). */
export const signInLock = (state: LockoutState, addressHash: string, nowSeconds: number): number => {
  const known = state.account?.knownAddresses?.includes(addressHash) ?? false;
  return Math.max(
    lockRemaining(state.address, nowSeconds),
    known ? 0 : lockRemaining(state.account, nowSeconds),
  );
};

/** Both counters after a failure from this address. */
export const afterFailure = (
  state: LockoutState,
  nowSeconds: number,
): { account: AccountAttempts; address: LoginAttempts } => ({
  account: {
    ...recordFailure(state.account, nowSeconds, LOCKOUT_POLICY.accountMaxFailures),
    ...(state.account?.knownAddresses ? { knownAddresses: state.account.knownAddresses } : {}),
  },
  address: recordFailure(state.address, nowSeconds),
});

/** The account counter after a successful sign-in from this address: the address becomes known. */
export const afterSuccess = (account: AccountAttempts | undefined, addressHash: string): AccountAttempts => ({
  ...account,
  knownAddresses: [
    addressHash,
    ...(account?.knownAddresses ?? []).filter((known) => known !== addressHash),
  ].slice(0, LOCKOUT_POLICY.knownAddresses),
});

/** When DynamoDB may delete a counter (TTL): after the window and any lock have passed. */
export const attemptsExpireAt = (attempts: Partial<LoginAttempts>): number | undefined =>
  attempts.windowStart === undefined
    ? undefined
    : Math.max(attempts.windowStart + LOCKOUT_POLICY.windowSeconds, attempts.lockedUntil ?? 0) + 60;

/**
 * The part of a client address that identifies who is behind it: an IPv4 address whole, an IPv6
 * address by its /64 (one customer network gets a whole /64, so counting single IPv6 addresses would
 * give a guesser millions of fresh counters).
 */
export const addressScope = (sourceIp: string): string => {
  if (!sourceIp.includes(':')) return sourceIp;
  const [head = '', tail = ''] = sourceIp.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = sourceIp.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
};
