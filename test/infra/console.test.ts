import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { IDENTITY_NAMES } from '../../shared/contract/identity.ts';
import { ENV } from '../../shared/contract/runtime-env.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { loadStageConfig } from '../../lib/config/index.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stageConfigs } from '../../lib/config/stages.ts';
import { ConsoleHosting, withConsoleOrigin } from '../../lib/constructs/console.ts';
import { CONSOLE_HSTS_SECONDS } from '../../lib/console-headers.ts';
import {
  environmentOf,
  functionLogicalIdOfRoute,
  methodsOf,
  resourcesOf,
  STAGES,
  synthStage,
  type CfnResource,
  type Synthesized,
} from './synth.ts';

/** The deployed stages (the local stage is deployed to LocalStack without CloudFront). */
const DEPLOYED = STAGES.filter((stage) => stage !== 'local');
const synthesized = new Map<string, Synthesized>(DEPLOYED.map((stage) => [stage, synthStage(stage)]));
const stageOf = (stage: string) => synthesized.get(stage)!;

const only = (resources: Record<string, CfnResource>): [string, CfnResource] => {
  const entries = Object.entries(resources);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
};

/** `https://` + the distribution's domain name (+ a suffix), as CloudFormation joins it. */
const consoleOrigin = (distributionId: string, suffix = '') => ({
  'Fn::Join': [
    '',
    ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, ...(suffix ? [suffix] : [])],
  ],
});

describe.each(DEPLOYED)('web console of stage %s', (stage) => {
  const { template } = stageOf(stage);
  const [bucketId, bucket] = only(resourcesOf(template, 'AWS::S3::Bucket'));
  const [distributionId, distribution] = only(resourcesOf(template, 'AWS::CloudFront::Distribution'));
  const config = distribution.Properties.DistributionConfig as Record<string, unknown>;
  const defaultBehavior = config.DefaultCacheBehavior as Record<string, unknown>;

  it('keeps the build in a private bucket that only the distribution reads, through origin access control', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const [, oac] = only(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl'));
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = config.Origins as Array<Record<string, unknown>>;
    expect(origins).toHaveLength(1);
    expect(origins[0]?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).filter(
      (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = policies.flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
    );
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(reads[0]?.Condition)).toContain(distributionId);
    // TLS only.
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'),
      ),
    ).toBe(true);
  });

  it('serves HTTPS only, routes every unknown path to the app, and never caches config.json', () => {
    expect(defaultBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({
        ErrorCode: code,
        ResponseCode: 200,
        ResponsePagePath: '/index.html',
        ErrorCachingMinTTL: 0,
      })),
    );
    const behaviors = config.CacheBehaviors as Array<Record<string, unknown>>;
    const configBehavior = behaviors.find((b) => b.PathPattern === '/config.json');
    // The managed CachingDisabled policy.
    expect(configBehavior?.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(configBehavior?.ResponseHeadersPolicyId).toEqual(defaultBehavior.ResponseHeadersPolicyId);
  });

  it('sends a strict CSP without inline script, HSTS and frame denial on every response', () => {
    const [policyId, policy] = only(resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy'));
    expect(defaultBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    const security = (
      policy.Properties.ResponseHeadersPolicyConfig as Record<string, Record<string, unknown>>
    ).SecurityHeadersConfig!;
    const csp = JSON.stringify(security.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain(`https://${loadStageConfig(stage).cognito.domainPrefix}.auth.`);
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: CONSOLE_HSTS_SECONDS,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
  });

  it('writes the stage’s config.json: the API URL, the web client and the managed-login domain', () => {
    const [, deployment] = only(resourcesOf(template, 'Custom::CDKBucketDeployment'));
    const text = JSON.stringify(deployment.Properties);
    expect(text).toContain('"DestinationBucketName":{"Ref":"' + bucketId + '"}');
    expect(text).toContain(distributionId);
    const [restApiId] = only(resourcesOf(template, 'AWS::ApiGateway::RestApi'));
    const webClientId = Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).find(
      ([, c]) => c.Properties.ClientName === IDENTITY_NAMES.webClient,
    )![0];
    // The JSON's markers are filled in at deploy time from these references.
    expect(text).toContain(restApiId);
    expect(text).toContain(webClientId);
    expect(text).toMatch(/UserPoolDomain/);
  });

  it('points the web client’s callback and logout URLs at the console, and nowhere else', () => {
    const [, web] = Object.entries(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).find(
      ([, c]) => c.Properties.ClientName === IDENTITY_NAMES.webClient,
    )!;
    expect(web.Properties.CallbackURLs).toEqual([consoleOrigin(distributionId, '/auth/callback')]);
    expect(web.Properties.LogoutURLs).toEqual([consoleOrigin(distributionId, '/')]);
  });

  it('lets the API answer CORS for exactly the console’s origin', () => {
    const preflights = methodsOf(template).filter((m) => m.httpMethod === 'OPTIONS');
    expect(preflights.length).toBe(new Set(routeTable.map((r) => r.path)).size);
    for (const preflight of preflights) {
      const text = JSON.stringify(preflight.properties.Integration);
      expect(text).toContain(distributionId);
      expect(text).not.toContain("'*'");
    }
    const route = routeTable.find((r) => r.id === 'surveys.submit')!;
    expect(environmentOf(template, functionLogicalIdOfRoute(template, route))[ENV.corsOrigins]).toEqual(
      consoleOrigin(distributionId),
    );
  });
});

describe('where the console is: said once, by the console', () => {
  it.each(DEPLOYED)('stage %s names no CORS origin, callback or logout URL of its own', (stage) => {
    const config = loadStageConfig(stage);
    expect(config.api.corsOrigins).toEqual([]);
    expect(config.cognito.callbackUrls).toBeUndefined();
    expect(config.cognito.logoutUrls).toBeUndefined();
  });

  it('refuses a deployed stage that writes an origin or a URL by hand (it could only disagree)', () => {
    const prod = stageConfigs.prod;
    for (const written of [
      { ...prod, api: { ...prod.api, corsOrigins: ['https://mha.example.com'] } },
      { ...prod, cognito: { ...prod.cognito, callbackUrls: ['https://mha.example.com/auth/callback'] } },
      { ...prod, cognito: { ...prod.cognito, logoutUrls: ['https://mha.example.com/'] } },
    ]) {
      const result = StageConfigSchema.safeParse(written);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/follow the console/);
    }
    // The local stage (LocalStack and the local runtime, no distribution) is the one that lists them.
    const local = loadStageConfig('local');
    expect(local.cognito.callbackUrls).toEqual(['http://localhost:5173/auth/callback']);
    expect(
      StageConfigSchema.safeParse({
        ...stageConfigs.local,
        cognito: { ...stageConfigs.local.cognito, callbackUrls: undefined },
      }).success,
    ).toBe(false);
  });

  it('with a custom domain (consoleDomain), the origin, the CORS and the web client’s URLs are that domain', () => {
    const config = {
      ...loadStageConfig('prod'),
      consoleDomain: {
        domainName: 'wellbeing.example.org',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      },
    };
    const stack = new Stack(new App(), 'ConsoleDomain', {
      env: { region: 'eu-west-1', account: '123456789012' },
    });
    const hosting = new ConsoleHosting(stack, 'Console', { config });
    expect(hosting.origin).toBe('https://wellbeing.example.org');
    const [, distribution] = only(resourcesOf(Template.fromStack(stack), 'AWS::CloudFront::Distribution'));
    const distributionConfig = distribution.Properties.DistributionConfig as Record<string, unknown>;
    expect(distributionConfig.Aliases).toEqual(['wellbeing.example.org']);
    const served = withConsoleOrigin(config, hosting.origin);
    expect(served.api.corsOrigins).toEqual(['https://wellbeing.example.org']);
    expect(served.cognito.callbackUrls).toEqual(['https://wellbeing.example.org/auth/callback']);
    expect(served.cognito.logoutUrls).toEqual(['https://wellbeing.example.org/']);
  });
});
