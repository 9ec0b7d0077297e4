import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { requireSetting } from '#contract/runtime-env.ts';
import { validationFailed } from './errors.ts';

/**
 * Opaque, tamper-evident list cursors. A cursor seals DynamoDB's LastEvaluatedKey with AES-256-GCM:
 * clients cannot read the storage keys inside it, and any modification fails authentication. The
 * cursor is bound to its list (the `scope`: route + caller + filters) as associated data, so a cursor
 * from one user's list can never page through another's.
 */
let key: Buffer | undefined;
const cursorKey = (): Buffer =>
  (key ??= Buffer.from(
    hkdfSync('sha256', requireSetting('cursorSecret'), 'mha-cursor', 'list-cursor-v1', 32),
  ));

const VERSION = 1;

export type StartKey = Record<string, unknown>;

export const sealCursor = (lastEvaluatedKey: StartKey | undefined, scope: string): string | null => {
  if (!lastEvaluatedKey) return null;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(), iv);
  cipher.setAAD(Buffer.from(scope));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(lastEvaluatedKey), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), sealed]).toString('base64url');
};

const invalidCursor = () =>
  validationFailed([
    { field: 'query.cursor', code: 'invalid_cursor', message: 'is not a cursor this list issued' },
  ]);

/** The start key a cursor carries; a cursor that was modified, forged or issued for another list is a 400. */
export const openCursor = (cursor: string | undefined, scope: string): StartKey | undefined => {
  if (cursor === undefined) return undefined;
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < 1 + 12 + 16 + 2 || raw[0] !== VERSION) throw invalidCursor();
  try {
    const decipher = createDecipheriv('aes-256-gcm', cursorKey(), raw.subarray(1, 13));
    decipher.setAAD(Buffer.from(scope));
    decipher.setAuthTag(raw.subarray(13, 29));
    const plain = Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]).toString('utf8');
    const value: unknown = JSON.parse(plain);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
    return value as StartKey;
  } catch {
    throw invalidCursor();
  }
};
