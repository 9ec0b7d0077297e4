import { keys } from './keys.ts';

/**
 * The partitions that hold one user's data, as the export reads them and the purge deletes them.
 * The user's own partition and the audit partition come from keys.ts; the EmoBuddy message and
 * per-user rollup partitions follow ARCHITECTURE.md §5 until their issues add builders to keys.ts
 * (then these two should delegate to them).
 */
const idPart = (value: string): string => {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(value)) throw new Error('invalid id for a partition key');
  return value;
};

export const userPartitions = {
  /** USER#<sub>: profile, consents and their history, analyses, survey responses, sessions… */
  own: (sub: string): string => keys.userProfile(sub).PK,
  /** EMOSESSION#<sessionId>: the messages of one EmoBuddy session. */
  emoMessages: (sessionId: string): string => `EMOSESSION#${idPart(sessionId)}`,
  /** AGG#USER#<sub>: the user's own rollups. */
  rollups: (sub: string): string => `AGG#USER#${idPart(sub)}`,
  /** AUDIT#<sub>: audit records about the user (kept by the purge). */
  audit: (sub: string): string => keys.audit(sub, '-', '-').PK,
};
