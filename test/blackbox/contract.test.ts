import { describe, expect, inject, it } from 'vitest';

/**
 * The contract from the outside (docs/testing.md, black-box layer): only HTTP against a base URL, so the same
 * file runs against the local runtime, LocalStack or a deployed stage (`API_URL=… npm run test:blackbox`).
 */
const call = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${inject('blackboxUrl')}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // Bodies are read loosely on purpose; each test asserts the fields it relies on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, text, json: json as Record<string, any> };
};

const expectEnvelope = (response: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.json?.error?.code).toBe(code);
  expect(typeof response.json?.error?.requestId).toBe('string');
  expect(response.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK)"/);
};

describe('black-box contract', () => {
  it('serves health with its checks', async () => {
    const health = await call('/health');
    expect([200, 503]).toContain(health.status);
    expect(Object.keys(health.json.checks).sort()).toEqual(['database', 'identity']);
    expect(health.headers.get('cache-control')).toBe('no-store');
  });

  it('publishes the OpenAPI document and the docs page', async () => {
    const document = await call('/openapi.json');
    expect(document.status).toBe(200);
    expect(document.json.openapi).toBe('3.1.0');
    expect(Object.keys(document.json.paths)).toContain('/health');
    expect((await call('/docs')).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers unknown paths, protected routes without a token and bad bodies with the envelope', async () => {
    expectEnvelope(await call('/definitely/not/a/route'), 404, 'NOT_FOUND');
    expectEnvelope(await call('/auth/me'), 401, 'UNAUTHENTICATED');
    expectEnvelope(
      await call('/auth/me', { headers: { Authorization: 'Bearer not-a-token' } }),
      401,
      'UNAUTHENTICATED',
    );
    const malformed = await call('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"email":',
    });
    expectEnvelope(malformed, 400, 'VALIDATION_FAILED');
    const wrongType = await call('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'x',
    });
    expectEnvelope(wrongType, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses wrong credentials without saying whether the account exists', async () => {
    const login = await call('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `nobody-${Date.now()}@example.com`, password: 'Wrong-Password-1!' }),
    });
    expectEnvelope(login, 401, 'UNAUTHENTICATED');
  });
});
