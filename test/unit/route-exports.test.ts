import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Each route is its own export of its area's module, built by a call marked pure, and each handler
 * imports that export: then a function's bundle carries its own route's request schemas only, not its
 * siblings' (docs/build.md, "What the metafile showed"). esbuild cannot drop one property of an object,
 * so a handler that imported the area's `<area>Routes` object would carry every route of the area.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ROUTES_DIR = join(ROOT, 'shared/contract/routes');
const areaFiles = readdirSync(ROUTES_DIR).filter((name) => name.endsWith('.ts'));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('route exports', () => {
  it.each(areaFiles)('%s: every route of the area object is the module export `<key>Route`', async (file) => {
    const module = (await import(join(ROUTES_DIR, file))) as Record<string, unknown>;
    const [areaName, area] =
      Object.entries(module).find(([name]) => /^[a-z][A-Za-z]*Routes$/.test(name)) ?? [];
    expect(areaName, 'the area object').toBeDefined();
    for (const [key, route] of Object.entries(area as Record<string, unknown>)) {
      expect(module[`${key}Route`], `${areaName}.${key}`).toBe(route);
    }
  });

  it.each(areaFiles)('%s: every route export is built by a call marked pure', (file) => {
    const source = readFileSync(join(ROUTES_DIR, file), 'utf8');
    const exports = [...source.matchAll(/^export const (\w+Route) = (.*)$/gm)];
    expect(exports.length).toBeGreaterThan(0);
    for (const [, name, initializer] of exports) {
      expect(initializer, name).toMatch(/^\/\* @__PURE__ \*\/ \w+\(/);
    }
  });

  it('no handler imports an area object', () => {
    const offenders = sourceFiles(join(ROOT, 'functions')).filter((file) =>
      /import\s*(type\s*)?\{[^}]*\b\w+Routes\b[^}]*\}\s*from\s*'#contract\/routes\//.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
