import fc from 'fast-check';
import { expect } from 'vitest';
import * as z from 'zod/mini';
import { issuesToDetails } from '#http/validation.ts';

/**
 * Shared by the property tests that hold a written-out body check to the zod schema it stands in for
 * (survey-body.test.ts, analysis-body.test.ts).
 */

/**
 * What the validation middleware (or the batch, per item) makes of a body: the parsed value, or the 400
 * details — or the error zod's length checks throw on a `length` that cannot be compared (an object
 * whose `toString` is not a function), which the written-out rules throw too (the middleware then
 * answers a 400 naming the field: validation.test.ts).
 */
export const outcome = (schema: z.ZodMiniType, body: unknown) => {
  let result;
  try {
    result = z.safeParse(schema, body);
  } catch (error) {
    return { throws: (error as Error).name };
  }
  return result.success
    ? { body: result.data }
    : { details: issuesToDetails('body', result.error.issues, body) };
};

/**
 * A body as the JSON body middleware hands it over: parsed from JSON text (so a `__proto__` key is an own
 * key, as JSON.parse makes it), or none at all.
 */
export const asParsedJson = (value: unknown): unknown =>
  value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);

/** Mostly the right kind of value (so that whole bodies pass often), sometimes any JSON value. */
export const mostly = <T>(valid: fc.Arbitrary<T>, weight = 12) =>
  fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

/** An object from entries: `Object.fromEntries` keeps `__proto__` as an own key, which JSON then carries. */
export const entries = <T>(key: fc.Arbitrary<string>, value: fc.Arbitrary<T>, maxLength = 5) =>
  fc.array(fc.tuple(key, value), { maxLength }).map((pairs) => Object.fromEntries(pairs));

/**
 * The property: over `bodies`, the written-out check and the schema give the same outcome, and both
 * sides of the rule are exercised (at least `atLeast` passes and as many refusals).
 */
export const holdsToSchema = (
  schema: z.ZodMiniType,
  checked: z.ZodMiniType,
  bodies: fc.Arbitrary<unknown>,
  { runs, atLeast }: { runs: number; atLeast: number },
) => {
  let passed = 0;
  let refused = 0;
  fc.assert(
    fc.property(bodies, (input) => {
      const expected = outcome(schema, input);
      expect(outcome(checked, input)).toStrictEqual(expected);
      if (expected.body) passed++;
      else refused++;
    }),
    { numRuns: runs },
  );
  expect(passed, `${passed} passed`).toBeGreaterThan(atLeast);
  expect(refused, `${refused} refused`).toBeGreaterThan(atLeast);
};
