import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { loadStageConfig } from '../../lib/config/index.ts';
import { MAX_BODY_BYTES } from '#contract/common.ts';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { registerAccount } from './support/accounts.ts';
import {
  createSignedInUser,
  decodePayload,
  forgeWithForeignKey,
  signWithCognitoLocalKey,
  tamperClaims,
  unsignedToken,
} from './support/identity.ts';

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('routing through the local gateway', () => {
  it('answers an unknown path with the 404 envelope', async () => {
    expectEnvelope(await api('/no/such/path'), 404, 'NOT_FOUND');
  });

  it('answers a malformed percent-escape in the path with the 400 envelope, before routing and auth', async () => {
    for (const path of ['/users/%E0%A4%A', '/users/%', '/no/such/%G1', '/health%C3']) {
      const response = await api(path);
      expectEnvelope(response, 400, 'VALIDATION_FAILED');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    // A well-formed escape still reaches the route (and its validation).
    expectEnvelope(await api('/users/%E0%A4%A4'), 401, 'UNAUTHENTICATED');
  });

  it('passes a query parameter named __proto__ or constructor on like any other (the route refuses it by name)', async () => {
    // A registered account (a profile, as every caller of a route with table access needs).
    const { accessToken } = await registerAccount([], 'gateway-proto');
    for (const name of ['__proto__', 'constructor', 'toString']) {
      const response = await api(`/departments?${name}=1`, { headers: bearer(accessToken) });
      const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as { details?: { field: string }[] };
      expect(error.details).toEqual([expect.objectContaining({ field: `query.${name}` })]);
    }
  });

  it('answers a known path with an unsupported method with 405 and Allow', async () => {
    const response = await api('/health', { method: 'DELETE' });
    expectEnvelope(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('echoes a safe correlation id and replaces an unsafe one with the request id', async () => {
    const safe = await api('/health/identity', { headers: { 'X-Correlation-Id': 'trace-123.abc' } });
    expect(safe.headers.get('x-correlation-id')).toBe('trace-123.abc');
    const unsafe = await api('/health/identity', { headers: { 'X-Correlation-Id': 'bad id <script>' } });
    expect(unsafe.headers.get('x-correlation-id')).toBe(unsafe.headers.get('x-amzn-requestid'));
  });

  it('sends the security headers on success and on errors', async () => {
    for (const response of [await api('/health/identity'), await api('/probe/whoami')]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The 401 above comes from the gateway (like API Gateway's own response), the 200 from the chain.
    expect((await api('/health/identity')).headers.get('content-security-policy')).toContain(
      "default-src 'none'",
    );
  });

  it('allows only configured CORS origins', async () => {
    const allowed = await api('/health/identity', { headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await api('/health/identity', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api('/probe/whoami', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });
});

describe('token verification like the Cognito authorizer', () => {
  it('rejects a missing token with 401', async () => {
    expectEnvelope(await api('/probe/whoami'), 401, 'UNAUTHENTICATED');
  });

  it('rejects malformed, unsigned, forged and tampered tokens with 401', async () => {
    const user = await createSignedInUser();
    const attacks = {
      malformed: 'not-a-jwt',
      unsigned: unsignedToken(user.accessToken),
      foreignKey: forgeWithForeignKey(user.accessToken),
      tampered: tamperClaims(user.accessToken, { sub: randomUUID() }),
      // cognito-local's own exp is iat + 1 day; push it a year out so the payload really changes.
      tamperedExpiry: tamperClaims(user.accessToken, { exp: Math.floor(Date.now() / 1000) + 365 * 86_400 }),
    };
    for (const [name, token] of Object.entries(attacks)) {
      const response = await api('/probe/whoami', { headers: bearer(token) });
      expect(response.status, name).toBe(401);
      expectEnvelope(response, 401, 'UNAUTHENTICATED');
    }
  });

  it('checks expiry (required), issue time (not in the future), not-before, issuer, client and scope on correctly signed tokens', async () => {
    const user = await createSignedInUser();
    const claims = decodePayload(user.accessToken);
    const now = Math.floor(Date.now() / 1000);
    // Control: the same claims re-signed with the pool's key are accepted, so each failure below is
    // caused by the one claim it changes.
    expect((await api('/probe/whoami', { headers: bearer(signWithCognitoLocalKey(claims)) })).status).toBe(
      200,
    );
    const { exp: _exp, ...withoutExpiry } = claims;
    const variants = {
      expired: { ...claims, iat: now - 7200, exp: now - 3600 },
      withoutExpiry,
      issuedInTheFuture: { ...claims, iat: now + 3600, exp: now + 7200 },
      notYetValid: { ...claims, nbf: now + 3600 },
      wrongIssuer: { ...claims, iss: `${String(claims.iss)}-other` },
      unknownClient: { ...claims, client_id: 'someone-elses-client' },
      wrongScope: { ...claims, scope: 'openid email' },
    };
    for (const [name, variant] of Object.entries(variants)) {
      const response = await api('/probe/whoami', { headers: bearer(signWithCognitoLocalKey(variant)) });
      expect(response.status, name).toBe(401);
    }
  });

  it('rejects an ID token where an access token is required', async () => {
    const user = await createSignedInUser();
    expect(decodePayload(user.idToken).token_use).toBe('id');
    expectEnvelope(await api('/probe/whoami', { headers: bearer(user.idToken) }), 401, 'UNAUTHENTICATED');
  });

  it('passes a valid access token and hands claims to the handler as strings', async () => {
    const user = await createSignedInUser(['manager', 'clinician']);
    const response = await api<{ principal: { kind: string; sub: string; roles: string[] } }>(
      '/probe/whoami',
      {
        headers: bearer(user.accessToken),
      },
    );
    expect(response.status).toBe(200);
    expect(response.json.principal.kind).toBe('user');
    expect(response.json.principal.sub).toBe(user.sub);
    expect([...response.json.principal.roles].sort()).toEqual(['clinician', 'employee', 'manager']);
  });

  it('accepts the raw token without the Bearer prefix, as API Gateway does', async () => {
    const user = await createSignedInUser();
    expect((await api('/probe/whoami', { headers: { Authorization: user.accessToken } })).status).toBe(200);
  });
});

describe('the handler chain: role check, body parsing, validation', () => {
  const itemPath = () => `/probe/admin-echo/${randomUUID()}`;

  it('refuses a signed-in user without the route role with 403, before looking at the body', async () => {
    const employee = await createSignedInUser();
    const response = await api(itemPath(), json('{broken', bearer(employee.accessToken)));
    expectEnvelope(response, 403, 'FORBIDDEN');
  });

  it('maps wrong content type, oversize and malformed bodies to 415, 413 and 400', async () => {
    const admin = await createSignedInUser(['admin']);
    const auth = bearer(admin.accessToken);
    expectEnvelope(
      await api(itemPath(), {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'text/plain' },
        body: 'name=x',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const huge = JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), count: 1 });
    expectEnvelope(await api(itemPath(), json(huge, auth)), 413, 'PAYLOAD_TOO_LARGE');
    const malformed = expectEnvelope(
      await api(itemPath(), json('{"name": ', auth)),
      400,
      'VALIDATION_FAILED',
    );
    expect(malformed).toMatchObject({ details: [{ field: 'body', code: 'invalid_json' }] });
  });

  it('names every invalid field: params, query and body, including unknown fields', async () => {
    const admin = await createSignedInUser(['admin']);
    const response = await api(
      '/probe/admin-echo/not-a-uuid?limit=500',
      json({ name: '', count: 1.5, role: 'admin' }, bearer(admin.accessToken)),
    );
    const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    expect(error.details.map((d) => d.field).sort()).toEqual(
      ['body.count', 'body.name', 'body.role', 'params.item_id', 'query.limit'].sort(),
    );
  });

  it('runs the use case with validated, typed input', async () => {
    const admin = await createSignedInUser(['admin']);
    const id = randomUUID();
    const response = await api(
      `/probe/admin-echo/${id}?limit=7`,
      json({ name: 'ok', count: 3 }, bearer(admin.accessToken)),
    );
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      params: { item_id: id },
      query: { limit: 7 },
      body: { name: 'ok', count: 3 },
    });
  });
});

describe('response compression, as API Gateway does it with the stage’s minimumCompressionSize', () => {
  /** A raw request (fetch would decompress on its own): status, headers and the bytes on the wire. */
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(`${inject('apiUrl')}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
  const threshold = loadStageConfig('local').api.minCompressionBytes;

  it('compresses a response above the threshold for a client that accepts gzip or deflate', async () => {
    const plain = await raw('/openapi.json');
    expect(plain.body.length).toBeGreaterThan(threshold);
    expect(plain.headers['content-encoding']).toBeUndefined();

    const gzipped = await raw('/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);

    const deflated = await raw('/openapi.json', { 'Accept-Encoding': 'deflate' });
    expect(deflated.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(deflated.body).equals(plain.body)).toBe(true);
  });

  it('leaves small responses, refused codings and unsupported ones alone', async () => {
    const small = await raw('/health/identity', { 'Accept-Encoding': 'gzip' });
    expect(small.body.length).toBeLessThan(threshold);
    expect(small.headers['content-encoding']).toBeUndefined();
    for (const acceptEncoding of ['br', 'identity', 'gzip;q=0, deflate;q=0', '']) {
      const response = await raw('/openapi.json', { 'Accept-Encoding': acceptEncoding });
      expect(response.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(JSON.parse(response.body.toString('utf8'))).toHaveProperty('openapi');
    }
  });

  it('keeps the CORS Vary and the security headers on a compressed response', async () => {
    const response = await raw('/openapi.json', {
      'Accept-Encoding': 'gzip',
      Origin: 'http://localhost:5173',
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(String(response.headers.vary).split(/,\s*/)).toEqual(
      expect.arrayContaining(['Origin', 'Accept-Encoding']),
    );
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
