import { createHash } from 'node:crypto';
import { docsRoutes } from '#contract/routes/docs.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { createHandlerChain } from '#http/handler-chain.ts';

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

const scriptHash = `'sha256-${createHash('sha256').update(BOOTSTRAP_SCRIPT, 'utf8').digest('base64')}'`;

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The CSP source for Swagger UI's files: the base URL's directory rather than its whole origin, because a
 * public CDN origin also serves every other package's scripts. Falls back to the origin when the path
 * holds characters a CSP source expression cannot.
 */
const assetSource = (base: string): string => {
  const url = new URL(`${base}/`);
  const withPath = `${url.origin}${url.pathname}`;
  return /^[!-~]+$/.test(withPath) && !/[;,']/.test(withPath) ? withPath : url.origin;
};

const { swaggerUiBase } = runtimeEnv();
const assets = assetSource(swaggerUiBase);
const base = escapeAttribute(swaggerUiBase);

const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${assets} ${scriptHash}`,
  // Swagger UI renders with inline style attributes.
  `style-src ${assets} 'unsafe-inline'`,
  // Its icons are data: URIs; the favicon comes from the asset base.
  `img-src ${assets} data:`,
  // The document and "Try it out" requests go to this API only.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

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

export const handler = createHandlerChain(docsRoutes.getDocs, async () => ({
  statusCode: 200,
  body: PAGE,
  contentType: 'text/html; charset=utf-8',
  headers: { 'Content-Security-Policy': DOCS_CONTENT_SECURITY_POLICY },
}));
