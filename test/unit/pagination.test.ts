import './support/test-env.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiError } from '#http/errors.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

const key = { PK: 'USER#0f5b0a3c-1111-4a4a-9999-aaaaaaaaaaaa', SK: 'CHAT#2026-11-01T00:00:00.000Z#x' };
const scope = 'analyses.chat:0f5b0a3c';

const expectInvalid = (fn: () => unknown) => {
  try {
    fn();
    expect.unreachable('cursor was accepted');
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(400);
    expect((error as ApiError).details?.[0]).toMatchObject({ field: 'query.cursor', code: 'invalid_cursor' });
  }
};

describe('list cursors', () => {
  it('round-trips the start key for the same list, and is null on the last page', () => {
    const cursor = sealCursor(key, scope)!;
    expect(openCursor(cursor, scope)).toEqual(key);
    expect(sealCursor(undefined, scope)).toBeNull();
    expect(openCursor(undefined, scope)).toBeUndefined();
  });

  it('does not show the storage keys to the client', () => {
    const cursor = sealCursor(key, scope)!;
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(decoded).not.toContain('USER#');
    expect(decoded).not.toContain('PK');
  });

  it('refuses a cursor issued for another list (another user or filter)', () => {
    expectInvalid(() => openCursor(sealCursor(key, scope)!, 'analyses.chat:someone-else'));
  });

  it('refuses every single-byte modification', () => {
    const raw = Buffer.from(sealCursor(key, scope)!, 'base64url');
    fc.assert(
      fc.property(fc.nat({ max: raw.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const tampered = Buffer.from(raw);
        tampered[index] = tampered[index]! ^ flip;
        expectInvalid(() => openCursor(tampered.toString('base64url'), scope));
      }),
      { seed: 20261126, numRuns: 200 },
    );
  });

  it('refuses garbage and truncated cursors', () => {
    for (const bad of ['x', 'not base64 at all!', sealCursor(key, scope)!.slice(0, 20), '']) {
      expectInvalid(() => openCursor(bad, scope));
    }
  });
});
