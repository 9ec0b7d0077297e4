import * as z from 'zod/mini';
import type { ErrorDetail } from '#contract/common.ts';

type Issue = z.core.$ZodIssue;

/**
 * The value at an issue's path: zod leaves the input off its issues unless asked to (it may be health data).
 * Own properties only: a missing `toString` is missing, not Object.prototype's function.
 */
const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' && Object.hasOwn(value, key)
        ? (value as Record<PropertyKey, unknown>)[key]
        : undefined,
    input,
  );

const describe = (issue: Issue, input: unknown): string => {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? 'is required' : `must be ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `must have at least ${issue.minimum} items`
          : `must be ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `must have at most ${issue.maximum} items`
          : `must be ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_format':
      // Patterns carry their expected format (shared/contract/common.ts `pattern`); a bare regex says
      // its pattern; named formats (email, uuid, datetime, url) say themselves.
      if (issue.format !== 'regex') return `must be a valid ${issue.format}`;
      return issue.message.startsWith('must ')
        ? issue.message
        : `must match ${issue.pattern ?? 'its pattern'}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not an allowed field';
    case 'invalid_key':
      // The field names the key; say what is wrong with it.
      return `is not an allowed key: ${issue.issues.map((inner) => describe(inner, undefined)).join('; ')}`;
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
  }
};

const fieldPath = (location: string, path: readonly PropertyKey[]): string =>
  [location, ...path.map(String)].join('.');

/**
 * zod issues → error details that name each field, `body.email`, `query.limit`, `params.user_id`.
 * Unknown keys are reported one detail per key so a client sees exactly which field to drop. `input` is the
 * value that was validated (to tell a missing field from one of the wrong type).
 */
export const issuesToDetails = (
  location: 'params' | 'query' | 'body',
  issues: readonly Issue[],
  input: unknown,
): ErrorDetail[] =>
  issues.flatMap((issue): ErrorDetail[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldPath(location, [...issue.path, key]),
          code: issue.code,
          message: describe(issue, input),
        }))
      : [{ field: fieldPath(location, issue.path), code: issue.code, message: describe(issue, input) }],
  );

/**
 * Where a JSON value holds an object's `length` that is itself an object or array: zod's length checks
 * compare any value's `length`, even after a wrong-type issue, and comparing an object whose `toString`
 * and `valueOf` are not functions (`{"length":{"toString":false}}`) throws a TypeError. Depth first, in
 * key order; the path of the object holding that `length` (a JSON object has no inherited one).
 */
const poisonedLengthAt = (value: unknown, path: string[] = []): string[] | undefined => {
  if (value !== null && typeof value === 'object') {
    const { length } = value as { length?: unknown };
    if (!Array.isArray(value) && length && typeof length === 'object') return path;
    for (const key in value) {
      const found = poisonedLengthAt((value as Record<string, unknown>)[key], [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
};

/**
 * For a parse that threw: the 400's detail when the input holds a value zod's checks cannot compare (see
 * poisonedLengthAt), naming the field that holds it; otherwise the error is ours, and thrown again.
 */
export const unparseableDetail = (
  location: 'params' | 'query' | 'body',
  input: unknown,
  error: unknown,
): ErrorDetail => {
  const path = poisonedLengthAt(input);
  if (!path) throw error;
  return { field: fieldPath(location, path), code: 'invalid_type', message: 'is invalid' };
};

/**
 * One request part (or one batch item) parsed by its schema: returns the value, or undefined after
 * adding the 400's details to `details` — zod's issues, or the field holding a value zod's checks cannot
 * compare (unparseableDetail). The validation middleware and the batch's items both parse this way.
 */
export const parseInto = <S extends z.ZodMiniType>(
  details: ErrorDetail[],
  location: 'params' | 'query' | 'body',
  schema: S,
  input: unknown,
): z.output<S> | undefined => {
  try {
    const result = z.safeParse(schema, input);
    if (result.success) return result.data;
    details.push(...issuesToDetails(location, result.error.issues, input));
  } catch (error) {
    details.push(unparseableDetail(location, input, error));
  }
  return undefined;
};
