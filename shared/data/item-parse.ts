/**
 * Parsing a stored item by hand: the survey state, a stored survey response (survey-repository.ts) and a
 * stored analysis (analysis-repository.ts) are read through these rather than through zod objects, whose
 * record, enum, nullable and default kinds travelled into every function reading such an item for that
 * parse alone (docs/build.md). Each parse answers as the zod schema it stands for does, rule for rule —
 * what is accepted, the defaults of absent fields, unknown fields left out, `__proto__` skipped — and the
 * tests hold each to its schema with a fast-check property. A row that is not what this service writes
 * fails loudly rather than feeding a rule (or a reader) a wrong value.
 */
type Item = Record<string, unknown>;

export class MalformedItemError extends Error {
  override name = 'MalformedItemError';
}

/** `path` names the item and the field, e.g. `survey response: item.instrument`. */
export const malformed = (path: string): never => {
  throw new MalformedItemError(`stored ${path} is malformed`);
};

export type Parse<T> = (value: unknown, path: string) => T;

const isObject = (value: unknown): value is Item =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** A record's input: a plain object (one with another prototype — a Set, a Date — is not one). */
const isPlainObject = (value: unknown): value is Item =>
  isObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

export const isString = (name: unknown): name is string => typeof name === 'string';

export const string: Parse<string> = (value, path) => (typeof value === 'string' ? value : malformed(path));
export const boolean: Parse<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : malformed(path);
export const number: Parse<number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? value : malformed(path);
/** `z.int()`: a safe integer. */
export const integer: Parse<number> = (value, path) =>
  Number.isSafeInteger(value) ? (value as number) : malformed(path);
export const count: Parse<number> = (value, path) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : malformed(path);
/** `z.enum(values)`. */
export const oneOf =
  <T extends string>(values: readonly T[]): Parse<T> =>
  (value, path) =>
    values.includes(value as T) ? (value as T) : malformed(path);
export const nullable =
  <T>(parse: Parse<T>): Parse<T | null> =>
  (value, path) =>
    value === null ? null : parse(value, path);
export const withDefault =
  <T>(parse: Parse<T>, fallback: () => T): Parse<T> =>
  (value, path) =>
    value === undefined ? fallback() : parse(value, path);

/** An object with these fields only; an optional field absent from the input stays absent. */
export const object =
  <T>(fields: Record<string, Parse<unknown>>, optional: readonly string[] = []): Parse<T> =>
  (value, path) => {
    if (!isObject(value)) return malformed(path);
    const out: Item = {};
    for (const [field, parse] of Object.entries(fields)) {
      const isOptional = optional.includes(field);
      if (isOptional && !(field in value)) continue;
      out[field] =
        isOptional && value[field] === undefined ? undefined : parse(value[field], `${path}.${field}`);
    }
    return out as T;
  };

/** `z.strictObject`: `object`, and no field beside these (`__proto__` included). */
export const strictObject =
  <T>(fields: Record<string, Parse<unknown>>): Parse<T> =>
  (value, path) => {
    const unknown = isObject(value)
      ? Object.keys(value).find((field) => !Object.hasOwn(fields, field))
      : undefined;
    return unknown === undefined ? object<T>(fields)(value, path) : malformed(`${path}.${unknown}`);
  };

/** Every own enumerable key but `__proto__`, each allowed by `key`, with its value parsed. */
export const record =
  <T>(key: (name: string | symbol) => boolean, parse: Parse<T>): Parse<Record<string, T>> =>
  (value, path) => {
    if (!isPlainObject(value)) return malformed(path);
    const out: Record<string, T> = {};
    for (const name of Reflect.ownKeys(value)) {
      if (name === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, name)) continue;
      if (!key(name)) return malformed(`${path}.${String(name)} (key)`);
      out[name as string] = parse(value[name as string], `${path}.${String(name)}`);
    }
    return out;
  };

export const array =
  <T>(parse: Parse<T>): Parse<T[]> =>
  (value, path) =>
    Array.isArray(value)
      ? Array.from({ length: value.length }, (_, index) => parse(value[index], `${path}[${index}]`))
      : malformed(path);
