import { describe, expect, it } from 'vitest';
import {
  GROUPS,
  IDENTITY_NAMES,
  MACHINE_SCOPES,
  RESOURCE_SERVER_ID,
  USER_TOKEN_SCOPE,
} from '../../shared/contract/identity.ts';
import { TABLE_DEFINITION, tableNameFor } from '../../shared/data/table-definition.ts';
import { stackNameFor } from '../../lib/stack.ts';
import {
  getAttTo,
  refTo,
  resourcesOf,
  STAGES,
  synthStage,
  type CfnResource,
  type Synthesized,
} from './synth.ts';

const synthesized = new Map<string, Synthesized>(STAGES.map((stage) => [stage, synthStage(stage)]));
const stageOf = (stage: string): Synthesized => {
  const result = synthesized.get(stage);
  if (!result) throw new Error(`not synthesized: ${stage}`);
  return result;
};
const only = (resources: Record<string, CfnResource>): [string, CfnResource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

describe.each(STAGES)('data table of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const [tableId, table] = only(resourcesOf(template, 'AWS::DynamoDB::Table'));
  const props = table.Properties;

  it('is built from the shared table definition', () => {
    const def = TABLE_DEFINITION;
    expect(props.TableName).toBe(tableNameFor(stage));
    expect(props.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(props.GlobalSecondaryIndexes).toEqual(
      def.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ]),
    );
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(props.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has point-in-time recovery as configured', () => {
    expect(props.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: config.pointInTimeRecovery,
    });
  });

  it('is encrypted with a customer-managed, rotating KMS key', () => {
    const sse = props.SSESpecification as { SSEEnabled: boolean; SSEType: string; KMSMasterKeyId: unknown };
    expect(sse.SSEEnabled).toBe(true);
    expect(sse.SSEType).toBe('KMS');
    const [keyId, key] = only(resourcesOf(template, 'AWS::KMS::Key'));
    expect(getAttTo(sse.KMSMasterKeyId)).toBe(keyId);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe(config.retainData ? 'Retain' : 'Delete');
  });

  it(`is ${stage === 'prod' ? 'retained and deletion-protected' : 'deleted with the stack'}`, () => {
    if (stage === 'prod') {
      expect(config.retainData).toBe(true);
      expect(props.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    } else {
      expect(props.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  });

  it('is the TableName output', () => {
    expect(refTo(template.findOutputs('TableName').TableName?.Value)).toBe(tableId);
  });
});

describe.each(STAGES)('identity of stage %s', (stage) => {
  const { template, config } = stageOf(stage);
  const [poolId, pool] = only(resourcesOf(template, 'AWS::Cognito::UserPool'));
  const clients = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
  const client = (name: string): Record<string, unknown> => {
    const found = clients.filter((c) => c.Properties.ClientName === name);
    expect(found, name).toHaveLength(1);
    return found[0]?.Properties ?? {};
  };

  it('is named per stage, signs in by e-mail and enforces the password policy', () => {
    expect(pool.Properties.UserPoolName).toBe(IDENTITY_NAMES.userPool(stage));
    expect(pool.Properties.UsernameAttributes).toEqual(['email']);
    expect(pool.Properties.AutoVerifiedAttributes).toEqual(['email']);
    expect((pool.Properties.Policies as { PasswordPolicy: unknown }).PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Properties.UserPoolTier).toBe(config.cognito.featurePlan);
  });

  it('has the four role groups', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual([...GROUPS].sort());
    for (const group of groups) expect(refTo(group.Properties.UserPoolId)).toBe(poolId);
  });

  it(`is ${stage === 'prod' ? 'retained and deletion-protected' : 'deleted with the stack'}`, () => {
    expect(pool.Properties.DeletionProtection).toBe(config.retainData ? 'ACTIVE' : 'INACTIVE');
    expect(pool.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
  });

  it('has a secretless API client for USER_PASSWORD_AUTH with the stage token lifetimes and revocation', () => {
    const api = client(IDENTITY_NAMES.apiClient);
    expect(api.GenerateSecret).toBe(false);
    expect(api.ExplicitAuthFlows).toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(api.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    // With rotation Cognito refreshes through GetTokensFromRefreshToken instead of REFRESH_TOKEN_AUTH.
    if (config.cognito.refreshTokenRotation) {
      expect(api.RefreshTokenRotation).toMatchObject({ Feature: 'ENABLED' });
    } else {
      expect(api.ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
    }
    expect(api.AccessTokenValidity).toBe(config.cognito.accessTokenMinutes);
    expect(api.RefreshTokenValidity).toBe(config.cognito.refreshTokenDays * 24 * 60);
    expect(api.TokenValidityUnits).toMatchObject({ AccessToken: 'minutes', RefreshToken: 'minutes' });
    expect(api.EnableTokenRevocation).toBe(true);
    expect(api.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('has a web client with the authorization code flow whose access tokens carry the user scope', () => {
    const web = client(IDENTITY_NAMES.webClient);
    expect(web.GenerateSecret).toBe(false);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect(web.AllowedOAuthScopes).toContain(USER_TOKEN_SCOPE);
    expect(web.CallbackURLs).toEqual(config.cognito.callbackUrls);
  });

  it('has a machine client with a secret, client credentials and only the analyses.write scope', () => {
    const [serverId, server] = only(resourcesOf(template, 'AWS::Cognito::UserPoolResourceServer'));
    expect(server.Properties.Identifier).toBe(RESOURCE_SERVER_ID);
    expect(server.Properties.Scopes).toEqual([
      {
        ScopeName: MACHINE_SCOPES.analysesWrite.slice(RESOURCE_SERVER_ID.length + 1),
        ScopeDescription: expect.any(String),
      },
    ]);
    const machine = client(IDENTITY_NAMES.machineClient);
    expect(machine.GenerateSecret).toBe(true);
    expect(machine.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(machine.AllowedOAuthScopes).toEqual([
      { 'Fn::Join': ['', [{ Ref: serverId }, '/analyses.write']] },
    ]);
    expect(`${RESOURCE_SERVER_ID}/analyses.write`).toBe(MACHINE_SCOPES.analysesWrite);
  });

  it('has a hosted domain for the OAuth endpoints', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: config.cognito.domainPrefix });
  });
});

describe.each(STAGES)('stack of stage %s', (stage) => {
  const { template, stack, config } = stageOf(stage);

  it('has a predictable name and termination protection in prod only', () => {
    expect(stack.stackName).toBe(stackNameFor(stage));
    expect(stack.terminationProtection).toBe(stage === 'prod');
    expect(config.retainData).toBe(stage === 'prod');
  });

  it('exports the API URL, user pool, client ids and table name', () => {
    const outputs = template.findOutputs('*');
    for (const name of [
      'ApiUrl',
      'UserPoolId',
      'ApiClientId',
      'WebClientId',
      'MachineClientId',
      'TableName',
    ]) {
      expect(outputs[name], name).toBeDefined();
    }
    const [apiStageId] = Object.entries(resourcesOf(template, 'AWS::ApiGateway::Stage')).find(
      ([, apiStage]) => apiStage.Properties.StageName === stage,
    ) ?? [undefined];
    expect(apiStageId).toBeDefined();
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(`{"Ref":"${String(apiStageId)}"},"/"`);
    const poolId = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPool'))[0];
    expect(refTo(outputs.UserPoolId?.Value)).toBe(poolId);
  });

  it('keeps nothing after deletion outside prod, everything data-bearing in prod', () => {
    const retained = [
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Cognito::UserPool',
      'AWS::Logs::LogGroup',
    ];
    for (const type of retained) {
      for (const [id, resource] of Object.entries(resourcesOf(template, type))) {
        expect(resource.DeletionPolicy, id).toBe(stage === 'prod' ? 'Retain' : 'Delete');
      }
    }
  });
});
