import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/dynamodb-local.ts';
import { startLocalGateway, type LambdaHandler, type LocalGateway } from '../../lib/local/gateway.ts';
import { createTokenVerifier } from '../../lib/local/token-verifier.ts';
import { emulatorEnvironment } from './support/in-process.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

/**
 * docs/privacy.md: logs carry ids, codes and counts, never what a person wrote. The real handlers run here in
 * this test process (own gateway, the global run's emulators), at DEBUG, while every byte written to
 * stdout/stderr (Powertools logger and metrics, console) is captured; requests carry distinctive sentinel
 * values in their free-text and secret fields, and no sentinel may appear in any captured line.
 *
 * To cover a new route with free text (survey answers, EmoBuddy messages, analysis transcripts), add a
 * step to `scenario` below that sends a sentinel in that field.
 */
const sentinel = (label: string) => `SENTINEL${label}${randomBytes(6).toString('hex')}`;
const sentinels = {
  registeredName: `Ann ${sentinel('Name')}`,
  password: `Pw-${sentinel('Secret')}-Aa1!`,
  wrongPassword: `Pw-${sentinel('WrongSecret')}-Aa1!`,
  updatedName: `Ann ${sentinel('NewName')}`,
  jobTitle: `Nurse ${sentinel('Title')}`,
  rejectedText: sentinel('RejectedInput'),
  email: `${sentinel('mail').toLowerCase()}@example.com`,
};

const captured: string[] = [];
let gateway: LocalGateway;

beforeAll(async () => {
  const cognitoEndpoint = inject('cognitoEndpoint');
  const issuer = `${cognitoEndpoint}/${inject('userPoolId')}`;
  // The same variables the local runtime gives its handlers, with the log level at DEBUG. This file runs
  // in its own worker process, so nothing here reaches other test files.
  Object.assign(process.env, {
    ...emulatorEnvironment(),
    [ENV.cursorSecret]: randomBytes(32).toString('base64url'),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    POWERTOOLS_METRICS_DISABLED: 'false',
  });

  const capture = (stream: NodeJS.WriteStream) => {
    // Swallowed after capture: this worker's output is only the handlers' logs.
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return true;
    }) as typeof stream.write);
  };
  capture(process.stdout);
  capture(process.stderr);
  for (const level of ['log', 'info', 'debug', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }

  const verifier = await createTokenVerifier({ issuer, clientIds: () => [inject('apiClientId')] });
  gateway = await startLocalGateway({
    port: 0,
    routes: routeTable,
    loadHandler: async (route) =>
      ((await import(pathToFileURL(join(REPO_ROOT, route.handler)).href)) as { handler: LambdaHandler })
        .handler,
    verifier,
    stage: 'local',
    corsOrigins: [],
    timeoutMs: 15_000,
    onError: (error) => captured.push(`gateway error: ${String(error)}`),
  });
});

afterAll(async () => {
  await gateway?.close();
  vi.restoreAllMocks();
});

const send = async (method: string, path: string, body?: unknown, token?: string) => {
  const correlationId = `nophi-${randomUUID()}`;
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      'X-Correlation-Id': correlationId,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    correlationId,
  };
};

describe('logs of full requests', () => {
  it('carry no names, passwords, e-mail addresses or rejected input, even at DEBUG', async () => {
    const { email } = sentinels;
    const steps: { status: number; correlationId: string }[] = [];

    const registered = await send('POST', '/auth/register', {
      email,
      password: sentinels.password,
      fullName: sentinels.registeredName,
    });
    expect(registered.status).toBe(201);
    steps.push(registered);

    const wrong = await send('POST', '/auth/login', { email, password: sentinels.wrongPassword });
    expect(wrong.status).toBe(401);
    steps.push(wrong);

    const login = await send('POST', '/auth/login', { email, password: sentinels.password });
    expect(login.status).toBe(200);
    steps.push(login);
    const token = String(login.json.accessToken);

    const me = await send('GET', '/auth/me', undefined, token);
    expect(me.status).toBe(200);
    const profile = (me.json.user ?? me.json) as { id?: string; sub?: string; version?: number };
    const sub = profile.id ?? profile.sub;
    expect(typeof sub).toBe('string');

    const updated = await send(
      'PUT',
      `/users/${sub}`,
      { version: profile.version ?? 1, fullName: sentinels.updatedName },
      token,
    );
    expect(updated.status, JSON.stringify(updated.json)).toBe(200);
    steps.push(updated);
    // A field an employee may not edit: refused (403/400) without its value reaching the logs.
    const notEditable = await send(
      'PUT',
      `/users/${sub}`,
      { version: Number(updated.json.version), jobTitle: sentinels.jobTitle },
      token,
    );
    expect(notEditable.status).toBe(400);
    steps.push(notEditable);

    const consents = await send(
      'PUT',
      '/users/me/consents',
      { aggregateAnalytics: { granted: true } },
      token,
    );
    expect(consents.status).toBe(200);
    steps.push(consents);

    // Rejected input: validation failures must not echo the offending values into the logs.
    const rejected = await send(
      'PUT',
      '/users/me/consents',
      { aggregateAnalytics: { granted: true }, note: sentinels.rejectedText },
      token,
    );
    expect(rejected.status).toBe(400);
    steps.push(rejected);
    const rejectedName = await send(
      'PUT',
      `/users/${sub}`,
      { version: 1, fullName: `${sentinels.rejectedText}${'x'.repeat(300)}` },
      token,
    );
    expect(rejectedName.status).toBe(400);

    const logs = captured.join('');
    // The capture works: the handlers logged these requests (correlation ids) and their metrics.
    expect(steps.some((step) => logs.includes(step.correlationId))).toBe(true);
    expect(logs).toContain('LoginFailed');

    for (const [name, value] of Object.entries(sentinels)) {
      const core = value.match(/SENTINEL[A-Za-z]+[0-9a-f]{12}/i)?.[0] ?? value;
      const leaks = captured.filter((line) => line.toLowerCase().includes(core.toLowerCase()));
      expect(leaks, `${name} appeared in the logs`).toEqual([]);
    }
  });
});
