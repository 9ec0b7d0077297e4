/**
 * The checks every key part passes (shared/data/dynamodb/keys.ts and partitions.ts build keys with
 * them): a part is non-empty and never contains the separator, so no value can forge a second key.
 */
export const SEPARATOR = '#';

export const part = (value: string, what: string): string => {
  if (value.length === 0 || value.includes(SEPARATOR)) {
    throw new Error(`Invalid ${what} for a key: must be non-empty and must not contain '${SEPARATOR}'`);
  }
  return value;
};

/** A rollup scope: `USER#<sub>`, `DEPT#<id>` or `ORG`. */
export const checkedScope = (scope: string): string => {
  if (!/^(?:ORG|(?:USER|DEPT)#[A-Za-z0-9-]{1,64})$/.test(scope))
    throw new Error('Invalid rollup scope for a key');
  return scope;
};

/** A source item's sort key (`CHAT#<isoTs>#<id>`, `SURVEY#…`, `EMOSESSION#…`): printable, bounded. */
export const sourceKey = (sk: string): string => {
  if (!/^[A-Z]+#[\x21-\x7e]{1,900}$/.test(sk)) throw new Error('Invalid source sort key for a key');
  return sk;
};

/** An id that names a partition the purge deletes whole: strictly an id, never a crafted key. */
export const idPart = (value: string, what: string): string => {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(value)) throw new Error(`Invalid ${what} for a partition key`);
  return value;
};

/** The value after `prefix` when `value` starts with it and the rest is one non-empty key part. */
export const after = (prefix: string, value: string): string | undefined => {
  if (!value.startsWith(prefix)) return undefined;
  const rest = value.slice(prefix.length);
  return rest.length > 0 && !rest.includes(SEPARATOR) ? rest : undefined;
};
