/**
 * The runtime environment the in-process handler tests run with. `runtimeEnv()` and the Powertools
 * singletons read process.env once, at first import, so a test file imports this module before any
 * handler code (ES modules evaluate imports in order).
 */
export const TEST_CORS_ORIGIN = 'https://app.example.test';
export const TEST_STAGE = 'test';

process.env.STAGE = TEST_STAGE;
process.env.CURSOR_SECRET = 'unit-test-cursor-secret-0123456789abcdef';
process.env.CORS_ORIGINS = `${TEST_CORS_ORIGIN}, https://admin.example.test`;
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
delete process.env.SWAGGER_UI_BASE;
delete process.env.REDOC_BASE;
