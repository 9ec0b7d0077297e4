import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP (HMAC-SHA-1, 30-second steps, 6 digits — what Cognito and authenticator apps use), so
 * tests can play the user's authenticator app. Secrets are base32 (RFC 4648), as Cognito hands them out.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const base32Decode = (secret: string): Buffer => {
  const bits = secret
    .replace(/=+$/, '')
    .toUpperCase()
    .split('')
    .map((char) => {
      const value = BASE32.indexOf(char);
      if (value < 0) throw new Error(`not base32: ${char}`);
      return value.toString(2).padStart(5, '0');
    })
    .join('');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
};

/** The code an authenticator app shows at `at` (default now). */
export const totpCode = (secret: string, at: Date = new Date()): string => {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 1000 / 30)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, '0');
};
