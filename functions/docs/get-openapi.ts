import { buildOpenApiDocument, type OpenApiDocument } from '#contract/openapi.ts';
import { docsRoutes } from '#contract/routes/docs.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/** Built on the first request and kept for the life of the execution environment: it never changes. */
let document: OpenApiDocument | undefined;

export const handler = createApiHandler(docsRoutes.getOpenApi, async () =>
  ok((document ??= buildOpenApiDocument())),
);
