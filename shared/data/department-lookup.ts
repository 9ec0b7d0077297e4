import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';

export const departmentExists = async (id: string): Promise<boolean> =>
  Boolean(
    (
      await documentClient.send(
        new GetCommand({ TableName: tableName(), Key: keys.department(id), ProjectionExpression: 'PK' }),
      )
    ).Item,
  );
