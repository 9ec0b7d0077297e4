import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dependencyFailure,
  mapError,
  RETRY_AFTER_THROTTLED,
  RETRY_AFTER_UNAVAILABLE,
} from '#http/error-mapper.ts';
import { ApiError } from '#http/errors.ts';

const REQUEST_ID = 'b7c1e0aa-5a3f-4c59-9d4e-2f6a1d0c9e88';

const awsError = (
  name: string,
  message: string,
  httpStatusCode: number,
  extra: Record<string, unknown> = {},
) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, ...extra });
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });

const body = (error: unknown) =>
  JSON.parse(mapError(error, REQUEST_ID).body) as { error: Record<string, unknown> };

/** DynamoDB key attribute names as words: `PK`, `SK`, `GSI1PK`, `GSI12SK`, … */
const KEY_NAMES = /\b(?:PK|SK|GSI\d*(?:PK|SK))\b/;

describe('mapError: domain errors', () => {
  it('keeps an ApiError’s code, status, message and details, and adds the request id', () => {
    const details = [{ field: 'body.version', code: 'stale', message: 'is not the current version' }];
    const mapped = mapError(new ApiError('CONFLICT', 'The profile changed.', { details }), REQUEST_ID);
    expect(mapped.statusCode).toBe(409);
    expect(mapped.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(mapped.body)).toEqual({
      error: { code: 'CONFLICT', message: 'The profile changed.', details, requestId: REQUEST_ID },
    });
  });

  it('keeps an ApiError’s headers (Retry-After on a lockout)', () => {
    const mapped = mapError(
      new ApiError('ACCOUNT_LOCKED', 'Too many failed sign-ins.', { headers: { 'Retry-After': '900' } }),
      REQUEST_ID,
    );
    expect(mapped.statusCode).toBe(429);
    expect(mapped.headers['Retry-After']).toBe('900');
  });

  it('omits empty details', () => {
    expect(body(new ApiError('VALIDATION_FAILED', 'Bad.', { details: [] })).error).not.toHaveProperty(
      'details',
    );
  });
});

describe('mapError: dependency failures', () => {
  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])(
    'maps %s to 503 with the throttling Retry-After',
    (name) => {
      const mapped = mapError(awsError(name, 'Rate exceeded for table mha-prod-data', 400), REQUEST_ID);
      expect(mapped.statusCode).toBe(503);
      expect(mapped.headers['Retry-After']).toBe(String(RETRY_AFTER_THROTTLED));
      expect(JSON.parse(mapped.body)).toEqual({
        error: { code: 'DEPENDENCY_UNAVAILABLE', message: expect.any(String), requestId: REQUEST_ID },
      });
      expect(mapped.body).not.toContain('mha-prod-data');
    },
  );

  it('maps a transaction cancelled by throttling to 503', () => {
    const error = awsError(
      'TransactionCanceledException',
      'Transaction cancelled [None, ThrottlingError]',
      400,
      {
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ThrottlingError', Message: 'Throughput exceeds the limit' },
        ],
      },
    );
    const mapped = mapError(error, REQUEST_ID);
    expect(mapped.statusCode).toBe(503);
    expect(mapped.headers['Retry-After']).toBe(String(RETRY_AFTER_THROTTLED));
  });

  it.each([
    ['a refused connection', networkError('ECONNREFUSED')],
    ['a reset connection', networkError('ECONNRESET')],
    ['an unresolvable host', networkError('ENOTFOUND')],
    [
      'an AggregateError of refused connections',
      new AggregateError([networkError('ECONNREFUSED'), networkError('ECONNREFUSED')], 'connect failed'),
    ],
    [
      'a TimeoutError',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    ],
    ['a 500 from the service', awsError('InternalServerError', 'Internal server error', 500)],
    ['any 5xx from the service', awsError('SomeNewServiceFault', 'x', 502)],
    ['a network error wrapped as a cause', new Error('send failed', { cause: networkError('ETIMEDOUT') })],
  ])('maps %s to 503 with the unavailability Retry-After', (_case, error) => {
    const mapped = mapError(error, REQUEST_ID);
    expect(mapped.statusCode).toBe(503);
    expect(mapped.headers['Retry-After']).toBe(String(RETRY_AFTER_UNAVAILABLE));
    expect(body(error).error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(mapped.body).not.toContain('127.0.0.1');
  });

  it('does not mistake a client-side AWS error for unavailability', () => {
    expect(
      dependencyFailure(awsError('ValidationException', 'One or more parameter values were invalid', 400)),
    ).toBe(undefined);
    expect(
      dependencyFailure(awsError('ConditionalCheckFailedException', 'The conditional request failed', 400)),
    ).toBe(undefined);
  });
});

describe('mapError: everything else', () => {
  it.each([
    ['a plain Error', new Error('Cannot read properties of undefined (reading "PK") at repo.ts:12')],
    ['a TypeError', new TypeError('x is not a function')],
    ['a thrown string', 'secret string'],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { message: 'object with SK=PROFILE', stack: 'at somewhere' }],
  ])('maps %s to 500 INTERNAL with only code, message and request id', (_case, error) => {
    const mapped = mapError(error, REQUEST_ID);
    expect(mapped.statusCode).toBe(500);
    expect(mapped.headers).toEqual({ 'Content-Type': 'application/json' });
    const envelope = body(error);
    expect(Object.keys(envelope)).toEqual(['error']);
    expect(Object.keys(envelope.error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(envelope.error.code).toBe('INTERNAL');
    expect(envelope.error.requestId).toBe(REQUEST_ID);
    if (error instanceof Error) {
      expect(mapped.body).not.toContain(error.message);
      expect(mapped.body).not.toContain('at ');
    }
  });

  it('never leaks an item or its keys from a failed conditional write', () => {
    const error = awsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
      Item: { PK: { S: 'USER#1' }, SK: { S: 'PROFILE' }, GSI1PK: { S: 'DEPT#1' }, fullName: { S: 'Ada' } },
    });
    const mapped = mapError(error, REQUEST_ID);
    expect(mapped.statusCode).toBe(500);
    expect(mapped.body).not.toMatch(KEY_NAMES);
    expect(mapped.body).not.toContain('Ada');
  });

  it('never puts DynamoDB key names, stacks or error messages in any body it builds from a non-domain error', () => {
    const names = fc.constantFrom(
      'Error',
      'TypeError',
      'ThrottlingException',
      'ProvisionedThroughputExceededException',
      'TimeoutError',
      'ConditionalCheckFailedException',
      'ResourceNotFoundException',
      'TransactionCanceledException',
    );
    const leaky = fc.tuple(
      fc.constantFrom('PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2SK'),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(
        names,
        leaky,
        fc.option(fc.integer({ min: 200, max: 599 })),
        (name, [key, value], status) => {
          const message = `failed on ${key}=${value}`;
          const error = Object.assign(new Error(message), {
            name,
            ...(status === null ? {} : { $metadata: { httpStatusCode: status } }),
            Item: { [key]: value },
          });
          const mapped = mapError(error, REQUEST_ID);
          expect([500, 503]).toContain(mapped.statusCode);
          expect(mapped.body).not.toMatch(KEY_NAMES);
          expect(mapped.body).not.toContain('failed on');
          expect(mapped.body).not.toContain(error.stack ?? 'no stack');
        },
      ),
    );
  });
});
