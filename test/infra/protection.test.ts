import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../shared/contract/common.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { apiKeyRequired, CLIENT_TIERS, usagePlanName } from '../../lib/config/usage-plans.ts';
import {
  decimalGreaterThanPattern,
  WAF_REDACTED_HEADERS,
  WAF_RULES,
} from '../../lib/constructs/protection.ts';
import { functionNameFor } from '../../lib/constructs/api-function.ts';
import { methodOfRoute, refTo, resourcesOf, STAGES, synthStage, serviceFunctionsOf } from './synth.ts';

describe.each(STAGES)('protection of stage %s', (stage) => {
  const { template, config } = synthStage(stage);
  const restApiId = Object.keys(resourcesOf(template, 'AWS::ApiGateway::RestApi'))[0];
  const stageId = Object.keys(resourcesOf(template, 'AWS::ApiGateway::Stage'))[0];

  it('has a usage plan per client tier with the configured rate, burst and quota on the API stage', () => {
    const plans = Object.values(resourcesOf(template, 'AWS::ApiGateway::UsagePlan'));
    expect(plans.map((p) => p.Properties.UsagePlanName).sort()).toEqual(
      CLIENT_TIERS.map((tier) => usagePlanName(stage, tier)).sort(),
    );
    for (const tier of CLIENT_TIERS) {
      const plan = plans.find((p) => p.Properties.UsagePlanName === usagePlanName(stage, tier))?.Properties;
      const expected = config.api.usagePlans[tier];
      expect(plan?.Throttle).toEqual({ RateLimit: expected.rateLimit, BurstLimit: expected.burstLimit });
      expect(plan?.Quota).toEqual({ Limit: expected.quota.limit, Period: expected.quota.period });
      const [apiStage] = plan?.ApiStages as { ApiId: unknown; Stage: unknown }[];
      expect(refTo(apiStage?.ApiId)).toBe(restApiId);
      expect(refTo(apiStage?.Stage)).toBe(stageId);
    }
  });

  it('issues one generated API key per tier, each in its own plan', () => {
    const keys = resourcesOf(template, 'AWS::ApiGateway::ApiKey');
    expect(
      Object.values(keys)
        .map((k) => k.Properties.Name)
        .sort(),
    ).toEqual(CLIENT_TIERS.map((tier) => usagePlanName(stage, tier)).sort());
    // No Value: API Gateway generates it, so no key is in the template.
    for (const key of Object.values(keys)) expect(key.Properties.Value).toBeUndefined();
    const links = Object.values(resourcesOf(template, 'AWS::ApiGateway::UsagePlanKey'));
    expect(links).toHaveLength(CLIENT_TIERS.length);
    expect(new Set(links.map((l) => refTo(l.Properties.KeyId))).size).toBe(CLIENT_TIERS.length);
    expect(new Set(links.map((l) => refTo(l.Properties.UsagePlanId))).size).toBe(CLIENT_TIERS.length);
  });

  it('demands an API key exactly where the stage and the path say so', () => {
    const required = routeTable.filter((route) => apiKeyRequired(config, route));
    for (const route of routeTable) {
      expect(methodOfRoute(template, route).properties.ApiKeyRequired ?? false, route.id).toBe(
        apiKeyRequired(config, route),
      );
    }
    if (config.api.requireApiKey) {
      expect(required.length).toBeGreaterThan(routeTable.length / 2);
    } else {
      expect(required).toEqual([]);
    }
    // Never on health, docs or /auth/*, whatever the stage.
    for (const route of routeTable.filter((r) => /^\/(health|docs|openapi\.json|auth\/)/.test(r.path))) {
      expect(methodOfRoute(template, route).properties.ApiKeyRequired ?? false, route.id).toBe(false);
    }
  });

  it('validates required path parameters at the edge on every route method', () => {
    const validators = resourcesOf(template, 'AWS::ApiGateway::RequestValidator');
    expect(Object.values(validators).map((v) => v.Properties)).toEqual([
      expect.objectContaining({ ValidateRequestBody: true, ValidateRequestParameters: true }),
    ]);
    const validatorId = Object.keys(validators)[0];
    for (const route of routeTable) {
      const method = methodOfRoute(template, route).properties;
      expect(refTo(method.RequestValidatorId), route.id).toBe(validatorId);
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
      expect(
        Object.keys((method.RequestParameters as Record<string, boolean>) ?? {}).sort(),
        route.id,
      ).toEqual(params.sort());
    }
  });

  const webAcls = resourcesOf(template, 'AWS::WAFv2::WebACL');
  if (config.waf) {
    const waf = config.waf;
    it('puts a regional WAF with rate limit per IP, body size limit and managed rule sets on the stage', () => {
      const acls = Object.entries(webAcls);
      expect(acls).toHaveLength(1);
      const [aclId, acl] = acls[0] ?? [];
      expect(acl?.Properties.Scope).toBe('REGIONAL');
      const rules = acl?.Properties.Rules as Record<string, Record<string, unknown>>[];
      expect(rules.map((r) => r.Name)).toEqual(Object.values(WAF_RULES));
      expect(rules[0]?.Statement).toEqual({
        RateBasedStatement: {
          Limit: waf.requestsPerIpPer5Minutes,
          EvaluationWindowSec: 300,
          AggregateKeyType: 'IP',
        },
      });
      expect(rules[0]?.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 429 } } });
      expect(rules[1]?.Statement).toEqual({
        RegexMatchStatement: {
          FieldToMatch: { SingleHeader: { Name: 'content-length' } },
          RegexString: decimalGreaterThanPattern(MAX_BODY_BYTES),
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      });
      expect(rules[1]?.Action).toMatchObject({ Block: { CustomResponse: { ResponseCode: 413 } } });
      // The common rule set's 8 KB body rule only counts: the API accepts bodies up to 256 KB.
      expect(rules[2]?.Statement).toEqual({
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesCommonRuleSet',
          RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
        },
      });
      expect(rules[3]?.Statement).toEqual({
        ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
      });

      const [association] = Object.values(resourcesOf(template, 'AWS::WAFv2::WebACLAssociation'));
      expect(association?.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      expect(JSON.stringify(association?.Properties.ResourceArn)).toContain(`/stages/`);
      expect(JSON.stringify(association?.Properties.ResourceArn)).toContain(restApiId ?? 'none');
    });

    it('logs WAF decisions to an aws-waf-logs- group with credentials redacted', () => {
      const [logging] = Object.values(resourcesOf(template, 'AWS::WAFv2::LoggingConfiguration'));
      expect(logging?.Properties.RedactedFields).toEqual(
        WAF_REDACTED_HEADERS.map((name) => ({ SingleHeader: { Name: name } })),
      );
      expect(WAF_REDACTED_HEADERS).toContain('authorization');
      const [wafGroupId] = Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).find(
        ([, group]) => group.Properties.LogGroupName === `aws-waf-logs-mha-${stage}-api`,
      ) ?? [undefined];
      expect(wafGroupId).toBeDefined();
      // The group's ARN without the `:*` suffix, which WAF refuses.
      const destination = JSON.stringify(logging?.Properties.LogDestinationConfigs);
      expect(destination).toContain(`":log-group:",{"Ref":"${wafGroupId}"}]]`);
      expect(destination).not.toContain(':*');
    });
  } else {
    it('has no WAF where the stage config turns it off', () => {
      expect(webAcls).toEqual({});
      expect(resourcesOf(template, 'AWS::WAFv2::WebACLAssociation')).toEqual({});
    });
  }

  it('reserves concurrency per function class only where the stage config says so', () => {
    const functions = Object.values(serviceFunctionsOf(template));
    const reserved = config.lambda.reservedConcurrency;
    if (!reserved) {
      for (const fn of functions) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      return;
    }
    const byName = new Map(
      functions.map((fn) => [fn.Properties.FunctionName, fn.Properties.ReservedConcurrentExecutions]),
    );
    for (const route of routeTable) {
      expect(byName.get(functionNameFor(stage, route.id)), route.id).toBe(
        route.throttle === 'auth' ? reserved.auth : reserved.api,
      );
    }
    expect(byName.get(functionNameFor(stage, 'job.purgeErasedUsers'))).toBe(reserved.jobs);
    expect(byName.get(functionNameFor(stage, 'trigger.preSignUp'))).toBe(reserved.auth);
    for (const fn of functions) expect(fn.Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });
});
