import fc from 'fast-check';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { issuesToDetails, parseInto, unparseableDetail } from '#http/validation.ts';
import { IsoTimestamp, pattern, QueryInteger, uuid, type ErrorDetail } from '#contract/common.ts';

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

  it('says what a pattern wants when its schema says it, and the pattern itself otherwise', () => {
    const schema = z.object({
      period: z.string().check(pattern(/^\d{4}-\d{2}$/, 'a calendar month (2026-11)')),
      code: z.string().check(z.regex(/^[A-Z]+$/)),
    });
    expect(detailsFor('query', schema, { period: '2026-W48', code: 'abc' })).toEqual([
      { field: 'query.period', code: 'invalid_format', message: 'must be a calendar month (2026-11)' },
      { field: 'query.code', code: 'invalid_format', message: 'must match /^[A-Z]+$/' },
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

/** Every regex check inside a schema (walking objects, wrappers, pipes, unions, records, lazies). */
const regexChecks = (schema: unknown): Array<{ pattern: RegExp; message: unknown }> => {
  const found: Array<{ pattern: RegExp; message: unknown }> = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const internals = (value as { _zod?: { def?: Record<string, unknown>; innerType?: unknown } })._zod;
    if (internals?.def) {
      const def = internals.def as {
        type?: string;
        check?: string;
        format?: string;
        pattern?: RegExp;
        error?: unknown;
      };
      if (def.check === 'string_format' && def.format === 'regex' && def.pattern) {
        const error = def.error as ((issue: unknown) => unknown) | undefined;
        found.push({ pattern: def.pattern, message: error?.({}) });
      }
      if (def.type === 'lazy') visit(internals.innerType);
      Object.values(internals.def).forEach(visit);
      return;
    }
    if (Object.getPrototypeOf(value) === Object.prototype) Object.values(value).forEach(visit);
  };
  visit(schema);
  return found;
};

describe('patterns name the format they expect', () => {
  it('every pattern of every route and of the analysis inputs carries a "must be …" message', async () => {
    const { routeTable } = await import('#contract/routes.ts');
    const { ANALYSIS_INPUTS } = await import('#contract/analysis.ts');
    const schemas = [
      ...routeTable.flatMap((route) => [route.request.params, route.request.query, route.request.body]),
      ...Object.values(ANALYSIS_INPUTS),
    ];
    const checks = schemas.flatMap(regexChecks);
    expect(checks.length).toBeGreaterThanOrEqual(6);
    for (const check of checks) expect(String(check.message), String(check.pattern)).toMatch(/^must be \S/);
  });

  it('a period, a source id with a control character, a subject id and an item id say what they must be', async () => {
    const { PeriodQuery } = await import('#contract/analytics.ts');
    const { SourceId } = await import('#contract/analysis.ts');
    const { SubmitSurveyResponseBody } = await import('#contract/survey.ts');
    expect(detailsFor('query', PeriodQuery, { period: '2026-13' })).toEqual([
      { field: 'query.period', code: 'invalid_format', message: expect.stringMatching(/^must be .*YYYY-MM/) },
    ]);
    expect(detailsFor('body', z.object({ sourceId: SourceId }), { sourceId: 'a\u0007b' })).toEqual([
      {
        field: 'body.sourceId',
        code: 'invalid_format',
        message: 'must be printable characters (no control characters), at most 1024',
      },
    ]);
    const [unicodeItem] = detailsFor('body', SubmitSurveyResponseBody, {
      instrument: 'custom',
      answers: { ä: 1 },
    });
    expect(unicodeItem).toMatchObject({ field: 'body.answers.ä', code: 'invalid_key' });
    expect(unicodeItem?.message).toMatch(/^is not an allowed key: must be 1–64 letters/);
    for (const [location, details] of [['query', detailsFor('query', PeriodQuery, { period: 'x' })]] as const)
      for (const detail of details) expect(detail.message, location).not.toMatch(/regex/);
  });

  it('limit: only whole numbers written in digits', async () => {
    const { PageQuery } = await import('#contract/common.ts');
    const query = z.strictObject(PageQuery);
    for (const limit of ['1e2', '+5', ' 5', '5 ', '5.0', '0x10', '05', '', '1_0', 'Infinity'])
      expect(detailsFor('query', query, { limit }), JSON.stringify(limit)).toEqual([
        {
          field: 'query.limit',
          code: 'invalid_format',
          message: 'must be a whole number written in digits, e.g. 25',
        },
      ]);
    expect(z.parse(query, { limit: '100' })).toEqual({ limit: 100 });
    expect(z.parse(query, {})).toEqual({ limit: 25 });
    expect(detailsFor('query', query, { limit: '101' })).toEqual([
      { field: 'query.limit', code: 'too_big', message: 'must be ≤ 100' },
    ]);
    expect(detailsFor('query', query, { limit: '0' })).toEqual([
      { field: 'query.limit', code: 'too_small', message: 'must be ≥ 1' },
    ]);
  });
});

describe('free-form map keys', () => {
  const AWKWARD = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];

  it('a survey answer named like an Object.prototype member is kept; __proto__ is a 400 naming it', async () => {
    const { SubmitSurveyResponseBody } = await import('#contract/survey.ts');
    for (const key of AWKWARD) {
      const body = JSON.parse(`{"instrument":"custom","answers":{"${key}":1,"a":"x"}}`) as unknown;
      const parsed = z.parse(SubmitSurveyResponseBody, body);
      expect(Object.keys(parsed.answers), key).toEqual([key, 'a']);
      expect(parsed.answers[key], key).toBe(1);
    }
    const proto = JSON.parse('{"instrument":"custom","answers":{"__proto__":1,"a":"x"}}') as unknown;
    expect(detailsFor('body', SubmitSurveyResponseBody, proto)).toEqual([
      {
        field: 'body.answers.__proto__',
        code: 'invalid_key',
        message: 'is not an allowed key: is a reserved name',
      },
    ]);
  });

  it('mental-state and voice-feature names follow their pattern; __proto__ and unicode are refused by name', async () => {
    const { SpeechAnalysisInput } = await import('#contract/analysis.ts');
    const speech = (mentalState: string, voiceFeatures: string) =>
      JSON.parse(
        `{"sentiment":{"label":"neutral","score":0.5},"emotions":{"joy":0.5},"model":{"name":"m","version":"1"},` +
          `"analyzedAt":"2026-01-01T00:00:00Z","durationSec":3,"mentalState":{${mentalState}},"voiceFeatures":{${voiceFeatures}}}`,
      ) as unknown;
    const stored = z.parse(
      SpeechAnalysisInput,
      speech('"constructor":0.5,"prototype":0.1', '"constructor":3'),
    );
    expect(stored.mentalState).toEqual({ constructor: 0.5, prototype: 0.1 });
    expect(Object.keys(stored.voiceFeatures ?? {})).toEqual(['constructor']);
    const fields = (mentalState: string, voiceFeatures: string) =>
      detailsFor('body', SpeechAnalysisInput, speech(mentalState, voiceFeatures)).map(
        (detail) => detail.field,
      );
    expect(fields('"日本":0.1', '"toString":1')).toEqual([
      'body.mentalState.日本',
      'body.voiceFeatures.toString',
    ]);
    // The reserved name is named on its own: the rest of that map is not looked at then.
    expect(fields('"__proto__":0.5,"日本":0.1', '"toString":1')).toEqual([
      'body.mentalState.__proto__',
      'body.voiceFeatures.toString',
    ]);
  });

  it('the DynamoDB marshalling round-trips every allowed key name intact', async () => {
    const { marshall, unmarshall } = await import('@aws-sdk/util-dynamodb');
    const { MARSHALL_OPTIONS } = await import('#data/marshalling.ts');
    const names = [...AWKWARD, 'x'.repeat(1000), 'ä日本💥', '', 'a.b', '$x', '#y'];
    const item = {
      PK: 'USER#u',
      answers: Object.fromEntries(names.map((name, i) => [name, i])),
      nested: { constructor: { constructor: 'x' } },
    };
    const back = unmarshall(marshall(item, MARSHALL_OPTIONS));
    expect(back).toEqual(item);
    expect(Object.keys(back.answers as object)).toEqual(names);
  });
});

describe('timestamps', () => {
  // IsoTimestamp writes out the pattern z.iso.datetime({ offset: true }) builds (to keep the builder out
  // of the bundles): the same values pass, the same 400 details come back, the same OpenAPI schema.
  const zodDatetime = z.iso.datetime({ offset: true });
  const outcome = (schema: z.ZodMiniType, input: unknown) => {
    const result = z.safeParse(schema, input);
    return result.success
      ? { data: result.data }
      : { details: issuesToDetails('query', result.error.issues, input) };
  };
  const instant = fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString());
  const edits = fc.constantFrom(
    (t: string) => t,
    (t: string) => t.replace('Z', '+02:00'),
    (t: string) => t.replace('Z', '-23:59'),
    (t: string) => t.replace('Z', '+24:00'),
    (t: string) => t.replace('Z', ''),
    (t: string) => t.replace('Z', 'z'),
    (t: string) => t.replace(/\.\d+/, ''),
    (t: string) => t.replace(/\.\d+/, '.'),
    (t: string) => t.replace('T', ' '),
    (t: string) => t.replace(/-\d\d-/, '-02-29'),
    (t: string) => t.replace(/-\d\dT/, '-31T'),
    (t: string) => t.replace(/T\d\d/, 'T24'),
    (t: string) => `${t} `,
  );
  const candidates = fc.oneof(
    fc.tuple(instant, edits).map(([value, edit]) => edit(value)),
    fc.string(),
    fc.constantFrom(
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2000-02-29T12:00:00.5+01:00',
    ),
  );

  it('accepts and refuses what z.iso.datetime({ offset: true }) does, with the same details', () => {
    fc.assert(
      fc.property(candidates, (value) => {
        expect(outcome(IsoTimestamp, value)).toEqual(outcome(zodDatetime, value));
      }),
      { numRuns: 3000 },
    );
    expect(outcome(IsoTimestamp, 42)).toEqual(outcome(zodDatetime, 42));
  });

  it('is documented as z.iso.datetime is', () => {
    expect(z.toJSONSchema(IsoTimestamp)).toEqual(z.toJSONSchema(zodDatetime));
  });
});

describe('query integers', () => {
  it('are read by the kind z.coerce.number() builds, after the digits pattern', () => {
    const { out } = QueryInteger._zod.def;
    expect(out).toBeInstanceOf(z.ZodMiniNumber);
    expect(out._zod.def).toEqual(z.coerce.number()._zod.def);
    expect(z.safeParse(QueryInteger, '25')).toEqual({ success: true, data: 25 });
    for (const refused of ['+25', ' 25', '25.0', '2.5e1', '0x19', ''])
      expect(z.safeParse(QueryInteger, refused).success).toBe(false);
  });
});

describe('uuids', () => {
  // uuid() writes out the pattern z.uuid() builds (to keep the builder out of the bundles).
  const outcome = (schema: z.ZodMiniType, input: unknown) => {
    const result = z.safeParse(schema, input);
    return result.success
      ? { data: result.data }
      : { details: issuesToDetails('params', result.error.issues, input) };
  };
  const candidates = fc.oneof(
    fc.uuid(),
    fc.uuid().map((id) => id.toUpperCase()),
    fc
      .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('0', '9', 'g', 'F', '-', ''))
      .map(([id, at, char]) => id.slice(0, at) + char + id.slice(at + 1)),
    fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
      '00000000-0000-0000-0000-000000000001',
    ),
    fc.string(),
  );

  it('accepts and refuses what z.uuid() does, with the same details and the same OpenAPI schema', () => {
    fc.assert(
      fc.property(candidates, (value) => {
        expect(outcome(uuid(), value)).toEqual(outcome(z.uuid(), value));
      }),
      { numRuns: 3000 },
    );
    expect(outcome(uuid(), 7)).toEqual(outcome(z.uuid(), 7));
    expect(z.toJSONSchema(uuid())).toEqual(z.toJSONSchema(z.uuid()));
  });
});

describe('unparseableDetail: every JSON input is a value or a 400', () => {
  const schema = z.strictObject({
    model: z.strictObject({ name: z.string().check(z.minLength(1), z.maxLength(20)) }),
    tags: z.optional(z.array(z.string().check(z.maxLength(5)))),
  });
  // An object's own `length` that cannot be turned into a number for zod's length checks.
  const poisoned = () => JSON.parse('{"length":{"toString":false,"valueOf":false}}') as unknown;
  /** The parse the validation middleware and the batch's items go through (parseInto). */
  const answer = (input: unknown) => {
    const details: ErrorDetail[] = [];
    const data = parseInto(details, 'body', schema, input);
    return data === undefined ? { details } : { data };
  };

  it('names the field holding a value zod’s length checks throw on', () => {
    const body = { model: { name: poisoned() } };
    // The premise: zod itself throws here (its length check compares the object after the type issue).
    expect(() => z.safeParse(schema, body)).toThrow(TypeError);
    expect(answer(body)).toEqual({
      details: [{ field: 'body.model.name', code: 'invalid_type', message: 'is invalid' }],
    });
    const inArray = { model: { name: 'ok' }, tags: ['a', poisoned()] };
    expect(() => z.safeParse(schema, inArray)).toThrow(TypeError);
    expect(answer(inArray)).toEqual({
      details: [{ field: 'body.tags.1', code: 'invalid_type', message: 'is invalid' }],
    });
  });

  it('never throws on a JSON value, whatever its shape (poisoned lengths anywhere)', () => {
    const values = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constant(null).map(() => poisoned()),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('model', 'name', 'tags', 'length', 'x'), tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    let refused = 0;
    fc.assert(
      fc.property(values, (value) => {
        const result = answer(value);
        if ('details' in result) {
          expect(result.details?.length).toBeGreaterThan(0);
          refused += 1;
        }
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(100);
  });

  it('throws any other error again: a bug of ours is not a 400', () => {
    const bug = new RangeError('a bug');
    expect(() => unparseableDetail('body', { model: { name: 'fine' } }, bug)).toThrow(bug);
  });
});
