import { describe, expect, it } from 'vitest';
import {
  attemptsExpireAt,
  LOCKOUT_POLICY,
  lockRemaining,
  recordFailure,
  type LoginAttempts,
} from '#domain/lockout.ts';

const T0 = 1_800_000_000;
const failures = (count: number, startAt = T0, step = 1): LoginAttempts | undefined => {
  let state: LoginAttempts | undefined;
  for (let i = 0; i < count; i++) state = recordFailure(state, startAt + i * step);
  return state;
};

describe('login lockout policy', () => {
  it('pins the policy of the issue: 5 failures in 15 minutes lock for 15 minutes', () => {
    expect(LOCKOUT_POLICY).toEqual({ maxFailures: 5, windowSeconds: 900, lockSeconds: 900 });
  });

  it('does not lock after 4 failures and locks on the 5th, for 900 s from that failure', () => {
    const four = failures(4);
    expect(four?.lockedUntil).toBeUndefined();
    const five = recordFailure(four, T0 + 10);
    expect(five.lockedUntil).toBe(T0 + 10 + 900);
    expect(lockRemaining(five, T0 + 10)).toBe(900);
    expect(lockRemaining(five, T0 + 10 + 899)).toBe(1);
    expect(lockRemaining(five, T0 + 10 + 900)).toBe(0);
  });

  it('only counts failures inside the 15-minute window that began with the first one', () => {
    // Four failures, then the fifth at 900 s after the first: a new window, count 1.
    const four = failures(4);
    const late = recordFailure(four, T0 + 900);
    expect(late).toEqual({ failures: 1, windowStart: T0 + 900 });
    // At 899 s it is still the same window: the fifth failure locks.
    expect(recordFailure(four, T0 + 899).lockedUntil).toBe(T0 + 899 + 900);
  });

  it('leaves a lock as it is when failures continue during it', () => {
    const locked = failures(5)!;
    expect(recordFailure(locked, T0 + 100)).toEqual(locked);
  });

  it('starts counting again after a lock has passed', () => {
    const locked = failures(5)!;
    expect(recordFailure(locked, locked.lockedUntil! + 1)).toEqual({
      failures: 1,
      windowStart: locked.lockedUntil! + 1,
    });
  });

  it('lets DynamoDB expire the counter only after both the window and the lock are over', () => {
    const open = failures(1)!;
    expect(attemptsExpireAt(open)).toBe(T0 + 900 + 60);
    const locked = recordFailure(failures(4, T0), T0 + 600);
    expect(attemptsExpireAt(locked)).toBe(T0 + 600 + 900 + 60);
  });
});
