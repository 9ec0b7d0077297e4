/**
 * Login lockout: 5 failed logins for an account within 15 minutes lock it for 15 minutes; a success
 * resets the count. Keyed by a hash of the normalised e-mail, so an unknown e-mail is counted and
 * locked exactly like a known one and the response never reveals whether an account exists.
 */
export const LOCKOUT_POLICY = {
  maxFailures: 5,
  windowSeconds: 15 * 60,
  lockSeconds: 15 * 60,
} as const;

export interface LoginAttempts {
  /** Failures counted in the current window. */
  failures: number;
  /** Epoch seconds when the window began (first failure). */
  windowStart: number;
  /** Epoch seconds until which sign-in is refused, if locked. */
  lockedUntil?: number;
}

/** Seconds left on a lock, or 0 when sign-in may be attempted. */
export const lockRemaining = (attempts: LoginAttempts | undefined, nowSeconds: number): number =>
  attempts?.lockedUntil && attempts.lockedUntil > nowSeconds ? attempts.lockedUntil - nowSeconds : 0;

/**
 * The attempts after one more failure at `nowSeconds`. A failure during a lock changes nothing (the
 * lock stands as set); after a lock or an expired window, counting starts again.
 */
export const recordFailure = (attempts: LoginAttempts | undefined, nowSeconds: number): LoginAttempts => {
  if (attempts && lockRemaining(attempts, nowSeconds) > 0) return attempts;
  const windowOpen =
    attempts !== undefined &&
    attempts.lockedUntil === undefined &&
    nowSeconds - attempts.windowStart < LOCKOUT_POLICY.windowSeconds;
  const next: LoginAttempts = windowOpen
    ? { failures: attempts.failures + 1, windowStart: attempts.windowStart }
    : { failures: 1, windowStart: nowSeconds };
  if (next.failures >= LOCKOUT_POLICY.maxFailures) next.lockedUntil = nowSeconds + LOCKOUT_POLICY.lockSeconds;
  return next;
};

/** When DynamoDB may delete the attempts item (TTL): after the window and any lock have passed. */
export const attemptsExpireAt = (attempts: LoginAttempts): number =>
  Math.max(attempts.windowStart + LOCKOUT_POLICY.windowSeconds, attempts.lockedUntil ?? 0) + 60;
