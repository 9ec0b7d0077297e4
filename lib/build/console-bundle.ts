/**
 * The web console's build (web/): one esbuild pass over web/src/main.tsx, code-split so the charting
 * library loads only on pages with a chart, minified, with content-hashed file names, plus index.html
 * and the stylesheet. The CDK uploads the result to the console's bucket (lib/constructs/console.ts); the
 * local runtime serves it (lib/local/console-server.ts); `npm run bench` measures its initial load.
 *
 * Content-addressed and cached like the function bundles (lib/build/function-bundles.ts): the output
 * directory is named by the SHA-256 of its inputs (every file under web/, the lock file and this
 * module), so an unchanged console is not rebuilt, and two processes building the same inputs agree on
 * one directory. The runtime configuration (API URL, client id, managed-login domain) is NOT part of the
 * build: each stage writes its own `config.json` beside the bundle (see consoleRuntimeConfig).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import { REPO_ROOT } from '../repo-root.ts';

export const WEB_DIR = path.join(REPO_ROOT, 'web');
export const DEFAULT_CONSOLE_BUILD_DIR = path.join(REPO_ROOT, '.build', 'console');

/** The file the console fetches at start to learn its stage's endpoints (never cached long). */
export const CONSOLE_CONFIG_FILE = 'config.json';

export type { ConsoleRuntimeConfig } from '../../web/src/runtime-config.ts';

export const CONSOLE_BUILD_OPTIONS = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  splitting: true,
  target: ['chrome120', 'firefox120', 'safari17'],
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.css': 'css' },
  legalComments: 'none',
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface ConsoleBundle {
  /** The directory to publish: index.html, the hashed scripts and stylesheet, their source maps. */
  readonly dir: string;
  /** SHA-256 of the inputs: the directory's name and the CDK asset hash. */
  readonly hash: string;
  /** What the first page load fetches (index.html, the entry script with its static imports, CSS). */
  readonly initial: { readonly files: readonly string[]; readonly bytes: number; readonly gzipBytes: number };
  /** Every file shipped but source maps. */
  readonly totalBytes: number;
  readonly built: boolean;
  readonly ms: number;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((item) =>
    item.isDirectory()
      ? filesUnder(path.join(dir, item.name))
      : item.isFile()
        ? [path.join(dir, item.name)]
        : [],
  );

const inputsHash = (): string => {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(CONSOLE_BUILD_OPTIONS));
  const inputs = [
    ...filesUnder(WEB_DIR).filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`)),
    path.join(REPO_ROOT, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ].sort();
  for (const file of inputs) {
    const content = readFileSync(file);
    hash.update(`${path.relative(REPO_ROOT, file)}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
};

const INDEX_TEMPLATE = path.join(WEB_DIR, 'index.html');
const SUMMARY_FILE = 'build.json';

interface BuildSummary {
  initialFiles: string[];
}

/** The scripts the entry point loads before anything renders: itself and its static imports, transitively. */
const initialScripts = (
  metafile: Metafile,
  outdir: string,
): { entry: string; css?: string; files: string[] } => {
  const outputs = metafile.outputs;
  const entryOut = Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith('web/src/main.tsx'));
  if (!entryOut) throw new Error('esbuild produced no output for web/src/main.tsx');
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement') visit(imported.path);
    }
  };
  visit(entryOut[0]);
  const rel = (file: string) => path.relative(outdir, path.resolve(REPO_ROOT, file));
  return {
    entry: rel(entryOut[0]),
    ...(entryOut[1].cssBundle ? { css: rel(entryOut[1].cssBundle) } : {}),
    files: [...seen].map(rel),
  };
};

const summarize = (dir: string, hash: string, built: boolean, started: number): ConsoleBundle => {
  const summary = JSON.parse(readFileSync(path.join(dir, SUMMARY_FILE), 'utf8')) as BuildSummary;
  const shipped = readdirSync(dir).filter((file) => !file.endsWith('.map') && file !== SUMMARY_FILE);
  const totalBytes = shipped.reduce((sum, file) => sum + readFileSync(path.join(dir, file)).length, 0);
  const initialContent = summary.initialFiles.map((file) => readFileSync(path.join(dir, file)));
  return {
    dir,
    hash,
    initial: {
      files: summary.initialFiles,
      bytes: initialContent.reduce((sum, content) => sum + content.length, 0),
      gzipBytes: initialContent.reduce((sum, content) => sum + gzipSync(content, { level: 9 }).length, 0),
    },
    totalBytes,
    built,
    ms: performance.now() - started,
  };
};

/**
 * Builds the console, or returns the directory an earlier build of the same inputs left. Synchronous,
 * so a CDK construct can call it during synthesis.
 */
export const bundleConsole = (
  options: { readonly buildDir?: string; readonly force?: boolean } = {},
): ConsoleBundle => {
  const started = performance.now();
  const buildDir = options.buildDir ?? DEFAULT_CONSOLE_BUILD_DIR;
  const hash = inputsHash();
  const target = path.join(buildDir, hash);
  if (!options.force && existsSync(path.join(target, SUMMARY_FILE)))
    return summarize(target, hash, false, started);

  mkdirSync(buildDir, { recursive: true });
  const work = path.join(buildDir, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = buildSync({
      ...CONSOLE_BUILD_OPTIONS,
      target: [...CONSOLE_BUILD_OPTIONS.target],
      absWorkingDir: REPO_ROOT,
      entryPoints: { app: path.join(WEB_DIR, 'src', 'main.tsx') },
      outdir: work,
      metafile: true,
    });
    const { entry, css, files } = initialScripts(result.metafile as Metafile, work);
    // No inline script anywhere (the CSP forbids it): the page names its module and stylesheet only.
    const html = readFileSync(INDEX_TEMPLATE, 'utf8')
      .replace('<!--styles-->', css ? `<link rel="stylesheet" href="/${css}" />` : '')
      .replace(
        '<!--scripts-->',
        [
          ...files
            .filter((file) => file !== entry)
            .map((file) => `<link rel="modulepreload" href="/${file}" />`),
          `<script type="module" src="/${entry}"></script>`,
        ].join('\n    '),
      );
    writeFileSync(path.join(work, 'index.html'), html);
    const summary: BuildSummary = { initialFiles: ['index.html', ...files, ...(css ? [css] : [])] };
    writeFileSync(path.join(work, SUMMARY_FILE), JSON.stringify(summary));
    if (options.force) rmSync(target, { recursive: true, force: true });
    if (existsSync(target)) rmSync(work, { recursive: true, force: true });
    else renameSync(work, target);
    return summarize(target, hash, true, started);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
