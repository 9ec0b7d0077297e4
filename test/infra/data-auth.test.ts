import { describe, expect, it } from 'vitest';
import {
  GROUPS,
  IDENTITY_NAMES,
  MACHINE_SCOPES,
  RESOURCE_SERVER_ID,
  USER_TOKEN_SCOPE,
} from '../../shared/contract/identity.ts';
import { TABLE_DEFINITION, tableNameFor } from '../../shared/data/table-definition.ts';
import { PASSWORD_RULES } from '../../shared/domain/password-policy.ts';
import { loadStageConfig, type StageConfig } from '../../lib/config/index.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stackNameFor } from '../../lib/stack.ts';
import {
  getAttTo,
  refTo,
  resourcesOf,
  STAGES,
  synthStage,
  type CfnResource,
  type Synthesized,
  consoleOriginOf,
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

  it('has its three global secondary indexes: GSI1 (overloaded), GSI2 (users by name, administrative audit by month), GSI3 (administrative audit by subject)', () => {
    const indexes = props.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
    expect(indexes.map((gsi) => gsi.IndexName)).toEqual(['GSI1', 'GSI2', 'GSI3']);
    for (const name of ['GSI2', 'GSI3']) {
      expect(indexes.find((gsi) => gsi.IndexName === name)?.KeySchema).toEqual([
        { AttributeName: `${name}PK`, KeyType: 'HASH' },
        { AttributeName: `${name}SK`, KeyType: 'RANGE' },
      ]);
      expect(props.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: `${name}PK`, AttributeType: 'S' },
          { AttributeName: `${name}SK`, AttributeType: 'S' },
        ]),
      );
    }
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
    // The table's own key (the stack has others, e.g. the observability key of logs and alarms).
    const keyId = getAttTo(sse.KMSMasterKeyId) ?? '';
    const key = resourcesOf(template, 'AWS::KMS::Key')[keyId];
    if (!key) throw new Error(`no KMS key ${keyId} in the stack`);
    expect(JSON.stringify(key.Properties.Description)).toContain('table');
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
    const policy = (pool.Properties.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;
    expect(policy).toMatchObject({
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    // The same rules the API checks itself (cognito-local enforces none).
    expect(PASSWORD_RULES.map((r) => r.rule)).toEqual([
      'min_length',
      'uppercase',
      'lowercase',
      'digit',
      'symbol',
    ]);
    expect(pool.Properties.UserPoolTier).toBe(config.cognito.featurePlan);
  });

  it('keeps a password history where the feature plan has one', () => {
    const policy = (pool.Properties.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy;
    expect(config.cognito.featurePlan).not.toBe('LITE');
    expect(config.cognito.passwordHistorySize).toBeGreaterThan(0);
    expect(policy.PasswordHistorySize).toBe(config.cognito.passwordHistorySize);
  });

  it(`${stage === 'prod' ? 'requires' : 'offers'} MFA and sets threat protection as configured`, () => {
    const mfa = { off: 'OFF', optional: 'OPTIONAL', required: 'ON' } as const;
    expect(pool.Properties.MfaConfiguration).toBe(mfa[config.cognito.mfa]);
    expect(pool.Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const mode = { off: 'OFF', audit: 'AUDIT', enforced: 'ENFORCED' } as const;
    const addOns = pool.Properties.UserPoolAddOns as { AdvancedSecurityMode?: string } | undefined;
    if (config.cognito.threatProtection === 'off') {
      expect(addOns?.AdvancedSecurityMode ?? 'OFF').toBe('OFF');
    } else {
      expect(config.cognito.featurePlan).toBe('PLUS');
      expect(addOns?.AdvancedSecurityMode).toBe(mode[config.cognito.threatProtection]);
    }
    if (stage === 'prod') {
      expect(pool.Properties.MfaConfiguration).toBe('ON');
      expect(addOns?.AdvancedSecurityMode).toBe('ENFORCED');
    }
  });

  it('allows self sign-up exactly as configured', () => {
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({
      AllowAdminCreateUserOnly: !config.cognito.selfSignUp,
    });
  });

  it('has one group per role of GROUPS', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual([...GROUPS].sort());
    for (const group of groups) expect(refTo(group.Properties.UserPoolId)).toBe(poolId);
  });

  it(`is ${stage === 'prod' ? 'retained and deletion-protected' : 'deleted with the stack'}`, () => {
    expect(pool.Properties.DeletionProtection).toBe(config.retainData ? 'ACTIVE' : 'INACTIVE');
    expect(pool.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
  });

  it('has a secretless API client for USER_PASSWORD_AUTH (+ refresh unless tokens rotate), no OAuth', () => {
    const api = client(IDENTITY_NAMES.apiClient);
    expect(api.GenerateSecret).toBe(false);
    // Rotating clients refresh through GetTokensFromRefreshToken: Cognito refuses REFRESH_TOKEN_AUTH there.
    expect([...(api.ExplicitAuthFlows as string[])].sort()).toEqual(
      config.cognito.refreshTokenRotation
        ? ['ALLOW_USER_PASSWORD_AUTH']
        : ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
    );
    expect(api.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(api.AllowedOAuthFlows).toBeUndefined();
    expect(api.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('has a public web client: authorization code only (PKCE, no secret), the configured URLs and scopes', () => {
    const web = client(IDENTITY_NAMES.webClient);
    // No secret: a browser cannot keep one, so the code exchange is bound by PKCE instead.
    expect(web.GenerateSecret).toBe(false);
    expect(web.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(web.AllowedOAuthFlows).toEqual(['code']);
    expect([...(web.AllowedOAuthScopes as string[])].sort()).toEqual(
      ['openid', 'email', 'profile', USER_TOKEN_SCOPE].sort(),
    );
    // The console's origin where the stage has one (test/infra/console.test.ts), the config's otherwise.
    const origin = consoleOriginOf(stageOf(stage));
    const joined = (suffix: string) => ({
      'Fn::Join': ['', [...(origin as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1], suffix]],
    });
    expect(web.CallbackURLs).toEqual(origin ? [joined('/auth/callback')] : config.cognito.callbackUrls);
    expect(web.LogoutURLs).toEqual(origin ? [joined('/')] : config.cognito.logoutUrls);
    expect(web.SupportedIdentityProviders).toEqual(['COGNITO']);
    // Managed login only: no password, SRP or custom flows on this client (an absent list means all).
    expect(web.ExplicitAuthFlows).toEqual(
      config.cognito.refreshTokenRotation ? [] : ['ALLOW_REFRESH_TOKEN_AUTH'],
    );
    expect(web.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it.each([IDENTITY_NAMES.apiClient, IDENTITY_NAMES.webClient])(
    '%s issues access tokens for the configured minutes (at most 60), revocable, rotating as configured',
    (name) => {
      const props = client(name);
      expect(props.AccessTokenValidity).toBe(config.cognito.accessTokenMinutes);
      expect(props.AccessTokenValidity).toBeLessThanOrEqual(60);
      expect(props.IdTokenValidity).toBe(config.cognito.accessTokenMinutes);
      expect(props.RefreshTokenValidity).toBe(config.cognito.refreshTokenDays * 24 * 60);
      expect(props.TokenValidityUnits).toEqual({
        AccessToken: 'minutes',
        IdToken: 'minutes',
        RefreshToken: 'minutes',
      });
      expect(props.EnableTokenRevocation).toBe(true);
      if (config.cognito.refreshTokenRotation) {
        expect(props.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
      } else {
        expect(props.RefreshTokenRotation).toBeUndefined();
      }
    },
  );

  it('has no client that allows the implicit grant or admin password sign-in', () => {
    for (const c of clients) {
      expect(c.Properties.AllowedOAuthFlows ?? [], String(c.Properties.ClientName)).not.toContain('implicit');
      expect(c.Properties.ExplicitAuthFlows ?? [], String(c.Properties.ClientName)).not.toContain(
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      );
      expect(c.Properties.EnableTokenRevocation, String(c.Properties.ClientName)).toBe(true);
    }
    expect(clients).toHaveLength(3);
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

  it('has a hosted domain for the OAuth endpoints, on managed login (version 2, not the classic hosted UI)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: config.cognito.domainPrefix,
      ManagedLoginVersion: 2,
    });
  });

  it('styles the web client’s managed login with the project’s branding, naming the stage outside prod', () => {
    const [, branding] = only(resourcesOf(template, 'AWS::Cognito::ManagedLoginBranding'));
    const [webClientId] = only(
      Object.fromEntries(
        Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).filter(
          ([, resource]) => resource.Properties?.ClientName === IDENTITY_NAMES.webClient,
        ),
      ),
    );
    const [poolId] = only(resourcesOf(template, 'AWS::Cognito::UserPool'));
    expect(branding.Properties?.UserPoolId).toEqual({ Ref: poolId });
    expect(branding.Properties?.ClientId).toEqual({ Ref: webClientId });
    const assets = branding.Properties?.Assets as {
      Category: string;
      ColorMode: string;
      Extension: string;
      Bytes: string;
    }[];
    expect(assets.map((a) => `${a.Category}/${a.ColorMode}/${a.Extension}`)).toEqual([
      'FORM_LOGO/LIGHT/SVG',
      'FORM_LOGO/DARK/SVG',
      'FAVICON_SVG/DYNAMIC/SVG',
    ]);
    const logo = Buffer.from(assets[0]!.Bytes, 'base64').toString('utf8');
    expect(logo).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*Mental Health Analytics[\s\S]*<\/svg>$/,
    );
    if (stage === 'prod') expect(logo).not.toMatch(/stage/);
    else expect(logo).toContain(`${stage} stage — not for real data`);
    // Cognito's limit per asset is 1,000,000 base64 characters.
    for (const asset of assets) expect(asset.Bytes.length).toBeLessThan(1_000_000);
  });
});

describe('identity of the synthesized prod template', () => {
  const { template } = stageOf('prod');

  it('has the user pool, its three clients, the mha-api resource server with analyses.write and the role groups', () => {
    const [poolId, pool] = only(resourcesOf(template, 'AWS::Cognito::UserPool'));
    expect(pool.Properties.UserPoolName).toBe('mha-prod-users');
    const clients = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient'));
    expect(clients.map((c) => c.Properties.ClientName).sort()).toEqual(
      ['analysis-pipeline', 'api-client', 'web-client'].sort(),
    );
    for (const c of clients) expect(refTo(c.Properties.UserPoolId)).toBe(poolId);
    const [, server] = only(resourcesOf(template, 'AWS::Cognito::UserPoolResourceServer'));
    expect(server.Properties).toMatchObject({
      Identifier: 'mha-api',
      Scopes: [{ ScopeName: 'analyses.write', ScopeDescription: expect.any(String) }],
    });
    expect(refTo(server.Properties.UserPoolId)).toBe(poolId);
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup'));
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual([
      'admin',
      'auditor',
      'clinician',
      'employee',
      'manager',
    ]);
    expect(pool.Properties.LambdaConfig).toEqual({
      PreSignUp: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      PostConfirmation: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      CustomMessage: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    });
  });
});

describe('identity settings that no stage uses yet', () => {
  const dev = loadStageConfig('dev');
  const poolOf = (cognito: Partial<StageConfig['cognito']>) => {
    const { template } = synthStage('dev', { config: { ...dev, cognito: { ...dev.cognito, ...cognito } } });
    return only(resourcesOf(template, 'AWS::Cognito::UserPool'))[1].Properties;
  };

  it('turns self sign-up off (admin-created users only)', () => {
    expect(poolOf({ selfSignUp: false }).AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  it('sets no password history on the LITE plan, whose config must ask for none', () => {
    const policy = (
      poolOf({ featurePlan: 'LITE', passwordHistorySize: 0 }).Policies as {
        PasswordPolicy: Record<string, unknown>;
      }
    ).PasswordPolicy;
    expect(policy.PasswordHistorySize).toBeUndefined();
    expect(policy.MinimumLength).toBe(12);
    const liteWithHistory = {
      ...dev,
      cognito: { ...dev.cognito, featurePlan: 'LITE', passwordHistorySize: 5 },
    };
    const result = StageConfigSchema.safeParse(liteWithHistory);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['cognito.passwordHistorySize']);
  });

  it('can turn MFA off, and refuses threat protection without the PLUS plan', () => {
    const pool = poolOf({ mfa: 'off' });
    expect(pool.MfaConfiguration).toBe('OFF');
    expect(pool.EnabledMfas).toBeUndefined();
    expect(() =>
      synthStage('dev', {
        config: { ...dev, cognito: { ...dev.cognito, featurePlan: 'ESSENTIALS', threatProtection: 'audit' } },
      }),
    ).toThrow(/threat protection needs featurePlan PLUS/);
  });

  it('refuses access tokens that live longer than 60 minutes', () => {
    const result = StageConfigSchema.safeParse({
      ...dev,
      cognito: { ...dev.cognito, accessTokenMinutes: 61 },
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['cognito.accessTokenMinutes']);
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
      'AWS::SecretsManager::Secret',
      'AWS::SQS::Queue',
    ];
    for (const type of retained) {
      for (const [id, resource] of Object.entries(resourcesOf(template, type))) {
        expect(resource.DeletionPolicy, id).toBe(stage === 'prod' ? 'Retain' : 'Delete');
      }
    }
  });
});
