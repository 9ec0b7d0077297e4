/**
 * `npm start`: the whole API on this machine, no AWS account needed. Starts DynamoDB Local and
 * cognito-local, creates the table and user pool, serves the route table through the local gateway.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadStageConfig } from '../lib/config/index.ts';
import { LocalRuntimeError } from '../lib/local/processes.ts';
import { DEFAULT_DATA_DIR, REPO_ROOT, startLocalRuntime } from '../lib/local/runtime.ts';

const HELP = `Usage: npm start -- [options]

  --port <n>            API port (default 3000)
  --dynamodb-port <n>   DynamoDB Local port (default 8000)
  --cognito-port <n>    cognito-local port (default 9229)
  --in-memory           keep no data between runs (default: persist under .local/)
  --data-dir <path>     where to persist data (default .local/)
  --state-file <path>   where to write how to reach this runtime (default .local/runtime.json)
  --quiet               do not print one line per request
  --log-level <level>   handler log level: DEBUG, INFO, WARN (default), ERROR
  -h, --help            this help
`;

const parsePort = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalRuntimeError(`--${name} must be a port number (1-65535)`);
  return port;
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'cognito-port': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'state-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const started = performance.now();
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  const runtime = await startLocalRuntime({
    port: parsePort(values.port, 3000, 'port'),
    dynamodbPort: parsePort(values['dynamodb-port'], 8000, 'dynamodb-port'),
    cognitoPort: parsePort(values['cognito-port'], 9229, 'cognito-port'),
    inMemory: values['in-memory'],
    dataDir,
    ...(values['state-file'] ? { stateFile: values['state-file'] } : {}),
    handlerLogLevel: values['log-level']?.toUpperCase() ?? 'WARN',
    log: (message) => console.log(message),
    ...(values.quiet
      ? {}
      : {
          onRequest: (r) => console.log(`  ${r.method} ${r.path} → ${r.status} (${r.ms} ms) ${r.requestId}`),
        }),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const { apiUrl, identity } = runtime;
  const allowedDomains = loadStageConfig('local').cognito.allowedEmailDomains.join(', ');
  // Only where the local stage config demands keys (x-api-key on all but /health, /docs and /auth/*).
  const apiKeysLine = runtime.apiKeysRequired
    ? `\n  API keys  x-api-key: ${runtime.apiKeys.map((k) => `${k.tier} ${k.value}`).join(', ')}`
    : '';
  console.log(`
Mental Health Analytics — local API ready in ${seconds} s (stage "local")

  API       ${apiUrl}
  Docs      ${runtime.docsUrl}
  OpenAPI   ${apiUrl}/openapi.json
  Health    ${apiUrl}/health
  DynamoDB  ${runtime.dynamodbEndpoint}   table ${runtime.tableName}
  Cognito   ${runtime.cognitoEndpoint}   pool ${identity.userPoolId}, API client ${identity.apiClientId}
  Data      ${values['in-memory'] ? 'in memory (gone when you stop)' : relative(REPO_ROOT, dataDir) || '.'}${apiKeysLine}

How to sign in (e-mail domains allowed here: ${allowedDomains}):

  curl -s ${apiUrl}/auth/register -H 'Content-Type: application/json' \\
    -d '{"email":"ann@example.com","password":"Correct-Horse-9!","fullName":"Ann Example"}'
  curl -s ${apiUrl}/auth/login -H 'Content-Type: application/json' \\
    -d '{"email":"ann@example.com","password":"Correct-Horse-9!"}'
  → send the accessToken as "Authorization: Bearer <accessToken>" (try GET ${apiUrl}/auth/me)

  Forgot a password:  curl -s ${apiUrl}/auth/password/forgot -H 'Content-Type: application/json' \\
    -d '{"email":"ann@example.com"}'
  → the code Cognito would e-mail appears below, marked "✉ LOCAL ONLY" (and in ${relative(REPO_ROOT, runtime.outboxFile)})

  First admin:      npm run admin -- create-admin --email admin@example.com --name "Admin"
  Analysis pipeline (local stand-in for the Cognito token endpoint, client credentials):
    curl -s -u ${identity.machineClient.clientId}:${identity.machineClient.clientSecret} ${apiUrl}/oauth2/token \\
      -d grant_type=client_credentials

Press Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the API and the emulators…`);
    void runtime.stop().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
};

main().catch((error: unknown) => {
  if (error instanceof LocalRuntimeError) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error('Cannot start:', error);
  }
  process.exit(1);
});
