/**
 * The docs function's build step: writes the OpenAPI document, generated from the route table, to the
 * file named on the command line. The CDK runs it after bundling, into the function's asset directory
 * (lib/constructs/api-function.ts), and so does bench/bundles.ts:
 *
 *   node --import tsx functions/docs/write-openapi-document.ts <asset dir>/openapi.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildOpenApiDocument } from '#contract/openapi.ts';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: write-openapi-document.ts <file>\n');
  process.exit(2);
}
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(buildOpenApiDocument()));
