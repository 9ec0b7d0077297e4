import { getRedocRoute } from '#contract/routes/docs.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { createHandlerChain } from '#http/handler-chain.ts';
import { assetSource, docsContentSecurityPolicy, escapeAttribute } from './docs-page.ts';

/**
 * Redoc's reference page for the same generated document as /docs. Redoc's standalone bundle comes from
 * `REDOC_BASE` and renders the `<redoc>` element from `openapi.json` next to the page (so it works under
 * API Gateway's `/<stage>/redoc` and locally at `/redoc`); there is no inline script at all.
 */
const { redocBase } = runtimeEnv();
const assets = assetSource(redocBase);

const REDOC_CONTENT_SECURITY_POLICY = docsContentSecurityPolicy([
  `script-src ${assets}`,
  // Redoc's search index runs in a web worker that the bundle creates from a blob.
  'worker-src blob:',
  // Redoc styles itself with <style> elements it injects at run time (styled-components).
  "style-src 'unsafe-inline'",
  // Its icons are data: URIs. Its vendor logo (from Redocly's CDN) is refused on purpose: no
  // third-party request from the docs of a health API; Redoc hides the image when it fails to load.
  'img-src data:',
]);

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mental Health Analytics API — reference</title>
  </head>
  <body>
    <redoc spec-url="openapi.json"></redoc>
    <script src="${escapeAttribute(redocBase)}/redoc.standalone.js"></script>
  </body>
</html>
`;

export const handler = createHandlerChain(getRedocRoute, async () => ({
  statusCode: 200,
  body: PAGE,
  contentType: 'text/html; charset=utf-8',
  headers: { 'Content-Security-Policy': REDOC_CONTENT_SECURITY_POLICY },
}));
