import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import { timedProbe } from './timed-probe.ts';

/** One strongly consistent GetItem on a fixed key: the table exists and answers reads. */
export const probeDatabase = () =>
  timedProbe((abortSignal) =>
    documentClient.send(
      new GetCommand({ TableName: tableName(), Key: keys.healthProbe(), ConsistentRead: true }),
      {
        abortSignal,
      },
    ),
  );
