import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { issuesToDetails } from '#http/validation.ts';

const detailsFor = (location: 'params' | 'query' | 'body', schema: z.ZodMiniType, input: unknown) => {
  const result = z.safeParse(schema, input);
  if (result.success) throw new Error('expected the input to be invalid');
  return issuesToDetails(location, result.error.issues, input);
};

describe('issuesToDetails', () => {
  it('says a missing field is required and a wrong type what it must be', () => {
    const schema = z.object({ name: z.string(), age: z.number() });
    expect(detailsFor('body', schema, { age: 'ten' })).toEqual([
      { field: 'body.name', code: 'invalid_type', message: 'is required' },
      { field: 'body.age', code: 'invalid_type', message: 'must be number' },
    ]);
  });

  it('names the whole location when the input itself is missing', () => {
    expect(detailsFor('body', z.object({ name: z.string() }), undefined)).toEqual([
      { field: 'body', code: 'invalid_type', message: 'is required' },
    ]);
  });

  it('describes bounds for strings, arrays and numbers, inclusive and exclusive', () => {
    const schema = z.object({
      password: z.string().check(z.minLength(12)),
      tags: z.array(z.string()).check(z.minLength(1), z.maxLength(2)),
      limit: z.number().check(z.maximum(100)),
      score: z.number().check(z.positive()),
      note: z.string().check(z.maxLength(3)),
    });
    const details = detailsFor('body', schema, {
      password: 'short',
      tags: [],
      limit: 101,
      score: 0,
      note: 'long',
    });
    expect(details.map(({ field, message }) => [field, message])).toEqual([
      ['body.password', 'must be at least 12 characters'],
      ['body.tags', 'must have at least 1 items'],
      ['body.limit', 'must be ≤ 100'],
      ['body.score', 'must be > 0'],
      ['body.note', 'must be at most 3 characters'],
    ]);
  });

  it('describes formats and allowed values', () => {
    const schema = z.object({ email: z.email(), band: z.enum(['low', 'high']) });
    expect(detailsFor('body', schema, { email: 'not-an-email', band: 'medium' })).toEqual([
      { field: 'body.email', code: 'invalid_format', message: 'must be a valid email' },
      { field: 'body.band', code: 'invalid_value', message: 'must be one of: low, high' },
    ]);
  });

  it('says what a pattern wants when its schema says it, and only then', () => {
    const schema = z.object({
      period: z.string().check(z.regex(/^\d{4}-\d{2}$/, 'a calendar month (2026-11)')),
      code: z.string().check(z.regex(/^[A-Z]+$/)),
    });
    expect(detailsFor('query', schema, { period: '2026-W48', code: 'abc' })).toEqual([
      { field: 'query.period', code: 'invalid_format', message: 'must be a calendar month (2026-11)' },
      { field: 'query.code', code: 'invalid_format', message: 'must be a valid regex' },
    ]);
  });

  it('reports each unknown field of a strict object separately', () => {
    const schema = z.strictObject({ name: z.string() });
    expect(detailsFor('body', schema, { name: 'a', role: 'admin', PK: 'x' })).toEqual([
      { field: 'body.role', code: 'unrecognized_keys', message: 'is not an allowed field' },
      { field: 'body.PK', code: 'unrecognized_keys', message: 'is not an allowed field' },
    ]);
  });

  it('names nested fields by their full path and prefixes the location', () => {
    const body = z.object({ answers: z.array(z.object({ value: z.number().check(z.int()) })) });
    expect(detailsFor('body', body, { answers: [{ value: 1 }, { value: 1.5 }] })[0]?.field).toBe(
      'body.answers.1.value',
    );
    const query = z.object({ limit: z.coerce.number().check(z.minimum(1)) });
    expect(detailsFor('query', query, { limit: '0' })).toEqual([
      { field: 'query.limit', code: 'too_small', message: 'must be ≥ 1' },
    ]);
    const params = z.object({ user_id: z.uuid() });
    expect(detailsFor('params', params, { user_id: 'nope' })).toEqual([
      { field: 'params.user_id', code: 'invalid_format', message: 'must be a valid uuid' },
    ]);
  });
});
