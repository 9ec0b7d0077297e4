import './support/test-env.ts';
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { routeTable } from '#contract/routes.ts';
import { handler as getDocs } from '../../functions/docs/get-docs.ts';
import { handler as getOpenApi } from '../../functions/docs/get-openapi.ts';
import { handler as getRedoc } from '../../functions/docs/get-redoc.ts';
import { invoke, restEvent } from './support/lambda.ts';

const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...values]) => [name ?? '', values]),
  );

describe('GET /openapi.json', () => {
  it('serves the generated document to anonymous callers, as JSON', async () => {
    const response = await invoke(getOpenApi, restEvent({ path: '/openapi.json' }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('application/json');
    const document = response.json as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(routeTable.map((r) => r.path))].sort());
    expect(response.headers['Cache-Control']).toBe('no-store');
  });

  it('serves the same document on every request', async () => {
    const first = await invoke(getOpenApi, restEvent({ path: '/openapi.json' }));
    const second = await invoke(getOpenApi, restEvent({ path: '/openapi.json' }));
    expect(second.body).toBe(first.body);
  });
});

describe('GET /docs', () => {
  const load = () => invoke(getDocs, restEvent({ path: '/docs' }));
  const base = runtimeEnv().swaggerUiBase;
  const inlineScripts = (html: string): string[] =>
    [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');

  it('serves an HTML page that loads Swagger UI from SWAGGER_UI_BASE', async () => {
    const response = await load();
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain(`<script src="${base}/swagger-ui-bundle.js"></script>`);
    expect(response.body).toContain(`<link rel="stylesheet" href="${base}/swagger-ui.css" />`);
  });

  it('points Swagger UI at openapi.json next to the page, under a stage prefix or without one', async () => {
    const [script] = inlineScripts((await load()).body);
    expect(script).toBeDefined();
    for (const [page, expected] of [
      [
        'https://abc.execute-api.eu-west-1.amazonaws.com/prod/docs',
        'https://abc.execute-api.eu-west-1.amazonaws.com/prod/openapi.json',
      ],
      ['http://localhost:3000/docs', 'http://localhost:3000/openapi.json'],
    ] as const) {
      const configs: { url?: string }[] = [];
      const SwaggerUIBundle = Object.assign((config: { url?: string }) => configs.push(config), {
        presets: { apis: {} },
      });
      const window = { location: { href: page } };
      runInNewContext(script ?? '', { window, SwaggerUIBundle, URL });
      expect(configs.map((config) => config.url)).toEqual([expected]);
    }
  });

  it('sets its own CSP that allows exactly its inline script, by hash', async () => {
    const response = await load();
    const csp = directives(response.headers['Content-Security-Policy'] ?? '');
    const scripts = inlineScripts(response.body);
    expect(scripts).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64')}'`;
    const scriptSrc = csp.get('script-src') ?? [];
    expect(scriptSrc).toContain(hash);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    // Swagger UI's files are allowed from the configured base only.
    expect(scriptSrc).toContain(`${base}/`);
    expect(scriptSrc).toHaveLength(2);
  });

  it('keeps everything else locked down', async () => {
    const response = await load();
    const csp = directives(response.headers['Content-Security-Policy'] ?? '');
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual([`${base}/`, "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual([`${base}/`, 'data:']);
    expect(response.headers['X-Frame-Options']).toBe('DENY');
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('GET /redoc', () => {
  const load = () => invoke(getRedoc, restEvent({ path: '/redoc' }));
  const base = runtimeEnv().redocBase;

  it('serves an HTML page that renders openapi.json (next to the page) with Redoc from REDOC_BASE', async () => {
    const response = await load();
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<redoc spec-url="openapi.json"></redoc>');
    expect(response.body).toContain(`<script src="${base}/redoc.standalone.js"></script>`);
    // No inline script: the standalone bundle renders the element by itself.
    expect(response.body).not.toMatch(/<script>/);
  });

  it('loads scripts from the configured base only, and keeps the rest locked down', async () => {
    const response = await load();
    const csp = directives(response.headers['Content-Security-Policy'] ?? '');
    expect(csp.get('script-src')).toEqual([`${base}/`]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('worker-src')).toEqual(['blob:']);
    expect(response.headers['Cache-Control']).toBe('no-store');
  });

  it('the CDN default is the version of Redoc the local runtime serves', async () => {
    const { readFileSync } = await import('node:fs');
    const installed = (
      JSON.parse(readFileSync(new URL('../../node_modules/redoc/package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(base).toBe(`https://cdn.jsdelivr.net/npm/redoc@${installed}/bundles`);
  });
});
