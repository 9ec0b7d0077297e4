import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GROUPS, IDENTITY_NAMES } from '../../shared/contract/identity.ts';
import { createTableInput, TABLE_DEFINITION } from '../../shared/data/table-definition.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.ts';

/** Creates the table from the shared definition unless it exists (persistent data survives restarts). */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing'> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existing';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
    }),
  );
  return 'created';
};

export interface LocalIdentity {
  userPoolId: string;
  apiClientId: string;
  /** Every app client of the pool (the gateway accepts tokens issued to any of them). */
  clientIds: string[];
  issuer: string;
}

export const localCognitoClient = (endpoint: string): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/**
 * Finds or creates the stage's user pool with the same names the CDK uses: the pool, the four groups and
 * the first-party API client (USER_PASSWORD_AUTH + refresh, no secret).
 */
export const ensureUserPool = async (
  client: CognitoIdentityProviderClient,
  endpoint: string,
  stage: string,
): Promise<LocalIdentity> => {
  const poolName = IDENTITY_NAMES.userPool(stage);
  const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  let userPoolId = pools.UserPools?.find((p) => p.Name === poolName)?.Id;
  if (!userPoolId) {
    const created = await client.send(
      new CreateUserPoolCommand({
        PoolName: poolName,
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      }),
    );
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error('cognito-local did not return a user pool id');
  }

  const existingGroups = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
  const have = new Set(existingGroups.Groups?.map((g) => g.GroupName));
  for (const group of GROUPS) {
    if (!have.has(group))
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: group }));
  }

  const listClients = async () =>
    (await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 })))
      .UserPoolClients ?? [];
  let clients = await listClients();
  if (!clients.some((c) => c.ClientName === IDENTITY_NAMES.apiClient)) {
    await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: IDENTITY_NAMES.apiClient,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
      }),
    );
    clients = await listClients();
  }
  const apiClientId = clients.find((c) => c.ClientName === IDENTITY_NAMES.apiClient)?.ClientId;
  if (!apiClientId) throw new Error('cognito-local did not return the API client id');
  return {
    userPoolId,
    apiClientId,
    clientIds: clients.map((c) => c.ClientId).filter((id): id is string => Boolean(id)),
    issuer: `${endpoint}/${userPoolId}`,
  };
};
