import './support/test-env.ts';
import { existsSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPublic, methodScopes, type RouteDefinition } from '#contract/route.ts';
import { routeTable } from '#contract/routes.ts';

/**
 * Invariants of THE route table, generated from it so that every new route is checked: the CDK stack,
 * the local gateway and the OpenAPI document all trust these.
 */

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * Route id → the area file that defines it (shared/contract/routes/<file>.ts): every `…Routes` export
 * of every area file.
 */
const ROUTES_DIR = resolve(ROOT, 'shared/contract/routes');
const definedIn = new Map<string, string>();
for (const file of readdirSync(ROUTES_DIR).filter((name) => name.endsWith('.ts'))) {
  const module = (await import(resolve(ROUTES_DIR, file))) as Record<string, unknown>;
  for (const [name, routes] of Object.entries(module)) {
    if (!name.endsWith('Routes')) continue;
    for (const route of Object.values(routes as Record<string, RouteDefinition>))
      definedIn.set(route.id, basename(file, '.ts'));
  }
}

const templateParams = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '').sort();

describe('route table', () => {
  it('is not empty', () => {
    expect(routeTable.length).toBeGreaterThan(0);
  });

  it('has unique ids', () => {
    const ids = routeTable.map((route) => route.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('has one route per method and path', () => {
    const keys = routeTable.map((route) => `${route.method} ${route.path}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  describe.each(routeTable.map((route) => [route.id, route] as const))('%s', (_id, route) => {
    it('is named <area>.<action> and has a summary and a tag', () => {
      expect(route.id).toMatch(/^[a-z][a-z0-9-]*\.[a-z][A-Za-z0-9-]*$/);
      expect(route.summary.trim()).not.toBe('');
      expect(route.tag.trim()).not.toBe('');
    });

    it('agrees with its area: `<tag>.<action>`, defined in routes/<tag>.ts, handler in functions/<tag>/', () => {
      const area = route.tag;
      expect(route.id.slice(0, route.id.indexOf('.'))).toBe(area);
      expect(definedIn.get(route.id)).toBe(area);
      expect(route.handler.startsWith(`functions/${area}/`)).toBe(true);
    });

    it('has a well-formed API Gateway path', () => {
      expect(route.path).toMatch(
        /^\/(?:[A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\})(?:\/(?:[A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\}))*$/,
      );
    });

    it('declares who may call it', () => {
      expect(route.access).toBeDefined();
      if (!isPublic(route.access)) {
        expect(
          route.access.users === 'any' || route.access.users === 'none' || route.access.users.length > 0,
        ).toBe(true);
        // A method without authorization scopes makes the Cognito authorizer accept ID tokens.
        expect(methodScopes(route.access).length).toBeGreaterThan(0);
      }
    });

    it('has a params schema entry for every path parameter, and no other', () => {
      const declared = Object.keys(route.request.params?.shape ?? {}).sort();
      expect(declared).toEqual(templateParams(route.path));
    });

    it('declares at least one success response', () => {
      expect(
        Object.keys(route.responses).some((status) => Number(status) >= 200 && Number(status) < 300),
      ).toBe(true);
    });

    it('points at a handler module under functions/ that exports `handler`', async () => {
      expect(route.handler).toMatch(/^functions\/[a-z0-9-]+\/[a-z0-9-]+\.ts$/);
      const file = resolve(ROOT, route.handler);
      expect(existsSync(file)).toBe(true);
      const module = (await import(file)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    });
  });
});
