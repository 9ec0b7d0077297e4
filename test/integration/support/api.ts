import { expect, inject } from 'vitest';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

/** Calls the local gateway over real HTTP. */
// The default body type is `any` on purpose: tests narrow it with their own assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const api = async <T = any>(path: string, init: RequestInit = {}): Promise<ApiResponse<T>> => {
  const response = await fetch(`${inject('apiUrl')}${path}`, init);
  const text = await response.text();
  let json: T = undefined as T;
  try {
    json = JSON.parse(text) as T;
  } catch {
    // not JSON (the docs page); tests read `text`
  }
  return { status: response.status, headers: response.headers, text, json };
};

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/**
 * A request from another client address on this machine (any 127.x.y.z reaches the gateway on
 * 127.0.0.1): what API Gateway sees as a different source IP.
 */
export const apiFrom = async <T = unknown>(
  localAddress: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse<T>> => {
  const { request } = await import('node:http');
  const url = new URL(`${inject('apiUrl')}${path}`);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? 'GET',
        headers: init.headers,
        localAddress,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = undefined as T;
          try {
            json = JSON.parse(text) as T;
          } catch {
            // not JSON
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers))
            if (typeof value === 'string') headers.set(name, value);
          resolve({ status: incoming.statusCode ?? 0, headers, text, json });
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end(init.body);
  });
};

/** The error envelope of docs/api.md: code, message, requestId, and no storage keys anywhere. */
export const expectEnvelope = (response: ApiResponse, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = response.json as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK)"/);
  expect(response.text).not.toMatch(/\bat .+\.ts:\d+/); // no stack traces
  return body.error;
};
