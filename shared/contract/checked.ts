import type * as z from 'zod/mini';
import { RESERVED_KEY } from './common.ts';

/*
 * The pieces a request body's rules are written out with (a route variant whose body is checked by hand,
 * e.g. `SubmitSurveyResponseBodyChecked`, `ANALYSIS_INPUTS_CHECKED`): the issues they raise are the ones
 * the contract's zod schema raises, with the fields the 400 details are made of (shared/http/validation.ts).
 */

export type Issue = z.core.$ZodRawIssue;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An issue as the validation middleware reads it: its code, its path and the fields its message is made
 * of. zod's own also hold the input, which zod drops when it finalizes an issue, so they are left out here.
 */
export const issue = (
  code: Issue['code'],
  path: PropertyKey[],
  fields: Record<string, unknown> = {},
): Issue => ({ code, path, ...fields }) as Issue;

/**
 * What zod's `minLength`/`maxLength` checks raise: they run on anything with a `length` (after a wrong
 * type too), a string counted in code points, anything else by its `length` as it is (compared as zod
 * compares it, even when it is not a number).
 * `min` 0 is no lower bound (no `minLength` check at all).
 */
export const lengthIssues = (path: PropertyKey[], value: unknown, min: number, max: number): Issue[] => {
  if (value === null || value === undefined || (value as { length?: unknown }).length === undefined)
    return [];
  const length = typeof value === 'string' ? [...value].length : (value as { length: number }).length;
  const origin = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'unknown';
  return [
    ...(min === 0 || length >= min
      ? []
      : [issue('too_small', path, { origin, minimum: min, inclusive: true })]),
    ...(length <= max ? [] : [issue('too_big', path, { origin, maximum: max, inclusive: true })]),
  ];
};

/** A free-form map's refused key, as `freeFormMap` raises it: `invalid_key` wrapping what is wrong. */
const keyIssue = (path: PropertyKey[], key: string, inner: Record<string, unknown>): Issue =>
  issue('invalid_key', [...path, key], { origin: 'record', issues: [{ ...inner, path: [] }] });

/** A free-form map holding the reserved key (`freeFormMap` refuses it before anything else). */
export const hasReservedKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.hasOwn(value, RESERVED_KEY);

export const reservedKeyIssue = (path: PropertyKey[]): Issue =>
  keyIssue(path, RESERVED_KEY, { code: 'custom', message: 'is a reserved name' });

/** A key that does not match the map's key pattern; `message` says what it must be. */
export const keyFormatIssue = (path: PropertyKey[], key: string, message: string): Issue =>
  keyIssue(path, key, { code: 'invalid_format', format: 'regex', message });
