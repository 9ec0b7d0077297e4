import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type * as HealthUseCase from '../../shared/http/health-use-case.ts';
import { eventFunctions } from '../../shared/contract/event-functions.ts';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { tableNameFor } from '../../shared/data/table-definition.ts';
import { systemClock } from '../../shared/domain/clock.ts';
import { loadStageConfig } from '../config/index.ts';
import { runtimeEnvironment } from '../config/runtime-environment.ts';
import { startCognitoLocal } from './cognito-local.ts';
import { startCognitoShim } from './cognito-shim.ts';
import { createOutbox } from './outbox.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { startLocalGateway, type GatewayOptions, type LambdaHandler } from './gateway.ts';
import { assertPortFree, freePort, LocalRuntimeError } from './processes.ts';
import { ensureTable, ensureUserPool, localCognitoClient, type LocalIdentity } from './provision.ts';
import { runOverdueAlertsJob, runPurgeJob } from './jobs.ts';
import { COST_HEADER, formatCost, installDynamoDbMeter, metered } from './dynamodb-meter.ts';
import { installMetricsCapture, LocalMetrics } from './metrics.ts';
import { startStreamPoller } from './stream-poller.ts';
import { bundleConsole } from '../build/console-bundle.ts';
import { startConsoleServer } from './console-server.ts';
import { issueMachineToken } from './machine-tokens.ts';
import { AUTHORIZE_PATH, createManagedLogin, LOGOUT_PATH, type StandInAnswer } from './managed-login.ts';
import { createTokenVerifier } from './token-verifier.ts';
import { generateLocalApiKeys, LocalProtection, type LocalApiKey } from './usage-plans.ts';
import { REPO_ROOT } from '../repo-root.ts';

export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.local');
/** Where the local gateway serves Swagger UI's static files, and Redoc's bundle. */
export const LOCAL_SWAGGER_PATH = '/_swagger-ui';
export const LOCAL_REDOC_PATH = '/_redoc';

/** The local stand-in for the Cognito domain's token endpoint (client credentials). */
export const LOCAL_TOKEN_PATH = '/oauth2/token';

/** LOCAL ONLY: the handlers' metrics and the gateway's request counts in Prometheus text (metrics.ts). */
export const LOCAL_METRICS_PATH = '/metrics';

/**
 * How often the local runtime runs the scheduled jobs: at their rates in the event function table, as
 * EventBridge does in AWS.
 */
export const PURGE_JOB_INTERVAL_MS = eventFunctions.purgeErasedUsers.trigger.rateMinutes * 60_000;
export const OVERDUE_ALERTS_JOB_INTERVAL_MS = eventFunctions.countOverdueAlerts.trigger.rateMinutes * 60_000;

/** Where a running local runtime says how to reach it (the operator CLI reads this). */
export const DEFAULT_STATE_FILE = join(DEFAULT_DATA_DIR, 'runtime.json');

/** What the state file holds: enough for tools to talk to the running emulators. */
export interface LocalRuntimeState {
  apiUrl: string;
  stage: 'local';
  tableName: string;
  dynamodbEndpoint: string;
  cognitoEndpoint: string;
  userPoolId: string;
  apiClientId: string;
  tokenUrl: string;
  machineClientId: string;
  machineClientSecret: string;
  /** LOCAL ONLY: the codes Cognito would e-mail, one JSON object per line (lib/local/outbox.ts). */
  outboxFile: string;
  pid: number;
  /** What `--clock` added to the wall clock (ms; 0 without it): the operator CLI runs on the same time. */
  clockOffsetMs: number;
}

export interface LocalRuntimeOptions {
  port: number;
  dynamodbPort: number;
  cognitoPort: number;
  /** Keep data under this folder across runs; ignored with inMemory. */
  dataDir?: string;
  inMemory: boolean;
  /** Routes served in addition to the route table (the integration tests add probe routes). */
  extraRoutes?: readonly RouteDefinition[];
  log?: (message: string) => void;
  onRequest?: GatewayOptions['onRequest'];
  /** Written once ready and removed on stop (default .local/runtime.json). */
  stateFile?: string;
  /** Powertools log level of the handlers (default WARN keeps `npm start` readable). */
  handlerLogLevel?: string;
  /**
   * Serve the web console on this port (its own origin, as CloudFront is in AWS), with the managed-login
   * stand-in on the API's port. Absent: no console.
   */
  consolePort?: number;
  /** Serve GET /metrics (default on). */
  metrics?: boolean;
  /**
   * `--clock`: the instant every handler, job and the stream aggregator see now, advancing in real time
   * from it (CLOCK_OFFSET_MS through the runtime environment). Absent: the real time.
   */
  clock?: Date;
  /**
   * Run on the emulators of a runtime that is already running (found through its state file) instead of
   * starting DynamoDB Local and cognito-local: with a table and a user pool of this runtime's own, named
   * after `isolation` (`mha-local-<isolation>-data`, the pool `mha-local-<isolation>-users`), which stay
   * when this runtime stops — a later start with the same isolation finds them, as a data folder would —
   * and go with the emulators. `dynamodbPort`, `cognitoPort`, `dataDir` and `inMemory` are then unused,
   * and the codes Cognito would e-mail go to the owner's outbox. The tests' clocked runtimes use it: each
   * start saves a JVM and a cognito-local start, most of a start's CPU time.
   */
  sharedEmulators?: { stateFile: string; isolation: string };
}

export interface LocalRuntime {
  apiUrl: string;
  /** The web console, when started with `consolePort`. */
  consoleUrl?: string;
  docsUrl: string;
  stage: 'local';
  tableName: string;
  dynamodbEndpoint: string;
  /** The local Cognito proxy in front of cognito-local (lib/local/cognito-shim.ts). */
  cognitoEndpoint: string;
  identity: LocalIdentity;
  /** LOCAL ONLY: where the codes Cognito would e-mail are written. */
  outboxFile: string;
  /** One key per client tier, fresh per start; the gateway demands them where the stage config does. */
  apiKeys: readonly LocalApiKey[];
  apiKeysRequired: boolean;
  /** What `clock` added to the wall clock, in ms (0 without it). */
  clockOffsetMs: number;
  /** Resolves once the stream aggregator has applied every record written so far. */
  drainStream(timeoutMs?: number): Promise<void>;
  /** The stream poller paused and resumed (lib/local/stream-poller.ts `pause`): for benchmarks. */
  pauseStream(): Promise<void>;
  resumeStream(): void;
  stop(): Promise<void>;
}

/**
 * Starts everything `npm start` needs: DynamoDB Local, cognito-local, the table and user pool from the
 * same definitions the CDK uses, and the local API gateway serving the route table's handler modules.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const log = options.log ?? (() => undefined);
  const config = loadStageConfig('local');
  const stage = config.stage as 'local';
  await assertPortFree(options.port, 'API');
  if (options.consolePort) await assertPortFree(options.consolePort, 'console');

  const shared = options.sharedEmulators;
  const owner = shared ? readOwnerState(shared.stateFile) : undefined;
  const dataDir = options.inMemory || shared ? undefined : (options.dataDir ?? DEFAULT_DATA_DIR);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };

  const stateFile = options.stateFile ?? DEFAULT_STATE_FILE;
  const outboxFile = owner?.outboxFile ?? join(dirname(stateFile), 'outbox.jsonl');

  try {
    let t = performance.now();
    const emulators = owner
      ? { dynamodbEndpoint: owner.dynamodbEndpoint, cognitoEndpoint: owner.cognitoEndpoint, processes: {} }
      : await startEmulators(options, dataDir, outboxFile, log, stops);
    log(
      owner
        ? `  on the emulators of the runtime at ${owner.apiUrl} (${shared!.stateFile})`
        : `  emulators up in ${Math.round(performance.now() - t)} ms`,
    );

    t = performance.now();
    const stageNames = shared ? `${stage}-${shared.isolation}` : stage;
    const tableName = tableNameFor(stageNames);
    const dynamoClient = localDynamoClient(emulators.dynamodbEndpoint);
    const tableState = await ensureTable(dynamoClient, tableName).finally(() => dynamoClient.destroy());
    const cognitoClient = localCognitoClient(emulators.cognitoEndpoint);
    const identity = await ensureUserPool(cognitoClient, emulators.cognitoEndpoint, stageNames, {
      accessTokenMinutes: config.cognito.accessTokenMinutes,
      mfa: config.cognito.mfa,
    }).finally(() => cognitoClient.destroy());
    log(
      `  table ${tableName} ${tableState}, user pool ${identity.userPoolId} ready in ${Math.round(performance.now() - t)} ms`,
    );
    // The console's own origin, when served: the API's CORS allows it (in AWS: exactly the distribution's
    // origin), and the managed-login stand-in redirects only to its callback.
    const consoleOrigin = options.consolePort ? `http://localhost:${options.consolePort}` : undefined;
    const corsOrigins = [...new Set([...config.api.corsOrigins, ...(consoleOrigin ? [consoleOrigin] : [])])];
    const managedLogin = consoleOrigin
      ? createManagedLogin({
          cognitoEndpoint: emulators.cognitoEndpoint,
          webClientId: identity.webClientId,
          callbackUrls: () => [`${consoleOrigin}/auth/callback`],
          logoutUrls: () => [`${consoleOrigin}/`],
        })
      : undefined;
    // Cognito's token endpoint answers the browser's CORS requests; so does the stand-in.
    const consoleCors: Record<string, string> = consoleOrigin
      ? { 'Access-Control-Allow-Origin': consoleOrigin, Vary: 'Origin' }
      : {};
    const asGatewayAnswer = (answer: StandInAnswer, extra: Record<string, string> = {}) =>
      answer.html !== undefined
        ? {
            status: answer.status,
            text: answer.html,
            contentType: 'text/html; charset=utf-8',
            headers: { ...answer.headers, ...extra },
          }
        : answer.status === 302
          ? { status: 302, text: '', contentType: 'text/plain', headers: { ...answer.headers, ...extra } }
          : { status: answer.status, body: answer.body, headers: { ...answer.headers, ...extra } };
    const consoleEndpoints = managedLogin
      ? [
          {
            method: 'GET',
            path: AUTHORIZE_PATH,
            handle: ({ query }: { query: URLSearchParams }) =>
              asGatewayAnswer(managedLogin.authorizePage(query)),
          },
          {
            method: 'POST',
            path: AUTHORIZE_PATH,
            handle: ({ body }: { body: string }) =>
              managedLogin.authorizeSubmit(new URLSearchParams(body)).then((a) => asGatewayAnswer(a)),
          },
          {
            method: 'GET',
            path: LOGOUT_PATH,
            handle: ({ query }: { query: URLSearchParams }) => asGatewayAnswer(managedLogin.logout(query)),
          },
        ]
      : [];

    // The handlers read their settings once, from the same builder the CDK sets each function's with
    // (the CORS origins with the console's).
    const clockOffsetMs = options.clock ? options.clock.getTime() - Date.now() : 0;
    // Set only with --clock: the variable never reaches a process that did not ask for another time.
    if (!options.clock) delete process.env[ENV.clockOffsetMs];
    Object.assign(process.env, {
      ...runtimeEnvironment(
        { ...config, api: { ...config.api, corsOrigins } },
        {
          tableName,
          userPoolId: identity.userPoolId,
          cognitoIssuer: identity.issuer,
          apiClientId: identity.apiClientId,
          // A fresh secret per start: cursors from an earlier run are refused (400), never misread.
          cursorSecret: randomBytes(32).toString('base64url'),
          dynamodbEndpoint: emulators.dynamodbEndpoint,
          // Through the local proxy, which adds what Cognito does and cognito-local does not.
          cognitoEndpoint: emulators.cognitoEndpoint,
          // Swagger UI's and Redoc's assets, served by the gateway below. Set with the rest, before any
          // handler code loads: runtimeEnv() reads the environment once, at the first import that asks.
          swaggerUiBase: `http://localhost:${options.port}${LOCAL_SWAGGER_PATH}`,
          redocBase: `http://localhost:${options.port}${LOCAL_REDOC_PATH}`,
          ...(options.clock ? { clockOffsetMs } : {}),
        },
      ),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: options.handlerLogLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // With /metrics on, the handlers' EMF output is captured in-process (below), never printed.
      POWERTOOLS_METRICS_DISABLED:
        options.metrics === false ? 'true' : (process.env.POWERTOOLS_METRICS_DISABLED ?? 'false'),
    });

    const verifier = await createTokenVerifier({
      issuer: identity.issuer,
      clientIds: () => identity.clientIds,
    });
    // The handlers' own DynamoDB client (same module instance), metered per invocation: every local
    // response says what it cost in the X-Local-DynamoDB-Cost header (lib/local/dynamodb-meter.ts).
    const { dynamodb: handlerClient } = (await import(
      pathToFileURL(join(REPO_ROOT, 'shared/data/client.ts')).href
    )) as { dynamodb: DynamoDBClient };
    installDynamoDbMeter(handlerClient);
    // The handlers' Powertools metrics (same module instance) into /metrics instead of stdout, and the
    // health checks' report of this process's own resources.
    const localMetrics = new LocalMetrics(() => ({
      mha_local_emulator_up: Object.values(emulators.processes).filter((p) => p.exitCode === null).length,
    }));
    const { metrics: powertoolsMetrics } = (await import(
      pathToFileURL(join(REPO_ROOT, 'shared/observability/powertools.ts')).href
    )) as { metrics: object };
    installMetricsCapture(powertoolsMetrics as Parameters<typeof installMetricsCapture>[0], localMetrics);
    const { reportLocalRuntimeResources } = (await import(
      pathToFileURL(join(REPO_ROOT, 'shared/http/health-use-case.ts')).href
    )) as typeof HealthUseCase;
    const startedAt = performance.now();
    reportLocalRuntimeResources(() => ({
      uptimeSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
      memory: { rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed },
      // This runtime's own emulator processes (none when it runs on another runtime's).
      emulators: Object.fromEntries(
        Object.entries(emulators.processes).map(([name, p]) => [
          name,
          p.exitCode === null ? ('running' as const) : ('exited' as const),
        ]),
      ),
    }));
    const modules = new Map<string, Promise<LambdaHandler>>();
    const loadHandler = (route: RouteDefinition): Promise<LambdaHandler> => {
      let loaded = modules.get(route.handler);
      if (!loaded) {
        loaded = import(pathToFileURL(join(REPO_ROOT, route.handler)).href).then(
          (m: { handler: LambdaHandler }) => {
            if (typeof m.handler !== 'function')
              throw new Error(`${route.handler} does not export a handler`);
            const handler = m.handler;
            return async (event, context) => {
              const { result, cost } = await metered(() => handler(event, context));
              return { ...result, headers: { ...result.headers, [COST_HEADER]: formatCost(cost) } };
            };
          },
        );
        modules.set(route.handler, loaded);
      }
      return loaded;
    };

    // Usage plans, keys and throttles from the stage config, like API Gateway's.
    const apiKeys = generateLocalApiKeys((bytes) => randomBytes(bytes).toString('hex'));
    const protection = new LocalProtection({ api: config.api, keys: apiKeys });
    // Swagger UI's and Redoc's files come from the installed packages locally (no CDN needed offline).
    const packageDir = (name: string) =>
      dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
    const gateway = await startLocalGateway({
      staticFiles: [
        { prefix: LOCAL_SWAGGER_PATH, dir: packageDir('swagger-ui-dist') },
        { prefix: LOCAL_REDOC_PATH, dir: join(packageDir('redoc'), 'bundles') },
      ],
      protection,
      port: options.port,
      routes: [...routeTable, ...(options.extraRoutes ?? [])],
      loadHandler,
      verifier,
      stage,
      corsOrigins,
      extraEndpoints: [
        ...consoleEndpoints,
        ...(options.metrics === false
          ? []
          : [
              {
                method: 'GET',
                path: LOCAL_METRICS_PATH,
                handle: () => ({
                  status: 200,
                  text: localMetrics.render(),
                  contentType: 'text/plain; version=0.0.4; charset=utf-8',
                }),
              },
            ]),
        {
          method: 'POST',
          path: LOCAL_TOKEN_PATH,
          handle: ({ headers, body }) =>
            // The console's grants (code + PKCE, refresh) go to the managed-login stand-in; client
            // credentials to the machine-token endpoint, as both are one endpoint on Cognito's domain.
            managedLogin && /grant_type=(authorization_code|refresh_token)/.test(body)
              ? managedLogin
                  .token(new URLSearchParams(body))
                  .then((answer) => asGatewayAnswer(answer, consoleCors))
              : issueMachineToken(
                  { authorization: headers.authorization, contentType: headers['content-type'], body },
                  { issuer: identity.issuer, clients: [identity.machineClient] },
                ),
        },
      ],
      timeoutMs: config.lambda.timeoutSeconds * 1000,
      minCompressionBytes: config.api.minCompressionBytes,
      onRequest: (entry) => {
        localMetrics.recordRequest(entry);
        options.onRequest?.(entry);
      },
      onError: (error, routeId) =>
        log(`  ! ${routeId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    stops.push(gateway.close);

    let consoleUrl: string | undefined;
    if (options.consolePort) {
      const bundle = bundleConsole();
      const consoleServer = await startConsoleServer({
        port: options.consolePort,
        dir: bundle.dir,
        config: {
          stage,
          apiUrl: gateway.url,
          authUrl: gateway.url,
          clientId: identity.webClientId,
          mfa: config.cognito.mfa,
          erasureGraceDays: config.retention.erasureGraceDays,
          privacyThreshold: config.anonymity.kActivity,
          local: true,
        },
      });
      stops.push(consoleServer.close);
      consoleUrl = consoleServer.url;
      log(
        `  console ${bundle.built ? 'built' : 'unchanged'} in ${Math.round(bundle.ms)} ms, served at ${consoleUrl}`,
      );
    }

    // No scheduler locally: the jobs run on timers as of the runtime's clock (the same one the handlers
    // see, --clock included), unref'd so they never keep the process alive; a run still in progress
    // when its timer fires is not doubled.
    let purgeRun: Promise<void> | undefined;
    const purgeTimer = setInterval(() => {
      purgeRun ??= runPurgeJob(systemClock.now())
        .then((summary) => {
          if (summary.due > 0)
            log(
              `  purge job: ${summary.purged} purged, ${summary.skipped} skipped, ${summary.failed} failed`,
            );
        })
        .catch((error: unknown) =>
          log(`  ! purge job: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => (purgeRun = undefined));
    }, PURGE_JOB_INTERVAL_MS);
    purgeTimer.unref();
    let overdueRun: Promise<void> | undefined;
    const overdueTimer = setInterval(() => {
      overdueRun ??= runOverdueAlertsJob(systemClock.now(), config.safety.alertAckMinutes)
        .then(() => undefined)
        .catch((error: unknown) =>
          log(`  ! overdue alerts job: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => (overdueRun = undefined));
    }, OVERDUE_ALERTS_JOB_INTERVAL_MS);
    overdueTimer.unref();
    // Stopped before the emulators, after letting a run in progress finish.
    stops.push(async () => {
      clearInterval(purgeTimer);
      clearInterval(overdueTimer);
      await Promise.all([purgeRun, overdueRun]);
    });

    // The table's stream into the aggregator, as Lambda's event source mapping does in AWS.
    const streamPoller = await startStreamPoller({
      endpoint: emulators.dynamodbEndpoint,
      tableName,
      log,
    });
    // Before stopping, what was written is applied: records are aggregated at the time they were
    // written, not by the next start, which may run on another --clock. Bounded (a second Ctrl-C exits
    // at once), but generously: a backlog of a seeded month takes over 15 s on a busy machine, and
    // records left over would be applied after a month's close by a later start.
    stops.push(async () => {
      // Nothing can be read from a DynamoDB Local that is gone (stopped by hand, crashed): stop at once
      // instead of polling it until the bound.
      if (emulators.processes.dynamodbLocal?.exitCode != null) {
        log('  ! stream not drained before stopping: DynamoDB Local is not running');
        return streamPoller.stop();
      }
      await streamPoller
        .drain(60_000)
        .catch((error: unknown) =>
          log(
            `  ! stream not drained before stopping: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      await streamPoller.stop();
    });

    if (process.env[ENV.swaggerUiBase] !== `${gateway.url}${LOCAL_SWAGGER_PATH}`) {
      throw new Error(`The gateway listens at ${gateway.url}, not on port ${options.port}.`);
    }

    const state: LocalRuntimeState = {
      apiUrl: gateway.url,
      stage,
      tableName,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      cognitoEndpoint: emulators.cognitoEndpoint,
      userPoolId: identity.userPoolId,
      apiClientId: identity.apiClientId,
      tokenUrl: `${gateway.url}${LOCAL_TOKEN_PATH}`,
      machineClientId: identity.machineClient.clientId,
      machineClientSecret: identity.machineClient.clientSecret,
      outboxFile,
      pid: process.pid,
      clockOffsetMs,
    };
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    stops.push(async () => rmSync(stateFile, { force: true }));

    return {
      apiUrl: gateway.url,
      ...(consoleUrl ? { consoleUrl } : {}),
      docsUrl: `${gateway.url}/docs`,
      stage,
      tableName,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      cognitoEndpoint: emulators.cognitoEndpoint,
      identity,
      outboxFile,
      apiKeys,
      apiKeysRequired: protection.keysRequired,
      clockOffsetMs,
      drainStream: (timeoutMs) => streamPoller.drain(timeoutMs),
      pauseStream: () => streamPoller.pause(),
      resumeStream: () => streamPoller.resume(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** The state file of the runtime whose emulators another one runs on (`sharedEmulators`). */
const readOwnerState = (stateFile: string): LocalRuntimeState => {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as LocalRuntimeState;
  } catch (error) {
    throw new LocalRuntimeError(
      `cannot read ${stateFile} (${error instanceof Error ? error.message : String(error)}): is the runtime whose emulators to use running?`,
    );
  }
};

/** The emulators a runtime talks to, and the processes of them it started (by the health report's names). */
interface Emulators {
  readonly dynamodbEndpoint: string;
  /** The local Cognito proxy in front of cognito-local: the address everything uses. */
  readonly cognitoEndpoint: string;
  readonly processes: Readonly<Record<string, { readonly exitCode: number | null }>>;
}

/**
 * Starts DynamoDB Local and cognito-local (behind the local Cognito proxy) for a runtime of its own; their
 * stops are pushed onto `stops`.
 */
const startEmulators = async (
  options: LocalRuntimeOptions,
  dataDir: string | undefined,
  outboxFile: string,
  log: (message: string) => void,
  stops: Array<() => Promise<void>>,
): Promise<Emulators> => {
  const cognitoDir = dataDir ? join(dataDir, 'cognito') : mkdtempSync(join(tmpdir(), 'mha-cognito-'));
  // Last of all, after the emulators stopped.
  if (!dataDir) stops.push(async () => rmSync(cognitoDir, { recursive: true, force: true }));
  const outbox = createOutbox({ file: outboxFile, print: log });
  // The Cognito proxy first, on the Cognito port: it is the address everything uses (the tokens'
  // issuer included); cognito-local runs behind it on a port of its own.
  await assertPortFree(options.cognitoPort, 'Cognito');
  // Not a port this runtime was given for something else (the API, the console, DynamoDB Local).
  const emulatorPort = await freePort(
    [options.port, options.dynamodbPort, options.cognitoPort, options.consolePort].filter(
      (port): port is number => port !== undefined,
    ),
  );
  const shim = await startCognitoShim({
    upstream: `http://localhost:${emulatorPort}`,
    port: options.cognitoPort,
    databaseDir: join(cognitoDir, '.cognito', 'db'),
    onCode: outbox.deliver,
  });
  stops.push(shim.stop);
  log(
    `Starting DynamoDB Local (:${options.dynamodbPort}) and cognito-local (:${options.cognitoPort}, the emulator behind it on :${emulatorPort})…`,
  );
  const [dynamo, cognito] = await Promise.allSettled([
    startDynamoDbLocal({
      port: options.dynamodbPort,
      ...(dataDir ? { dataDir: join(dataDir, 'dynamodb') } : {}),
    }),
    startCognitoLocal({
      port: emulatorPort,
      dataDir: cognitoDir,
      issuerDomain: shim.endpoint,
    }),
  ]);
  if (dynamo.status === 'fulfilled') stops.push(dynamo.value.stop);
  if (cognito.status === 'fulfilled') stops.push(cognito.value.stop);
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (cognito.status === 'rejected') throw cognito.reason;
  mkdirSync(dirname(outboxFile), { recursive: true });
  writeFileSync(outboxFile, '');
  return {
    dynamodbEndpoint: dynamo.value.endpoint,
    cognitoEndpoint: shim.endpoint,
    processes: { dynamodbLocal: dynamo.value.process, cognitoLocal: cognito.value.process },
  };
};
