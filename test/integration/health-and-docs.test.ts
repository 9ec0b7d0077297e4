import { describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { api } from './support/api.ts';

interface HealthBody {
  status: string;
  stage: string;
  checks: Record<string, { status: string; latencyMs: number }>;
}

describe('health routes on the real emulators', () => {
  it('GET /health is 200 with database and identity up, each with a latency', async () => {
    const response = await api<HealthBody>('/health');
    expect(response.status).toBe(200);
    expect(response.json.status).toBe('ok');
    expect(response.json.stage).toBe('local');
    expect(Object.keys(response.json.checks).sort()).toEqual(['database', 'identity']);
    for (const check of Object.values(response.json.checks)) {
      expect(check.status).toBe('up');
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('GET /health/database and /health/identity run only their own check', async () => {
    const database = await api<HealthBody>('/health/database');
    expect(database.status).toBe(200);
    expect(Object.keys(database.json.checks)).toEqual(['database']);
    const identity = await api<HealthBody>('/health/identity');
    expect(identity.status).toBe(200);
    expect(Object.keys(identity.json.checks)).toEqual(['identity']);
  });
});

describe('generated API documentation', () => {
  it('GET /openapi.json is an OpenAPI 3.1 document listing every route of the table', async () => {
    const response = await api<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/openapi.json',
    );
    expect(response.status).toBe(200);
    expect(response.json.openapi).toBe('3.1.0');
    for (const route of routeTable) {
      expect(
        response.json.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
    // Test-only probe routes are served by the test gateway but are not part of the product's contract.
    expect(response.json.paths['/probe/whoami']).toBeUndefined();
  });

  it('GET /docs is a Swagger UI page pointing at the document', async () => {
    const response = await api('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.text).toMatch(/swagger-ui/i);
    expect(response.text).toContain('openapi.json');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src/);
  });
});
