import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { requireSetting } from '#contract/runtime-env.ts';

/**
 * Opaque, tamper-evident values the API hands to a client and gets back: sealed with AES-256-GCM under
 * a key derived from the stage's cursor secret for one purpose (`info`), and bound to a scope (the
 * associated data), so clients cannot read what is inside, any modification fails, and a value issued
 * for one purpose or scope is never accepted for another. List cursors (pagination.ts) and sign-in
 * challenge sessions (auth) are sealed this way.
 */
const VERSION = 1;

export interface Sealer {
  seal(value: unknown, scope: string): string;
  /** The value, or undefined for anything this sealer did not issue for this scope. */
  open(sealed: string, scope: string): unknown;
}

export const createSealer = (info: string): Sealer => {
  let key: Buffer | undefined;
  const sealKey = (): Buffer =>
    (key ??= Buffer.from(hkdfSync('sha256', requireSetting('cursorSecret'), 'mha-cursor', info, 32)));
  return {
    seal: (value, scope) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey(), iv);
      cipher.setAAD(Buffer.from(scope));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open: (sealed, scope) => {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 1 + 12 + 16 + 2 || raw[0] !== VERSION) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey(), raw.subarray(1, 13));
        decipher.setAAD(Buffer.from(scope));
        decipher.setAuthTag(raw.subarray(13, 29));
        return JSON.parse(
          Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]).toString('utf8'),
        );
      } catch {
        return undefined;
      }
    },
  };
};
