/**
 * The console's API types, generated from the OpenAPI document (itself generated from the route table
 * and its zod schemas, shared/contract/openapi.ts) by openapi-typescript: the console's client
 * (openapi-fetch) is typed by them, so no request or response type is written by hand. The file is
 * checked in (web/src/api/openapi.d.ts); test/unit/console-api-types.test.ts fails when it is not what
 * this generator writes now. `npm run generate:api-types` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../shared/contract/openapi.ts';

export const CONSOLE_API_TYPES_FILE = fileURLToPath(
  new URL('../../web/src/api/openapi.d.ts', import.meta.url),
);

const HEADER = `/**
 * GENERATED from the API's OpenAPI document by lib/build/console-api-types.ts
 * (npm run generate:api-types). Do not edit: change the route table's schemas instead.
 */

`;

export const generateConsoleApiTypes = async (): Promise<string> => {
  const ast = await openapiTS(buildOpenApiDocument() as unknown as Parameters<typeof openapiTS>[0], {
    // Every documented response, errors included, typed: openapi-fetch hands error bodies back as data.
    alphabetize: false,
  });
  return HEADER + astToString(ast);
};

export const checkedInConsoleApiTypes = (): string => readFileSync(CONSOLE_API_TYPES_FILE, 'utf8');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(CONSOLE_API_TYPES_FILE, await generateConsoleApiTypes());
  console.log(`Wrote ${path.relative(process.cwd(), CONSOLE_API_TYPES_FILE)}`);
}
