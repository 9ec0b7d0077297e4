import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILE,
  bundleFunctions,
  currentPass,
  ESM_REQUIRE_SHIM,
  serviceFunctionEntries,
} from '../../lib/build/function-bundles.ts';
import { ServiceFunction } from '../../lib/constructs/api-function.ts';
import { eventFunctionTable } from '../../shared/contract/event-functions.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { OPENAPI_DOCUMENT_FILE, docsRoutes } from '../../shared/contract/routes/docs.ts';
import { STAGES, synthStage } from './synth.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

describe('the bundling pass', () => {
  // Entries of this test live in a scratch folder inside the repository (esbuild resolves the SDK from
  // its node_modules) and are built into a build directory of their own.
  const scratch = path.join(REPO_ROOT, '.build', `test-entries-${randomUUID()}`);
  const buildDir = mkdtempSync(path.join(tmpdir(), 'mha-bundles-'));
  mkdirSync(scratch, { recursive: true });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  });
  const relative = (file: string) => path.relative(REPO_ROOT, path.join(scratch, file));
  const write = (file: string, source: string) => writeFileSync(path.join(scratch, file), source);
  write('stable.ts', `export const handler = async () => 'stable';\n`);
  write('changing.ts', `export const handler = async () => 'first';\n`);
  const entries = [relative('stable.ts'), relative('changing.ts')];

  it('builds every entry into a directory named by its content, then answers from the cache', () => {
    const first = bundleFunctions(entries, { buildDir });
    expect(first.built).toBe(true);
    for (const bundle of first.bundles.values()) {
      expect(path.basename(bundle.dir)).toBe(bundle.hash);
      expect(readdirSync(bundle.dir).sort()).toEqual([BUNDLE_FILE, `${BUNDLE_FILE}.map`]);
      const code = readFileSync(path.join(bundle.dir, BUNDLE_FILE), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_SHIM)).toBe(true);
      expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
    }
    const again = bundleFunctions(entries, { buildDir });
    expect(again.built).toBe(false);
    expect([...again.bundles.values()].map((b) => b.hash)).toEqual(
      [...first.bundles.values()].map((b) => b.hash),
    );
    // A forced rebuild of the same sources gives the same bytes: the hash depends on content only.
    const forced = bundleFunctions(entries, { buildDir, force: true });
    expect(forced.built).toBe(true);
    expect([...forced.bundles.values()].map((b) => b.hash)).toEqual(
      [...first.bundles.values()].map((b) => b.hash),
    );
  });

  it('rebuilds when a source changes; only the changed function gets a new hash', () => {
    const before = bundleFunctions(entries, { buildDir });
    write('changing.ts', `export const handler = async () => 'second';\n`);
    const after = bundleFunctions(entries, { buildDir });
    expect(after.built).toBe(true);
    expect(after.bundles.get(entries[0]!)?.hash).toBe(before.bundles.get(entries[0]!)?.hash);
    expect(after.bundles.get(entries[1]!)?.hash).not.toBe(before.bundles.get(entries[1]!)?.hash);
    expect(readFileSync(path.join(after.bundles.get(entries[1]!)!.dir, BUNDLE_FILE), 'utf8')).toContain(
      'second',
    );
  });

  it('rebuilds when asked for an entry the cached pass does not have', () => {
    write('added.ts', `export const handler = async () => 'added';\n`);
    const pass = bundleFunctions([...entries, relative('added.ts')], { buildDir });
    expect(pass.built).toBe(true);
    expect(pass.bundles.size).toBe(3);
  });

  it('covers every route handler and every event-driven function', () => {
    const all = serviceFunctionEntries();
    for (const route of routeTable) expect(all).toContain(route.handler);
    expect(all).toEqual(
      expect.arrayContaining([
        'functions/streams/aggregate-rollups.ts',
        'functions/jobs/purge-erased-users.ts',
        'functions/jobs/count-overdue-alerts.ts',
        'functions/triggers/pre-sign-up.ts',
        'functions/triggers/post-confirmation.ts',
        'functions/triggers/custom-message.ts',
      ]),
    );
  });
});

describe('functions of a stage', () => {
  it('deploy the directories of one pass, which every stage synthesized in the process shares', () => {
    const passes = STAGES.map((stage) => {
      const { stack } = synthStage(stage);
      const functions = stack.node.findAll().filter((node) => node instanceof ServiceFunction);
      expect(functions.length, stage).toBe(routeTable.length + eventFunctionTable.length);
      const pass = currentPass();
      for (const fn of functions) {
        const asset = fn.function.node.findChild('Code') as s3assets.Asset;
        // Staging is off in these syntheses: the asset path is the pass's directory itself.
        expect(asset.assetPath, fn.entry).toBe(pass?.bundles.get(fn.entry)?.dir);
        expect(fn.function.runtime.name).toBe('nodejs24.x');
      }
      return pass;
    });
    expect(new Set(passes).size).toBe(1);
    const docs = passes[0]?.bundles.get(docsRoutes.getOpenApi.handler);
    expect(docs && readdirSync(docs.dir)).toContain(OPENAPI_DOCUMENT_FILE);
  });
});
