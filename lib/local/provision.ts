import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GROUPS, IDENTITY_NAMES, MACHINE_SCOPES } from '../../shared/contract/identity.ts';
import { createTableInput, TABLE_DEFINITION } from '../../shared/data/table-definition.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local.ts';

/** Creates the table from the shared definition unless it exists (persistent data survives restarts). */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing'> => {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    // A table persisted by an older version gets the indexes the definition has gained since.
    const present = new Set(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName));
    const wanted = createTableInput(tableName);
    for (const index of wanted.GlobalSecondaryIndexes ?? []) {
      if (present.has(index.IndexName)) continue;
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: wanted.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.IndexName,
                KeySchema: index.KeySchema,
                Projection: index.Projection,
              },
            },
          ],
        }),
      );
    }
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
  /** The console's client (the managed-login stand-in signs in on it). */
  webClientId: string;
  /** The local stand-in for the pipelines' client-credentials client. */
  machineClient: { clientId: string; clientSecret: string; scopes: string[] };
  /** Every app client of the pool (the gateway accepts tokens issued to any of them). */
  clientIds: string[];
  issuer: string;
}

export const localCognitoClient = (endpoint: string): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/**
 * Finds or creates the stage's user pool with the same names the CDK uses: the pool, the role groups and
 * the first-party API client (USER_PASSWORD_AUTH + refresh, no secret).
 */
export const ensureUserPool = async (
  client: CognitoIdentityProviderClient,
  endpoint: string,
  stage: string,
  options: { accessTokenMinutes?: number; mfa?: 'off' | 'optional' | 'required' } = {},
): Promise<LocalIdentity> => {
  // The stage's token validity (cognito-local's default is a day): a logout keeps a sign-in on record
  // for as long as its access tokens live, and the record is sized by this.
  const validity = options.accessTokenMinutes
    ? {
        AccessTokenValidity: options.accessTokenMinutes,
        IdTokenValidity: options.accessTokenMinutes,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' } as const,
      }
    : {};
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

  if (options.mfa) {
    // TOTP as the stage has it (cognito-local's pools default to no MFA at all): users who enrolled
    // are asked for a code at sign-in.
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: userPoolId,
        MfaConfiguration: ({ off: 'OFF', optional: 'OPTIONAL', required: 'ON' } as const)[options.mfa],
        SoftwareTokenMfaConfiguration: { Enabled: options.mfa !== 'off' },
      }),
    );
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
  const wanted: CreateUserPoolClientCommandInput[] = [
    {
      UserPoolId: userPoolId,
      ClientName: IDENTITY_NAMES.apiClient,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      ...validity,
    },
    {
      // The console's client. In AWS it signs in on the managed login only (authorization code + PKCE);
      // locally the managed-login stand-in (lib/local/managed-login.ts) runs that sign-in on cognito-local
      // with USER_PASSWORD_AUTH on this client, so its tokens name the web client as in AWS.
      UserPoolId: userPoolId,
      ClientName: IDENTITY_NAMES.webClient,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
      ...validity,
    },
    {
      // The analysis pipelines' client: client credentials with `analyses.write`. cognito-local has no
      // token endpoint for it, so the local gateway serves one (lib/local/machine-tokens.ts).
      UserPoolId: userPoolId,
      ClientName: IDENTITY_NAMES.machineClient,
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [MACHINE_SCOPES.analysesWrite],
    },
  ];
  let clients = await listClients();
  for (const input of wanted) {
    if (!clients.some((c) => c.ClientName === input.ClientName)) {
      await client.send(new CreateUserPoolClientCommand(input));
    }
  }
  clients = await listClients();
  const apiClient = clients.find((c) => c.ClientName === IDENTITY_NAMES.apiClient);
  if (apiClient?.ClientId && options.accessTokenMinutes) {
    // A pool persisted by an older version gets the validity too.
    const described = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: apiClient.ClientId }),
    );
    if (described.UserPoolClient?.AccessTokenValidity !== options.accessTokenMinutes)
      await client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientId: apiClient.ClientId,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          EnableTokenRevocation: true,
          ...validity,
        }),
      );
  }
  const idOf = (name: string) => {
    const id = clients.find((c) => c.ClientName === name)?.ClientId;
    if (!id) throw new Error(`cognito-local did not return the ${name} client id`);
    return id;
  };
  const machineClientId = idOf(IDENTITY_NAMES.machineClient);
  const machine = await client.send(
    new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: machineClientId }),
  );
  return {
    userPoolId,
    apiClientId: idOf(IDENTITY_NAMES.apiClient),
    webClientId: idOf(IDENTITY_NAMES.webClient),
    machineClient: {
      clientId: machineClientId,
      clientSecret: machine.UserPoolClient?.ClientSecret ?? '',
      scopes: machine.UserPoolClient?.AllowedOAuthScopes ?? [],
    },
    clientIds: clients.map((c) => c.ClientId).filter((id): id is string => Boolean(id)),
    issuer: `${endpoint}/${userPoolId}`,
  };
};
