import { validationFailed } from './errors.ts';
import { createSealer } from './sealed.ts';

/**
 * Opaque, tamper-evident list cursors. A cursor seals DynamoDB's LastEvaluatedKey (sealed.ts): clients
 * cannot read the storage keys inside it, and any modification fails authentication. The cursor is
 * bound to its list (the `scope`: route + caller + filters), so a cursor from one user's list can never
 * page through another's.
 */
const cursors = createSealer('list-cursor-v1');

export type StartKey = Record<string, unknown>;

export const sealCursor = (lastEvaluatedKey: StartKey | undefined, scope: string): string | null =>
  lastEvaluatedKey ? cursors.seal(lastEvaluatedKey, scope) : null;

const invalidCursor = () =>
  validationFailed([
    { field: 'query.cursor', code: 'invalid_cursor', message: 'is not a cursor this list issued' },
  ]);

/** The start key a cursor carries; a cursor that was modified, forged or issued for another list is a 400. */
export const openCursor = (cursor: string | undefined, scope: string): StartKey | undefined => {
  if (cursor === undefined) return undefined;
  const value = cursors.open(cursor, scope);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidCursor();
  return value as StartKey;
};
