/**
 * `npm start`: the whole API on this machine, no AWS account needed. Starts DynamoDB Local and
 * cognito-local, creates the table and user pool, serves the route table through the local gateway.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadStageConfig } from '../lib/config/index.ts';
import { choosePorts, LocalRuntimeError } from '../lib/local/processes.ts';
import { DEFAULT_DATA_DIR, startLocalRuntime } from '../lib/local/runtime.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

const HELP = `Usage: npm start -- [options]

  --port <n>            API port (default 3000; busy is an error, never a different port)
  --dynamodb-port <n>   DynamoDB Local port (default 8000, or a free one printed at start when taken)
  --cognito-port <n>    cognito-local port (default 9229, or a free one printed at start when taken)
  --console-port <n>    web console port (default 5173, or a free one printed at start when taken)
  --in-memory           keep no data between runs (default: persist under .local/)
  --data-dir <path>     where to persist data (default .local/)
  --state-file <path>   where to write how to reach this runtime (default .local/runtime.json)
  --quiet               do not print one line per request
  --no-metrics          do not serve GET /metrics (Prometheus text; on by default)
  --log-level <level>   handler log level: DEBUG, INFO, WARN (default), ERROR
  --clock <instant>     run on this time, e.g. 2027-01-15T09:00:00Z: every handler, job and the
                        stream aggregator see it, advancing in real time (default: the real time)
  --emulators-of <file> (tests) run on the emulators of the runtime whose state file this is, with
                        a table and user pool of its own named after --isolation, kept across
                        restarts while those emulators run; --dynamodb-port, --cognito-port,
                        --in-memory and --data-dir are then unused
  --isolation <name>    with --emulators-of: the table mha-local-<name>-data and the pool
                        mha-local-<name>-users
  -h, --help            this help
`;

const parsePort = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalRuntimeError(`--${name} must be a port number (1-65535)`);
  return port;
};

/** `--clock`: a full ISO-8601 instant with its zone (`2027-01-15T09:00:00Z`), nothing looser. */
const parseClock = (value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(value)
    ? new Date(value)
    : undefined;
  if (!instant || Number.isNaN(instant.getTime()))
    throw new LocalRuntimeError('--clock must be an ISO-8601 instant with a zone, e.g. 2027-01-15T09:00:00Z');
  return instant;
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'dynamodb-port': { type: 'string' },
      'cognito-port': { type: 'string' },
      'console-port': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'state-file': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'no-metrics': { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      clock: { type: 'string' },
      'emulators-of': { type: 'string' },
      isolation: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const clock = parseClock(values.clock);
  const emulatorsOf = values['emulators-of'];
  if ((emulatorsOf === undefined) !== (values.isolation === undefined))
    throw new LocalRuntimeError('--emulators-of and --isolation go together');
  if (values.isolation !== undefined && !/^[a-z0-9-]{1,40}$/.test(values.isolation))
    throw new LocalRuntimeError('--isolation must be 1-40 lowercase letters, digits or dashes');
  const started = performance.now();
  const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
  // Every port checked at once: busy ones reported together; busy emulator defaults replaced.
  const {
    ports: [port, dynamodbPort, cognitoPort, consolePort],
    notes,
  } = await choosePorts([
    {
      what: 'API',
      option: '--port',
      port: parsePort(values.port, 3000, 'port'),
      explicit: values.port !== undefined,
      movable: false,
    },
    {
      what: 'DynamoDB Local',
      option: '--dynamodb-port',
      port: parsePort(values['dynamodb-port'], 8000, 'dynamodb-port'),
      explicit: values['dynamodb-port'] !== undefined,
      movable: true,
    },
    {
      what: 'cognito-local',
      option: '--cognito-port',
      port: parsePort(values['cognito-port'], 9229, 'cognito-port'),
      explicit: values['cognito-port'] !== undefined,
      movable: true,
    },
    {
      what: 'console',
      option: '--console-port',
      port: parsePort(values['console-port'], 5173, 'console-port'),
      explicit: values['console-port'] !== undefined,
      movable: true,
    },
  ]);
  for (const note of notes) console.log(note);
  const runtime = await startLocalRuntime({
    port: port!,
    dynamodbPort: dynamodbPort!,
    cognitoPort: cognitoPort!,
    consolePort: consolePort!,
    inMemory: values['in-memory'],
    dataDir,
    ...(values['state-file'] ? { stateFile: values['state-file'] } : {}),
    handlerLogLevel: values['log-level']?.toUpperCase() ?? 'WARN',
    metrics: !values['no-metrics'],
    ...(clock ? { clock } : {}),
    ...(emulatorsOf ? { sharedEmulators: { stateFile: emulatorsOf, isolation: values.isolation! } } : {}),
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
  const clockLine = clock
    ? `\n  Clock     ${clock.toISOString()} (--clock), advancing in real time: handlers, jobs and the stream aggregator run on it`
    : '';
  console.log(`
Mental Health Analytics — local API ready in ${seconds} s (stage "local")

  Console   ${runtime.consoleUrl} (sign in as a demo persona: npm run admin -- seed-demo --personas)
  API       ${apiUrl}
  Docs      ${runtime.docsUrl} (Swagger UI), ${apiUrl}/redoc (Redoc)
  OpenAPI   ${apiUrl}/openapi.json
  Health    ${apiUrl}/health
${values['no-metrics'] ? '' : `  Metrics   ${apiUrl}/metrics (Prometheus text, local only)\n`}  DynamoDB  ${runtime.dynamodbEndpoint}   table ${runtime.tableName}
  Cognito   ${runtime.cognitoEndpoint}   pool ${identity.userPoolId}, API client ${identity.apiClientId}
  Data      ${emulatorsOf ? `on the emulators of ${emulatorsOf}` : values['in-memory'] ? 'in memory (gone when you stop)' : relative(REPO_ROOT, dataDir) || '.'}${apiKeysLine}${clockLine}

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
