import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { tableNameFor } from '../../shared/data/table-definition.ts';
import { loadStageConfig } from '../config/index.ts';
import { startCognitoLocal } from './cognito-local.ts';
import { startCognitoShim, type CognitoShim } from './cognito-shim.ts';
import { createOutbox } from './outbox.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient, startDynamoDbLocal } from './dynamodb-local.ts';
import { startLocalGateway, type GatewayOptions, type LambdaHandler } from './gateway.ts';
import { assertPortFree, freePort } from './processes.ts';
import { ensureTable, ensureUserPool, localCognitoClient, type LocalIdentity } from './provision.ts';
import { runPurgeJob } from './jobs.ts';
import { COST_HEADER, formatCost, installDynamoDbMeter, metered } from './dynamodb-meter.ts';
import { startStreamPoller } from './stream-poller.ts';
import { issueMachineToken } from './machine-tokens.ts';
import { createTokenVerifier } from './token-verifier.ts';
import { generateLocalApiKeys, LocalProtection, type LocalApiKey } from './usage-plans.ts';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.local');
/** Where the local gateway serves Swagger UI's static files. */
export const LOCAL_SWAGGER_PATH = '/_swagger-ui';

/** The local stand-in for the Cognito domain's token endpoint (client credentials). */
export const LOCAL_TOKEN_PATH = '/oauth2/token';

/** How often the local runtime runs the purge of erased users (EventBridge does it in AWS). */
export const PURGE_JOB_INTERVAL_MS = 10 * 60 * 1000;

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
}

export interface LocalRuntime {
  apiUrl: string;
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
  /** Resolves once the stream aggregator has applied every record written so far. */
  drainStream(timeoutMs?: number): Promise<void>;
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

  const dataDir = options.inMemory ? undefined : (options.dataDir ?? DEFAULT_DATA_DIR);
  const cognitoDir = dataDir ? join(dataDir, 'cognito') : mkdtempSync(join(tmpdir(), 'mha-cognito-'));
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
    if (!dataDir) rmSync(cognitoDir, { recursive: true, force: true });
  };

  const stateFile = options.stateFile ?? DEFAULT_STATE_FILE;
  const outboxFile = join(dirname(stateFile), 'outbox.jsonl');
  let shim: CognitoShim | undefined;
  const outbox = createOutbox({ file: outboxFile, print: log });

  try {
    let t = performance.now();
    // The Cognito proxy first, on the Cognito port: it is the address everything uses (the tokens'
    // issuer included); cognito-local runs behind it on a port of its own.
    await assertPortFree(options.cognitoPort, 'Cognito');
    const emulatorPort = await freePort();
    shim = await startCognitoShim({
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
    log(`  emulators up in ${Math.round(performance.now() - t)} ms`);
    mkdirSync(dirname(outboxFile), { recursive: true });
    writeFileSync(outboxFile, '');

    t = performance.now();
    const tableName = tableNameFor(stage);
    const dynamoClient = localDynamoClient(dynamo.value.endpoint);
    const tableState = await ensureTable(dynamoClient, tableName).finally(() => dynamoClient.destroy());
    const cognitoClient = localCognitoClient(shim.endpoint);
    const identity = await ensureUserPool(cognitoClient, shim.endpoint, stage, {
      accessTokenMinutes: config.cognito.accessTokenMinutes,
      mfa: config.cognito.mfa,
    }).finally(() => cognitoClient.destroy());
    log(
      `  table ${tableName} ${tableState}, user pool ${identity.userPoolId} ready in ${Math.round(performance.now() - t)} ms`,
    );

    // The handlers read their settings once, from the same variables the CDK sets on each function.
    Object.assign(process.env, {
      [ENV.stage]: stage,
      [ENV.tableName]: tableName,
      [ENV.corsOrigins]: config.api.corsOrigins.join(','),
      [ENV.userPoolId]: identity.userPoolId,
      [ENV.cognitoIssuer]: identity.issuer,
      [ENV.apiClientId]: identity.apiClientId,
      [ENV.allowedEmailDomains]: config.cognito.allowedEmailDomains.join(','),
      [ENV.autoConfirm]: String(config.cognito.autoConfirm),
      [ENV.refreshTokenRotation]: String(config.cognito.refreshTokenRotation),
      // A fresh secret per start: cursors from an earlier run are refused (400), never misread.
      [ENV.cursorSecret]: randomBytes(32).toString('base64url'),
      [ENV.dynamodbEndpoint]: dynamo.value.endpoint,
      // Through the local proxy, which adds what Cognito does and cognito-local does not.
      [ENV.cognitoEndpoint]: shim.endpoint,
      [ENV.erasureGraceDays]: String(config.retention.erasureGraceDays),
      [ENV.crisisResources]: JSON.stringify(config.safety.crisisResources),
      [ENV.storeRawText]: String(config.retention.storeRawText),
      [ENV.rawTextDays]: String(config.retention.rawTextDays),
      [ENV.anonymityThresholds]: JSON.stringify(config.anonymity),
      [ENV.accessTokenMinutes]: String(config.cognito.accessTokenMinutes),
      [ENV.mfaRequiredRoles]: config.cognito.mfaRequiredRoles.join(','),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: options.handlerLogLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      // Swagger UI's assets, served by the gateway below. Set with the rest, before any handler code
      // loads: runtimeEnv() reads the environment once, at the first import that asks for it.
      [ENV.swaggerUiBase]: `http://localhost:${options.port}${LOCAL_SWAGGER_PATH}`,
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
    // Swagger UI's assets come from the installed swagger-ui-dist locally (no CDN needed offline).
    const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const gateway = await startLocalGateway({
      staticFiles: { prefix: LOCAL_SWAGGER_PATH, dir: swaggerUi },
      protection,
      port: options.port,
      routes: [...routeTable, ...(options.extraRoutes ?? [])],
      loadHandler,
      verifier,
      stage,
      corsOrigins: config.api.corsOrigins,
      extraEndpoints: [
        {
          method: 'POST',
          path: LOCAL_TOKEN_PATH,
          handle: ({ headers, body }) =>
            issueMachineToken(
              { authorization: headers.authorization, contentType: headers['content-type'], body },
              { issuer: identity.issuer, clients: [identity.machineClient] },
            ),
        },
      ],
      timeoutMs: config.lambda.timeoutSeconds * 1000,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      onError: (error, routeId) =>
        log(`  ! ${routeId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    stops.push(gateway.close);

    // No scheduler locally: the purge job runs on a timer as of the current time (unref'd, so it never
    // keeps the process alive; a run still in progress when the timer fires is not doubled).
    let purgeRun: Promise<void> | undefined;
    const purgeTimer = setInterval(() => {
      purgeRun ??= runPurgeJob(new Date())
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
    // Stopped before the emulators, after letting a run in progress finish.
    stops.push(async () => {
      clearInterval(purgeTimer);
      await purgeRun;
    });

    // The table's stream into the aggregator, as Lambda's event source mapping does in AWS.
    const streamPoller = await startStreamPoller({
      endpoint: dynamo.value.endpoint,
      tableName,
      log,
    });
    stops.push(streamPoller.stop);

    if (process.env[ENV.swaggerUiBase] !== `${gateway.url}${LOCAL_SWAGGER_PATH}`) {
      throw new Error(`The gateway listens at ${gateway.url}, not on port ${options.port}.`);
    }

    const state: LocalRuntimeState = {
      apiUrl: gateway.url,
      stage,
      tableName,
      dynamodbEndpoint: dynamo.value.endpoint,
      cognitoEndpoint: shim.endpoint,
      userPoolId: identity.userPoolId,
      apiClientId: identity.apiClientId,
      tokenUrl: `${gateway.url}${LOCAL_TOKEN_PATH}`,
      machineClientId: identity.machineClient.clientId,
      machineClientSecret: identity.machineClient.clientSecret,
      outboxFile,
      pid: process.pid,
    };
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    stops.push(async () => rmSync(stateFile, { force: true }));

    return {
      apiUrl: gateway.url,
      docsUrl: `${gateway.url}/docs`,
      stage,
      tableName,
      dynamodbEndpoint: dynamo.value.endpoint,
      cognitoEndpoint: shim.endpoint,
      identity,
      outboxFile,
      apiKeys,
      apiKeysRequired: protection.keysRequired,
      drainStream: (timeoutMs) => streamPoller.drain(timeoutMs),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
