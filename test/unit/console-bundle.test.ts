import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_INITIAL_BUDGET_GZIP_BYTES } from '../../bench/console.ts';
import { bundleConsole } from '../../lib/build/console-bundle.ts';

describe("the console's build", () => {
  const buildDir = mkdtempSync(join(tmpdir(), 'mha-console-test-'));
  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));
  const bundle = bundleConsole({ buildDir, force: true });
  const html = readFileSync(join(bundle.dir, 'index.html'), 'utf8');

  it('has an entry page without inline script or style, naming only its hashed module and stylesheet', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const scripts = [...html.matchAll(/<script type="module" src="\/([^"]+)"><\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^app-[A-Z0-9]{8}\.js$/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/app-[A-Z0-9]{8}\.css" \/>/);
  });

  it('keeps the initial load within its budget, the charting library in a chunk of its own', () => {
    expect(bundle.initial.gzipBytes).toBeLessThanOrEqual(CONSOLE_INITIAL_BUDGET_GZIP_BYTES);
    const initialScripts = bundle.initial.files
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(bundle.dir, file), 'utf8'))
      .join('');
    // uPlot's code (which names its overlay class) is only in the lazy chunk.
    expect(initialScripts.includes('u-over')).toBe(false);
    const chunks = readdirSync(bundle.dir).filter(
      (file) => file.startsWith('chunk-') && file.endsWith('.js'),
    );
    expect(chunks.some((file) => readFileSync(join(bundle.dir, file), 'utf8').includes('u-over'))).toBe(true);
  });

  it('is content-addressed: the same inputs give the same directory, answered from the cache', () => {
    const again = bundleConsole({ buildDir });
    expect(again.built).toBe(false);
    expect(again.dir).toBe(bundle.dir);
    expect(again.hash).toBe(bundle.hash);
  });
});
