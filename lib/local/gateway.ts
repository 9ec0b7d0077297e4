import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ErrorCode } from '../../shared/contract/common.ts';
import { ERROR_STATUS, SECURITY_HEADERS } from '../../shared/contract/common.ts';
import { CORS_ALLOW_HEADERS, CORS_MAX_AGE_SECONDS } from '../../shared/contract/cors.ts';
import { isPublic, methodScopes, pathPattern, type RouteDefinition } from '../../shared/contract/route.ts';
import type { TokenVerifier } from './token-verifier.ts';
import type { LocalProtection } from './usage-plans.ts';

export type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GatewayOptions {
  routes: readonly RouteDefinition[];
  loadHandler: (route: RouteDefinition) => Promise<LambdaHandler>;
  verifier: TokenVerifier;
  stage: string;
  corsOrigins: readonly string[];
  /** Function timeout, as in the stage config; a slower handler gets API Gateway's 504. */
  timeoutMs: number;
  /**
   * Responses of at least this many bytes are compressed for clients that accept gzip or deflate, as
   * API Gateway does with the stage's minimumCompressionSize; absent: never compressed.
   */
  minCompressionBytes?: number;
  /**
   * Endpoints that are not API routes but exist in AWS around the API (the Cognito domain's
   * `/oauth2/token`): exact method + path, raw body in, JSON out.
   */
  /**
   * LOCAL ONLY: static files served under path prefixes (the assets of Swagger UI and Redoc, which the
   * docs pages load from a CDN in AWS). Only plain file names directly inside each `dir`.
   */
  staticFiles?: ReadonlyArray<{ prefix: string; dir: string }>;
  extraEndpoints?: ReadonlyArray<{
    method: string;
    path: string;
    /**
     * JSON out, or text with its own content type; `headers` are added last (a page's own CSP, a
     * redirect's Location, CORS for the console).
     */
    handle(request: {
      headers: IncomingMessage['headers'];
      body: string;
      query: URLSearchParams;
    }): ExtraAnswer | Promise<ExtraAnswer>;
  }>;
  /**
   * API keys, usage plans and throttles as API Gateway enforces them (after the authorizer, before the
   * integration). Absent: nothing is checked.
   */
  protection?: LocalProtection;
  /** Unexpected failures (a handler module that fails to load or throws), for the developer's console. */
  onError?: (error: unknown, route: string) => void;
  onRequest?: (entry: {
    method: string;
    path: string;
    /** The route id, an extra endpoint's path, the static files' prefix, or `(no route)`. */
    route: string;
    status: number;
    ms: number;
    requestId: string;
  }) => void;
}

export type ExtraAnswer = (
  { status: number; body: unknown } | { status: number; text: string; contentType: string }
) & { headers?: Record<string, string> };

export interface LocalGateway {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/** API Gateway's own payload limit (10 MB); the handlers enforce the API's smaller limit themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
}

class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = ERROR_STATUS[code],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const envelope = (code: ErrorCode, message: string, requestId: string) =>
  JSON.stringify({ error: { code, message, requestId } });

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        reject(new GatewayError('PAYLOAD_TOO_LARGE', 'Request Too Long'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Sets `map[key]` as an own property, whatever the key: in AWS the event is JSON, so a client's
 * `?__proto__=1` arrives as an ordinary key that the handler's strict schema refuses; a plain
 * assignment would instead swallow it (it sets the prototype).
 */
const setOwn = <T>(map: Record<string, T>, key: string, value: T): void => {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
};
const own = <T>(map: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** Node gives repeated headers as arrays (set-cookie) or comma-joined strings; API Gateway gives both forms. */
const headerMaps = (req: IncomingMessage) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    setOwn(headers, name, value);
    setOwn(multiValueHeaders, name, [...(own(multiValueHeaders, name) ?? []), value]);
  }
  return { headers, multiValueHeaders };
};

const queryMaps = (url: URL) => {
  if ([...url.searchParams.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    setOwn(single, key, value); // API Gateway keeps the last value in the single-value map
    setOwn(multi, key, [...(own(multi, key) ?? []), value]);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
};

/** The content codings API Gateway compresses with, in the order it prefers them. */
const CODINGS = { gzip: gzipSync, deflate: deflateSync } as const;
type Coding = keyof typeof CODINGS;

/** The coding to answer with for an Accept-Encoding header (q=0 refuses one; `*` accepts any). */
export const negotiateCoding = (acceptEncoding: string | undefined): Coding | undefined => {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const quality = (coding: Coding) => accepted.get(coding) ?? accepted.get('*') ?? 0;
  return (Object.keys(CODINGS) as Coding[]).find((coding) => quality(coding) > 0);
};

/** Whether every percent-escape of a path decodes (to valid UTF-8). */
const decodablePath = (pathname: string): boolean => {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
};

/**
 * REST API authorizers hand claims to the integration as strings: arrays become "a,b" and numbers
 * their decimal text. Handlers must cope, so the local gateway does the same.
 */
export const claimsAsStrings = (payload: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : String(value),
    ]),
  );

/**
 * A local stand-in for API Gateway (REST, Lambda proxy integration): routes HTTP requests to the same
 * handler modules the CDK deploys, as v1 proxy events, after verifying tokens like the Cognito
 * authorizer. Unknown paths, unsupported methods and auth failures get the same envelopes as in AWS.
 */
export const startLocalGateway = async (
  options: GatewayOptions & { port: number; host?: string },
): Promise<LocalGateway> => {
  const compiled: CompiledRoute[] = options.routes.map((route) => ({
    route,
    pattern: pathPattern(route.path),
  }));
  const allowedOrigins = new Set(options.corsOrigins);
  const parameterCount = (path: string) => (path.match(/\{/g) ?? []).length;

  /**
   * Like API Gateway, a request goes to ONE resource: the matching path with the most literal segments
   * (`/users/me` beats `/users/{user_id}`); its methods decide between the route and a 405.
   */
  const resourceFor = (pathname: string): CompiledRoute[] => {
    const matching = compiled.filter((c) => c.pattern.test(pathname));
    if (matching.length === 0) return [];
    const best = matching.reduce((a, b) =>
      parameterCount(b.route.path) < parameterCount(a.route.path) ? b : a,
    );
    return matching.filter((c) => c.route.path === best.route.path);
  };

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin && allowedOrigins.has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};

  const authenticate = async (route: RouteDefinition, authorization: string | undefined) => {
    if (isPublic(route.access)) return undefined;
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new GatewayError('UNAUTHENTICATED', 'Unauthorized');
    try {
      const payload = await options.verifier.verifyAccessToken(token, methodScopes(route.access));
      return claimsAsStrings(payload as Record<string, unknown>);
    } catch {
      // API Gateway says only "Unauthorized" whatever the reason; so do we.
      throw new GatewayError('UNAUTHENTICATED', 'Unauthorized');
    }
  };

  const invoke = async (handler: LambdaHandler, event: APIGatewayProxyEvent, route: RouteDefinition) => {
    const deadline = Date.now() + options.timeoutMs;
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      functionName: `local-${route.id}`,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${route.id}`,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/local-${route.id}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } satisfies Context;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new GatewayError('INTERNAL', 'Endpoint request timed out', 504)),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([handler(event, context), timeout]);
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      options.onError?.(error, route.id);
      // A Lambda that throws is a 502 from API Gateway; our handlers never do, but say so if one does.
      throw new GatewayError('INTERNAL', 'Internal server error', 502);
    } finally {
      clearTimeout(timer);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    let status = 500;
    let routeId: string | undefined;
    const send = (statusCode: number, headers: Record<string, string | string[]>, body: string | Buffer) => {
      status = statusCode;
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const threshold = options.minCompressionBytes;
      const coding =
        threshold !== undefined && bytes.length >= threshold
          ? negotiateCoding(req.headers['accept-encoding'])
          : undefined;
      const vary = [headers.Vary ?? headers.vary ?? []].flat().join(', ');
      const compression: Record<string, string> = coding
        ? { 'Content-Encoding': coding, Vary: vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding' }
        : {};
      const { Vary: _vary, vary: _lowerVary, ...rest } = headers;
      res.writeHead(statusCode, {
        'x-amzn-RequestId': requestId,
        ...rest,
        ...(vary ? { Vary: vary } : {}),
        ...compression,
      });
      res.end(coding ? CODINGS[coding](bytes) : bytes);
    };
    try {
      const assets = options.staticFiles?.find((files) => url.pathname.startsWith(`${files.prefix}/`));
      if (assets && method === 'GET') {
        routeId = assets.prefix;
        const name = url.pathname.slice(assets.prefix.length + 1);
        const type = STATIC_TYPES[extname(name)];
        if (!/^[A-Za-z0-9._-]+$/.test(name) || !type) throw new GatewayError('NOT_FOUND', `No file ${name}`);
        const content = await readFile(join(assets.dir, name)).catch(() => undefined);
        if (!content) throw new GatewayError('NOT_FOUND', `No file ${name}`);
        send(
          200,
          {
            'Content-Type': type,
            'Cache-Control': 'public, max-age=3600',
            'X-Content-Type-Options': 'nosniff',
          },
          content,
        );
        return;
      }
      const endpoint = options.extraEndpoints?.find((e) => e.method === method && e.path === url.pathname);
      if (endpoint) {
        routeId = endpoint.path;
        const answer = await endpoint.handle({
          headers: req.headers,
          body: (await readBody(req)).toString('utf8'),
          query: url.searchParams,
        });
        if ('text' in answer)
          send(
            answer.status,
            { ...SECURITY_HEADERS, 'Content-Type': answer.contentType, ...answer.headers },
            answer.text,
          );
        else
          send(
            answer.status,
            { 'Content-Type': 'application/json', ...SECURITY_HEADERS, ...answer.headers },
            JSON.stringify(answer.body),
          );
        return;
      }
      // A path API Gateway cannot decode (a malformed or truncated percent-escape, invalid UTF-8) never
      // reaches a route or the authorizer there: it is refused up front with a 4xx, which this stack's
      // DEFAULT_4XX gateway response (lib/constructs/api.ts) turns into this envelope.
      if (!decodablePath(url.pathname))
        throw new GatewayError('VALIDATION_FAILED', 'The request was rejected');
      const candidates = resourceFor(url.pathname);
      if (candidates.length === 0) throw new GatewayError('NOT_FOUND', `No route for ${url.pathname}`);
      if (method === 'OPTIONS' && allowedOrigins.size > 0) {
        const allow = candidates.map((c) => c.route.method).join(',');
        send(
          204,
          {
            ...corsHeaders(origin),
            'Access-Control-Allow-Methods': `OPTIONS,${allow}`,
            'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(','),
            'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
          },
          '',
        );
        return;
      }
      const match = candidates.find((c) => c.route.method === method);
      if (!match) {
        const allow = candidates.map((c) => c.route.method).join(', ');
        throw new GatewayError(
          'METHOD_NOT_ALLOWED',
          `Method ${method} is not allowed here; use ${allow}.`,
          405,
          {
            Allow: allow,
          },
        );
      }
      const { route, pattern } = match;
      routeId = route.id;
      const claims = await authenticate(route, req.headers.authorization);
      const apiKeyHeader = req.headers['x-api-key'];
      const refusal = options.protection?.admit(
        route,
        Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader,
      );
      if (refusal) {
        throw new GatewayError(
          refusal.code,
          refusal.message,
          refusal.status,
          refusal.status === 429 ? { 'Retry-After': String(refusal.retryAfter) } : {},
        );
      }
      const rawBody = await readBody(req);
      const { headers, multiValueHeaders } = headerMaps(req);
      const groups = pattern.exec(url.pathname)?.groups;
      const pathParameters = groups
        ? Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]))
        : null;
      const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      const event: APIGatewayProxyEvent = {
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        ...queryMaps(url),
        pathParameters,
        stageVariables: null,
        body: rawBody.length > 0 ? rawBody.toString('utf8') : null,
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          authorizer: claims ? { claims } : null,
          domainName: req.headers.host ?? 'localhost',
          httpMethod: method,
          path: `/${options.stage}${url.pathname}`,
          protocol: `HTTP/${req.httpVersion}`,
          requestId,
          requestTimeEpoch: Date.now(),
          resourceId: route.id,
          resourcePath: route.path,
          stage: options.stage,
          identity: {
            sourceIp,
            userAgent: req.headers['user-agent'] ?? null,
            accessKey: null,
            accountId: null,
            apiKey: (req.headers['x-api-key'] as string | undefined) ?? null,
            apiKeyId: null,
            caller: null,
            clientCert: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityId: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            user: null,
            userArn: null,
          },
        },
      };
      const handler = await options.loadHandler(route).catch((error: unknown) => {
        options.onError?.(error, route.id);
        throw new GatewayError('INTERNAL', 'Internal server error', 502);
      });
      const result = await invoke(handler, event, route);
      const responseHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) responseHeaders[name] = String(value);
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
        responseHeaders[name] = values.map(String);
      }
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      send(result.statusCode, responseHeaders, body);
    } catch (error) {
      const failure =
        error instanceof GatewayError ? error : new GatewayError('INTERNAL', 'Internal server error', 500);
      send(
        failure.status,
        {
          'Content-Type': 'application/json',
          ...SECURITY_HEADERS,
          ...corsHeaders(origin),
          ...failure.headers,
        },
        envelope(failure.code, failure.message, requestId),
      );
    } finally {
      options.onRequest?.({
        method,
        path: url.pathname,
        route: routeId ?? '(no route)',
        status,
        ms: Math.round(performance.now() - started),
        requestId,
      });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
