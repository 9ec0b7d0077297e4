import { readFile } from 'node:fs/promises';
import type * as OpenApi from '#contract/openapi.ts';
import { getOpenApiRoute, OPENAPI_DOCUMENT_FILE } from '#contract/routes/docs.ts';
import { createHandlerChain } from '#http/handler-chain.ts';

/**
 * Serves the OpenAPI document, generated at build time: the bundling pass writes it next to the bundle
 * (lib/build/function-bundles.ts), so this function carries neither the generator
 * nor the schemas of every route, and sends the JSON as it was written. Run from source (the local
 * runtime, tests), no build step has run: the document is generated from the route table by the same
 * code, on the first request. The generator's specifier is a variable so no bundler follows it into a
 * Lambda bundle; there a missing file is a broken build and fails loudly.
 */
const fromSource = import.meta.url.endsWith('.ts');
const GENERATOR = new URL('../../shared/contract/openapi.ts', import.meta.url).href;

const generate = async (): Promise<string> => {
  const { buildOpenApiDocument } = (await import(GENERATOR)) as typeof OpenApi;
  return JSON.stringify(buildOpenApiDocument());
};

/** Kept for the life of the execution environment: the document never changes. */
let document: Promise<string> | undefined;
const loadDocument = (): Promise<string> =>
  (document ??= fromSource ? generate() : readFile(new URL(OPENAPI_DOCUMENT_FILE, import.meta.url), 'utf8'));

export const handler = createHandlerChain(getOpenApiRoute, async () => ({
  statusCode: 200,
  body: await loadDocument(),
  serialized: true,
}));
