import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { lowerCaseHeaderNames } from '#http/middlewares/header-names.ts';
import type { ApiMiddleware } from '#http/types.ts';

/** Runs the middleware's `before` on an event holding only the given header maps. */
const normalize = (event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>) => {
  const request = { event: { ...event } } as unknown as Parameters<NonNullable<ApiMiddleware['before']>>[0];
  void lowerCaseHeaderNames().before!(request);
  return request.event;
};

describe('lowerCaseHeaderNames', () => {
  it('lower-cases the names of single- and multi-value headers and keeps the values', () => {
    const event = normalize({
      headers: { 'Content-Type': 'application/json', ORIGIN: 'https://app.example', 'x-correlation-id': 'a' },
      multiValueHeaders: { 'Idempotency-Key': ['k-1'], Accept: ['a/b', 'c/d'] },
    });
    expect({ ...event.headers }).toEqual({
      'content-type': 'application/json',
      origin: 'https://app.example',
      'x-correlation-id': 'a',
    });
    expect({ ...event.multiValueHeaders }).toEqual({ 'idempotency-key': ['k-1'], accept: ['a/b', 'c/d'] });
  });

  it('lets the later of two names differing only in case win', () => {
    const event = normalize({ headers: { 'X-Thing': 'first', 'x-thing': 'second' }, multiValueHeaders: {} });
    expect({ ...event.headers }).toEqual({ 'x-thing': 'second' });
  });

  it('treats __proto__ and constructor as ordinary header names', () => {
    const headers = JSON.parse('{"__proto__":"p","Constructor":"c"}') as Record<string, string>;
    const event = normalize({ headers, multiValueHeaders: {} });
    expect(Object.getPrototypeOf(event.headers)).toBeNull();
    expect(event.headers['__proto__']).toBe('p');
    expect(event.headers['constructor']).toBe('c');
  });

  it('leaves an event without header maps as it is', () => {
    const event = normalize({ headers: null, multiValueHeaders: null } as unknown as APIGatewayProxyEvent);
    expect(event.headers).toBeNull();
    expect(event.multiValueHeaders).toBeNull();
  });

  it('finds every header under its lower-case name, whatever case it came in', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), fc.string()),
        (headers) => {
          const event = normalize({ headers, multiValueHeaders: {} });
          for (const name of Object.keys(headers)) expect(event.headers).toHaveProperty([name.toLowerCase()]);
          expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
        },
      ),
    );
  });
});
