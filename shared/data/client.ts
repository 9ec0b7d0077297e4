import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import { MARSHALL_OPTIONS } from './marshalling.ts';

/**
 * One document client per execution environment, created at module scope so warm invocations reuse
 * its connections. Timeouts are short: a request-path call that cannot reach DynamoDB in time becomes a
 * 503 with Retry-After rather than holding the function until API Gateway's 29 s limit.
 */
const env = runtimeEnv();

export const dynamodb = new DynamoDBClient({
  ...(env.dynamodbEndpoint ? { endpoint: env.dynamodbEndpoint } : {}),
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
});

export const documentClient = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { ...MARSHALL_OPTIONS },
});

export const tableName = (): string => requireSetting('tableName');
