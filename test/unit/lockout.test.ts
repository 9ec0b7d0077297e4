import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addressScope,
  afterFailure,
  afterSuccess,
  attemptsExpireAt,
  LOCKOUT_POLICY,
  lockRemaining,
  recordFailure,
  signInLock,
  type LockoutState,
  type LoginAttempts,
} from '#domain/lockout.ts';

const T0 = 1_800_000_000;
const failures = (count: number, startAt = T0, step = 1): LoginAttempts | undefined => {
  let state: LoginAttempts | undefined;
  for (let i = 0; i < count; i++) state = recordFailure(state, startAt + i * step);
  return state;
};

describe('login lockout policy', () => {
  it('pins the policy: 5 failures from an address in 15 minutes lock it for 15; 20 from all lock strangers', () => {
    expect(LOCKOUT_POLICY).toEqual({
      maxFailures: 5,
      windowSeconds: 900,
      lockSeconds: 900,
      accountMaxFailures: 20,
      knownAddresses: 5,
    });
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

describe('lockout by e-mail and address', () => {
  /** Failures of one e-mail, each from the address given, from T0 on (one per second). */
  const play = (addresses: string[], start: LockoutState = {}) => {
    const byAddress = new Map<string, LoginAttempts>();
    let account = start.account;
    addresses.forEach((address, i) => {
      const next = afterFailure({ account, address: byAddress.get(address) }, T0 + i);
      account = next.account;
      byAddress.set(address, next.address);
    });
    return { account, byAddress };
  };

  it('locks the guessing address, not the owner elsewhere', () => {
    const { account, byAddress } = play(Array(5).fill('attacker'));
    const now = T0 + 10;
    expect(signInLock({ account, address: byAddress.get('attacker') }, 'attacker', now)).toBeGreaterThan(0);
    expect(signInLock({ account, address: undefined }, 'owner', now)).toBe(0);
  });

  it('caps guessing spread over many addresses, except from addresses the owner signed in from', () => {
    const known = afterSuccess(undefined, 'owner-home');
    const { account } = play(
      Array.from({ length: LOCKOUT_POLICY.accountMaxFailures }, (_, i) => `bot-${i}`),
      { account: known },
    );
    const now = T0 + 30;
    expect(signInLock({ account }, 'bot-new', now)).toBeGreaterThan(0);
    expect(signInLock({ account }, 'owner-home', now)).toBe(0);
  });

  it('never lets an attacker elsewhere lock the owner out of a known address (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'), { maxLength: 200 }),
        (attackers) => {
          const start = { account: afterSuccess(undefined, 'owner') };
          const { account } = play(attackers, start);
          // The owner's own address has no failures of its own: no lock applies to it.
          expect(signInLock({ account, address: undefined }, 'owner', T0 + attackers.length)).toBe(0);
        },
      ),
    );
  });

  it('keeps the last five addresses with a successful sign-in, newest first', () => {
    let account = afterSuccess(undefined, 'a');
    for (const address of ['b', 'c', 'd', 'e', 'f', 'b']) account = afterSuccess(account, address);
    expect(account.knownAddresses).toEqual(['b', 'f', 'e', 'd', 'c']);
  });

  it.each([
    ['an IPv4 address, whole', '203.0.113.7', '203.0.113.7'],
    ['an IPv6 address, by its /64', '2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3:8d3::/64'],
    ['a compressed IPv6 address', '2001:db8::1', '2001:db8:0:0::/64'],
    ['another address of the same /64', '2001:0db8:0000:0000:ffff::1', '2001:db8:0:0::/64'],
  ])('counts %s', (_case, ip, scope) => {
    expect(addressScope(ip)).toBe(scope);
  });
});
