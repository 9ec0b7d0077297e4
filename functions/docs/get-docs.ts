import { getDocsRoute } from '#contract/routes/docs.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { createHandlerChain } from '#http/handler-chain.ts';
import { assetSource, docsContentSecurityPolicy, escapeAttribute, scriptHash } from './docs-page.ts';

/**
 * Swagger UI for the generated document. The page loads Swagger UI from `SWAGGER_UI_BASE` and the
 * document from `openapi.json` next to the page, so it works under API Gateway's `/<stage>/docs` and
 * locally at `/docs` alike. The inline bootstrap script is constant, so the CSP can allow exactly it by
 * hash instead of 'unsafe-inline'.
 */
const BOOTSTRAP_SCRIPT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', window.location.href).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
});`;

const { swaggerUiBase } = runtimeEnv();
const assets = assetSource(swaggerUiBase);
const base = escapeAttribute(swaggerUiBase);

const DOCS_CONTENT_SECURITY_POLICY = docsContentSecurityPolicy([
  `script-src ${assets} ${scriptHash(BOOTSTRAP_SCRIPT)}`,
  // Swagger UI renders with inline style attributes.
  `style-src ${assets} 'unsafe-inline'`,
  // Its icons are data: URIs; the favicon comes from the asset base.
  `img-src ${assets} data:`,
]);

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mental Health Analytics API</title>
    <link rel="stylesheet" href="${base}/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${base}/swagger-ui-bundle.js"></script>
    <script>${BOOTSTRAP_SCRIPT}</script>
  </body>
</html>
`;

export const handler = createHandlerChain(getDocsRoute, async () => ({
  statusCode: 200,
  body: PAGE,
  contentType: 'text/html; charset=utf-8',
  headers: { 'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY },
}));
