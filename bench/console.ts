/**
 * The web console's initial load against its budget: what the first visit fetches before anything
 * renders (index.html, the entry script with its static imports, the stylesheet), raw and gzipped
 * (CloudFront compresses), and the build time fresh and from its cache. The charting library is a
 * lazy chunk, loaded by the first page with a chart, so it is reported apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleConsole } from '../lib/build/console-bundle.ts';

/** The budget of the initial load, gzipped: a 3G connection fetches it in about a second. */
export const CONSOLE_INITIAL_BUDGET_GZIP_BYTES = 40 * 1024;

export interface ConsoleBenchmark {
  initialFiles: readonly string[];
  initialBytes: number;
  initialGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
  totalBytes: number;
  freshBuildMs: number;
  cachedBuildMs: number;
}

export const benchmarkConsole = (log: (line: string) => void): ConsoleBenchmark => {
  const buildDir = mkdtempSync(join(tmpdir(), 'mha-console-bench-'));
  try {
    const fresh = bundleConsole({ buildDir, force: true });
    const cached = bundleConsole({ buildDir });
    const result: ConsoleBenchmark = {
      initialFiles: fresh.initial.files,
      initialBytes: fresh.initial.bytes,
      initialGzipBytes: fresh.initial.gzipBytes,
      budgetGzipBytes: CONSOLE_INITIAL_BUDGET_GZIP_BYTES,
      withinBudget: fresh.initial.gzipBytes <= CONSOLE_INITIAL_BUDGET_GZIP_BYTES,
      totalBytes: fresh.totalBytes,
      freshBuildMs: Math.round(fresh.ms),
      cachedBuildMs: Math.round(cached.ms),
    };
    log(
      `  initial load ${(result.initialBytes / 1024).toFixed(1)} KB, ${(result.initialGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${result.budgetGzipBytes / 1024} KB: ${result.withinBudget ? 'within' : 'OVER'}); everything ${(result.totalBytes / 1024).toFixed(1)} KB; build ${result.freshBuildMs} ms fresh, ${result.cachedBuildMs} ms cached`,
    );
    return result;
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
};

export const consoleSection = (result: ConsoleBenchmark) => ({
  summary: `console: initial load ${(result.initialGzipBytes / 1024).toFixed(1)} KB gzipped of a ${result.budgetGzipBytes / 1024} KB budget (${result.withinBudget ? 'within' : 'OVER'})`,
  markdown: `## Web console

What the first visit fetches before anything renders, as built by lib/build/console-bundle.ts (the
charting library is a separate chunk, fetched by the first page with a chart):

| | bytes | gzipped |
|---|---:|---:|
| initial load (${result.initialFiles.join(', ')}) | ${(result.initialBytes / 1024).toFixed(1)} KB | ${(result.initialGzipBytes / 1024).toFixed(1)} KB |
| budget | | ${result.budgetGzipBytes / 1024} KB |
| every file shipped | ${(result.totalBytes / 1024).toFixed(1)} KB | |

Build: ${result.freshBuildMs} ms fresh, ${result.cachedBuildMs} ms when its cache answers.
`,
});
