import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_STATES } from '#contract/user-profile.ts';
import {
  accountStateOf,
  clientAccess,
  liveRevocations,
  revocationExpiry,
  sessionAccess,
  sessionCutAt,
  waitForCut,
  type AccessRecord,
} from '#domain/account-access.ts';

const T = 1_800_000_000;
const session = { authTime: T, originId: 'origin-1' };
const active: AccessRecord = { state: 'active', tokensValidAfter: 0, revokedSessions: {} };

describe('sessionAccess', () => {
  it('lets an active account’s sign-in through', () => {
    expect(sessionAccess(active, session)).toEqual({ allowed: true });
  });

  it('refuses without an account (never had one, or purged)', () => {
    expect(sessionAccess(undefined, session)).toEqual({ allowed: false, reason: 'no_account' });
  });

  it.each(['deactivated', 'erasure_pending'] as const)(
    'refuses a %s account, whatever the token',
    (state) => {
      expect(sessionAccess({ ...active, state }, session)).toEqual({
        allowed: false,
        reason: 'account_closed',
      });
    },
  );

  it('refuses a sign-in older than the last global sign-out, and lets a later one through', () => {
    const cut = { ...active, tokensValidAfter: T + 1 };
    expect(sessionAccess(cut, session)).toEqual({ allowed: false, reason: 'signed_out' });
    expect(sessionAccess(cut, { ...session, authTime: T + 1 })).toEqual({ allowed: true });
  });

  it('refuses the sign-ins a logout ended, and only those', () => {
    const record = { ...active, revokedSessions: { 'origin-1': T + 3600 } };
    expect(sessionAccess(record, session)).toEqual({ allowed: false, reason: 'session_ended' });
    expect(sessionAccess(record, { ...session, originId: 'origin-2' })).toEqual({ allowed: true });
  });

  it('allows exactly when the account is active, the sign-in is after the cut and not ended (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACCOUNT_STATES),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }),
        fc.constantFrom('a', 'b', 'c', 'd'),
        (state, cut, authTime, ended, origin) => {
          const record = {
            state,
            tokensValidAfter: cut,
            revokedSessions: Object.fromEntries(ended.map((id) => [id, 99])),
          };
          const decision = sessionAccess(record, { authTime, originId: origin });
          expect(decision.allowed).toBe(state === 'active' && authTime >= cut && !ended.includes(origin));
        },
      ),
    );
  });
});

describe('global sign-out', () => {
  it('cuts at the next whole second, so a token of the same second never survives it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), (ms) => {
        const now = new Date(T * 1000 + ms);
        const cut = sessionCutAt(now);
        // A token signed in during the second of the cut (before or after it) is refused …
        expect(sessionAccess({ ...active, tokensValidAfter: cut }, { ...session, authTime: T }).allowed).toBe(
          false,
        );
        // … and the API's own sign-in waits until the next second before it hands tokens out.
        expect(waitForCut({ tokensValidAfter: cut }, now)).toBe(1000 - ms);
        expect(waitForCut({ tokensValidAfter: cut }, new Date((T + 1) * 1000))).toBe(0);
      }),
    );
  });
});

describe('logout records', () => {
  it('keeps a logout as long as the sign-in’s access tokens can live, then lets it go', () => {
    const now = new Date(T * 1000);
    const expiry = revocationExpiry(now, 60);
    expect(expiry).toBe(T + 3600);
    const record = { gone: T - 1, kept: T + 10 };
    expect(liveRevocations(record, now)).toEqual({ kept: T + 10 });
  });
});

describe('accountStateOf', () => {
  it('reads the state, and the shape profiles had before it', () => {
    expect(accountStateOf({ accountState: 'deactivated', isActive: true })).toBe('deactivated');
    expect(accountStateOf({ isActive: true })).toBe('active');
    expect(accountStateOf({ isActive: false })).toBe('deactivated');
    expect(accountStateOf({ isActive: false, erasureRequestedAt: '2026-11-01T00:00:00.000Z' })).toBe(
      'erasure_pending',
    );
    // Nothing that says active: closed (fails closed).
    expect(accountStateOf({})).toBe('deactivated');
  });
});

describe('clientAccess', () => {
  it('lets a pipeline through until the operator cuts its client, then only newer tokens', () => {
    expect(clientAccess(undefined, T)).toEqual({ allowed: true });
    expect(clientAccess({ tokensValidAfter: T + 1 }, T)).toEqual({ allowed: false, reason: 'signed_out' });
    expect(clientAccess({ tokensValidAfter: T + 1 }, T + 1)).toEqual({ allowed: true });
  });
});
