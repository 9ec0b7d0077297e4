import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root directory (no trailing separator): the bundling passes, the local runtime, the
 * operator CLI, the benches and the tests resolve entries and output folders against it.
 */
export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
