import createClient, { type Middleware } from 'openapi-fetch';
import { accessToken, clearSession } from '../auth/session.ts';
import type { paths } from './openapi.d.ts';

/**
 * The API client: openapi-fetch typed by the types generated from the API's OpenAPI document
 * (web/src/api/openapi.d.ts), so every path, parameter, body and answer is checked against the contract.
 */
export type Api = ReturnType<typeof createClient<paths>>;

let client: Api | undefined;

const bearer: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // A token the API no longer accepts (revoked by a sign-out elsewhere): back to the sign-in page.
    if (response.status === 401) clearSession();
    return response;
  },
};

export const configureApi = (baseUrl: string): void => {
  // API Gateway's stage URL ends with `/`; the paths start with one.
  client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, '') });
  client.use(bearer);
};

export const api = (): Api => {
  if (!client) throw new Error('The API client is not configured');
  return client;
};

/** The API's error envelope, or what a failed request looked like. */
export class ApiProblem extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly details: ReadonlyArray<{ field?: string; message?: string }>,
  ) {
    super(message);
  }
}

interface Envelope {
  error?: { code?: string; message?: string; details?: Array<{ field?: string; message?: string }> };
}

/** The answer's data, or an ApiProblem carrying the API's message and field details. */
export const unwrap = async <T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> => {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiProblem('The API cannot be reached. Check your connection and try again.', 0, undefined, []);
  }
  if (result.response.ok) return result.data as T;
  const envelope = (result.error ?? {}) as Envelope;
  const details = envelope.error?.details ?? [];
  const message = envelope.error?.message ?? `The API answered ${result.response.status}.`;
  throw new ApiProblem(message, result.response.status, envelope.error?.code, details);
};
