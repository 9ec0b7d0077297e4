import { keys } from './keys.ts';

/**
 * The partitions that hold one user's data, as the export reads them and the purge deletes them.
 * The user's own partition, the EmoBuddy message partitions and the audit partition come from keys.ts;
 * the per-user rollup partition (AGG#USER#<sub>) has no builder in keys.ts yet.
 * Sessions are the `EMO_SESSION` items of the user's partition, carrying the session id as `id`.
 */
const idPart = (value: string): string => {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(value)) throw new Error('invalid id for a partition key');
  return value;
};

export const userPartitions = {
  /** USER#<sub>: profile, consents and their history, analyses, survey responses, sessions… */
  own: (sub: string): string => keys.userProfile(sub).PK,
  /** EMOSESSION#<sessionId>: the messages of one EmoBuddy session. */
  emoMessages: (sessionId: string): string => keys.emoMessagePartition(idPart(sessionId)),
  /** AGG#USER#<sub>: the user's own rollups. */
  rollups: (sub: string): string => `AGG#USER#${idPart(sub)}`,
  /** AUDIT#<sub>: audit records about the user (kept by the purge). */
  audit: (sub: string): string => keys.audit(sub, '-', '-').PK,
};
