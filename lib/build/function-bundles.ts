/**
 * The bundling pass: every Lambda function of the service (route handlers, the stream aggregator, the
 * scheduled jobs, the Cognito triggers, the docs functions) built by ONE esbuild invocation with all
 * entry points, into one directory per function. The CDK deploys those directories as they are
 * (lib/constructs/api-function.ts), the bundle benchmark measures them, and the local runtime could
 * import them instead of the TypeScript sources.
 *
 * Content-addressed: each function's directory is named by the SHA-256 of what it holds, and the CDK
 * uses that hash as the asset hash, so an unchanged function keeps its asset (and is not redeployed)
 * whatever else changed. Cached twice: per process (every stage synthesized in one process, e.g. by a
 * test run, shares one result) and on disk (a manifest of the inputs the last pass read, with their
 * sizes, modification times and content hashes; when none changed, the pass is skipped). See
 * docs/build.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import { buildOpenApiDocument } from '../../shared/contract/openapi.ts';
import { eventFunctionTable } from '../../shared/contract/event-functions.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { docsRoutes, OPENAPI_DOCUMENT_FILE } from '../../shared/contract/routes/docs.ts';
import { REPO_ROOT } from '../repo-root.ts';

/** Where the pass writes: `assets/<hash>/` per function, the manifest and the last metafile. */
export const DEFAULT_BUILD_DIR = path.join(REPO_ROOT, '.build', 'functions');

/**
 * Lets a CommonJS dependency `require()` inside the ESM bundle (esbuild's shim otherwise throws
 * "Dynamic require of ... is not supported"). Aliased so it cannot clash with bundled names.
 */
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __mhaCreateRequire } from 'node:module'; const require = __mhaCreateRequire(import.meta.url);";

/**
 * The esbuild options of every function: ESM for Node 24, minified (which tree-shakes), a linked source
 * map without the sources' text, and the AWS SDK v3 bundled (no externals): tree-shaken clients start
 * faster than the runtime's full copy. Evaluated and left at esbuild's defaults: `conditions`,
 * `charset`, `legalComments` and `treeShaking` change no bundle by more than 0.2 KB; `keepNames` is off
 * by default. bench/bundles.ts builds its floor fixtures with the same options.
 */
export const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_SHIM },
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The file each function's handler module is bundled into: its Lambda handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';
export const LAMBDA_HANDLER = 'index.handler';

/** Every function entry of the service: the route table's handlers and the event function table's. */
export const serviceFunctionEntries = (): string[] =>
  [
    ...new Set([
      ...routeTable.map((route) => route.handler),
      ...eventFunctionTable.map((definition) => definition.entry),
    ]),
  ].sort();

/**
 * Files a function ships beside its bundle, written after esbuild. The docs function's OpenAPI document
 * is generated here, at build time, from the same route table and schemas the handlers validate with,
 * so that function carries neither the generator nor every route's schemas.
 */
const writeCompanionFiles = (entry: string, dir: string): void => {
  if (entry === docsRoutes.getOpenApi.handler) {
    writeFileSync(path.join(dir, OPENAPI_DOCUMENT_FILE), JSON.stringify(buildOpenApiDocument()));
  }
};

/**
 * Files that decide the output besides the module graph esbuild reports: the package and TypeScript
 * settings (import maps, tsconfig paths), the lock file, and the contract the OpenAPI document is
 * generated from (everything under shared/ and functions/, whichever modules it reads).
 */
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json'];
const EXTRA_INPUT_DIRS = ['shared', 'functions'];

/** A function's directory name inside one pass: `functions/auth/login.ts` → `auth-login`. */
const entryKey = (entry: string): string =>
  entry
    .replace(/^functions\//, '')
    .replace(/\.ts$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-');

export interface FunctionBundle {
  /** The handler module, relative to the repository root. */
  readonly entry: string;
  /** The directory the CDK deploys: `index.mjs`, its source map and any companion files. */
  readonly dir: string;
  /** SHA-256 (hex) of the directory's file names and contents: the asset hash. */
  readonly hash: string;
  /** Bytes shipped: every file but the source map. */
  readonly bytes: number;
}

export interface BundlePass {
  readonly bundles: ReadonlyMap<string, FunctionBundle>;
  /** `false` when the disk cache answered and esbuild did not run. */
  readonly built: boolean;
  readonly ms: number;
  /** The esbuild metafile of the pass that built these bundles (inputs and outputs with their bytes). */
  readonly metafilePath: string;
}

interface InputFingerprint {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

interface Manifest {
  readonly version: 1;
  /** Hash of the esbuild options and the pass's code: a change to either invalidates the cache. */
  readonly optionsKey: string;
  readonly inputs: Record<string, InputFingerprint>;
  readonly bundles: Record<string, { hash: string; bytes: number }>;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const OPTIONS_KEY = sha256(
  JSON.stringify({ options: FUNCTION_BUILD_OPTIONS, pass: readFileSync(fileURLToPath(import.meta.url)) }),
);

const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((item) =>
    item.isDirectory() ? filesUnder(`${dir}/${item.name}`) : item.isFile() ? [`${dir}/${item.name}`] : [],
  );

const fingerprint = (file: string): InputFingerprint => {
  const absolute = path.join(REPO_ROOT, file);
  const stat = statSync(absolute);
  return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(readFileSync(absolute)) };
};

/** Whether an input still has the content it had: size and time first, the content hash if they moved. */
const unchanged = (file: string, recorded: InputFingerprint): boolean => {
  const absolute = path.join(REPO_ROOT, file);
  if (!existsSync(absolute)) return false;
  const stat = statSync(absolute);
  if (stat.size !== recorded.size) return false;
  if (stat.mtimeMs === recorded.mtimeMs) return true;
  return sha256(readFileSync(absolute)) === recorded.sha256;
};

/** The hash of a directory's files (names and contents, in name order) and the bytes it ships. */
const hashDirectory = (dir: string): { hash: string; bytes: number } => {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of readdirSync(dir).sort()) {
    const content = readFileSync(path.join(dir, file));
    hash.update(`${file}\0${content.length}\0`).update(content);
    if (!file.endsWith('.map')) bytes += content.length;
  }
  return { hash: hash.digest('hex'), bytes };
};

const readManifest = (buildDir: string): Manifest | undefined => {
  try {
    const manifest = JSON.parse(readFileSync(path.join(buildDir, 'manifest.json'), 'utf8')) as Manifest;
    return manifest.version === 1 ? manifest : undefined;
  } catch {
    return undefined;
  }
};

/** Written to a temporary name and renamed: a concurrent reader sees the old file or the new one. */
const writeAtomically = (file: string, content: string): void => {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
};

const bundlesOf = (
  buildDir: string,
  entries: readonly string[],
  recorded: Manifest['bundles'],
): Map<string, FunctionBundle> =>
  new Map(
    entries.map((entry) => {
      const { hash, bytes } = recorded[entry]!;
      return [entry, { entry, dir: path.join(buildDir, 'assets', hash), hash, bytes }];
    }),
  );

/** The cached pass, when it covers `entries`, its inputs are unchanged and every directory exists. */
const cachedPass = (
  buildDir: string,
  entries: readonly string[],
): Map<string, FunctionBundle> | undefined => {
  const manifest = readManifest(buildDir);
  if (!manifest || manifest.optionsKey !== OPTIONS_KEY) return undefined;
  if (!entries.every((entry) => manifest.bundles[entry])) return undefined;
  if (!Object.entries(manifest.inputs).every(([file, recorded]) => unchanged(file, recorded)))
    return undefined;
  const bundles = bundlesOf(buildDir, entries, manifest.bundles);
  return [...bundles.values()].every((bundle) => existsSync(path.join(bundle.dir, BUNDLE_FILE)))
    ? bundles
    : undefined;
};

/** Asset directories no manifest names any more, left for an hour in case a concurrent run still reads one. */
const pruneAssets = (buildDir: string, keep: ReadonlySet<string>): void => {
  const assets = path.join(buildDir, 'assets');
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(assets)) {
    const dir = path.join(assets, name);
    if (!keep.has(name) && statSync(dir).mtimeMs < hourAgo) rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Bundles `entries` (handler modules relative to the repository root) in one esbuild pass, or returns
 * the cached result of the last pass when it covers them and nothing it read has changed. Synchronous,
 * so CDK constructs can call it. Safe to run from several processes at once: each builds in a
 * temporary directory and moves finished function directories into place by content hash.
 */
export const bundleFunctions = (
  entries: readonly string[],
  options: { readonly buildDir?: string; readonly force?: boolean } = {},
): BundlePass => {
  const started = performance.now();
  const buildDir = options.buildDir ?? DEFAULT_BUILD_DIR;
  const metafilePath = path.join(buildDir, 'metafile.json');
  const cached = options.force ? undefined : cachedPass(buildDir, entries);
  if (cached) return { bundles: cached, built: false, ms: performance.now() - started, metafilePath };

  mkdirSync(path.join(buildDir, 'assets'), { recursive: true });
  const work = path.join(buildDir, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const keys = new Map(entries.map((entry) => [entry, entryKey(entry)]));
    if (new Set(keys.values()).size !== keys.size)
      throw new Error('Two function entries share a directory name');
    const result = buildSync({
      ...FUNCTION_BUILD_OPTIONS,
      mainFields: [...FUNCTION_BUILD_OPTIONS.mainFields],
      absWorkingDir: REPO_ROOT,
      entryPoints: Object.fromEntries(
        [...keys].map(([entry, key]) => [`${key}/index`, path.join(REPO_ROOT, entry)]),
      ),
      outdir: work,
      metafile: true,
    });
    const bundles: Manifest['bundles'] = {};
    for (const [entry, key] of keys) {
      const dir = path.join(work, key);
      writeCompanionFiles(entry, dir);
      const { hash, bytes } = hashDirectory(dir);
      const target = path.join(buildDir, 'assets', hash);
      // Same hash, same content: another pass (or an earlier one) already put it there.
      if (existsSync(target)) rmSync(dir, { recursive: true, force: true });
      else renameSync(dir, target);
      bundles[entry] = { hash, bytes };
    }
    const inputFiles = new Set([
      ...Object.keys((result.metafile as Metafile).inputs),
      ...EXTRA_INPUTS,
      ...EXTRA_INPUT_DIRS.flatMap(filesUnder),
    ]);
    const manifest: Manifest = {
      version: 1,
      optionsKey: OPTIONS_KEY,
      inputs: Object.fromEntries([...inputFiles].sort().map((file) => [file, fingerprint(file)])),
      bundles,
    };
    writeAtomically(metafilePath, JSON.stringify(result.metafile));
    writeAtomically(path.join(buildDir, 'manifest.json'), JSON.stringify(manifest));
    pruneAssets(buildDir, new Set(Object.values(bundles).map((bundle) => bundle.hash)));
    return {
      bundles: bundlesOf(buildDir, entries, bundles),
      built: true,
      ms: performance.now() - started,
      metafilePath,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

let processPass: BundlePass | undefined;

/**
 * A function's bundle from this process's pass over every service function (built, or found in the
 * cache, on the first call; later calls and every other stage synthesized in the process reuse it). An
 * entry outside {@link serviceFunctionEntries} starts a new pass that includes it.
 */
export const functionBundle = (entry: string): FunctionBundle => {
  if (!processPass?.bundles.has(entry)) {
    processPass = bundleFunctions([
      ...new Set([...serviceFunctionEntries(), ...(processPass?.bundles.keys() ?? []), entry]),
    ]);
  }
  return processPass.bundles.get(entry)!;
};

/** The pass {@link functionBundle} used in this process, if any (the build script and tests report it). */
export const currentPass = (): BundlePass | undefined => processPass;

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; own modules by folder (`shared/http`). */
export const packageOf = (input: string): string => {
  const parts = input.split('/');
  if (parts[0] !== 'node_modules') return parts.slice(0, 2).join('/');
  return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : (parts[1] ?? input);
};

/**
 * What a function's bundle carries, by package (or folder of our own code), in bytes of the minified
 * output: read from the metafile of the pass that built it. Answers "why is this bundle big".
 */
export const bundleComposition = (metafilePath: string, entry: string): Map<string, number> => {
  const metafile = JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile;
  const suffix = `/${entryKey(entry)}/index${FUNCTION_BUILD_OPTIONS.outExtension['.js']}`;
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(suffix))?.[1];
  if (!output) throw new Error(`${entry} is not in ${metafilePath}`);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return new Map([...byPackage].sort((a, b) => b[1] - a[1]));
};
