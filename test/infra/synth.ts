import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** CDK's context key for the resource limit of a stack (0 = unchecked). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { loadStageConfig, STAGES, type Stage, type StageConfig } from '../../lib/config/index.ts';
import { REPO_ROOT } from '../../lib/constructs/api-function.ts';
import { MhaStack, stackNameFor } from '../../lib/stack.ts';

export { STAGES };
export type { Stage };

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;

export interface SynthOptions {
  /** Run esbuild for every function (slow); otherwise NodejsFunction skips bundling. */
  readonly bundle?: boolean;
  readonly routes?: readonly RouteDefinition[];
  readonly config?: StageConfig;
  readonly outdir?: string;
  /** Changes the stack before it is synthesized (a test adding a resource, say). */
  readonly extend?: (stack: MhaStack) => void;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: MhaStack;
  readonly template: Template;
  readonly config: StageConfig;
  readonly routes: readonly RouteDefinition[];
}

export const synthStage = (stage: Stage, options: SynthOptions = {}): Synthesized => {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      // Fixture routes on top of the real table are never deployed and may pass CloudFormation's
      // 500-resource limit; stacks of the real route table keep the limit (and nag.test.ts counts).
      ...(options.routes === undefined ? {} : { [STACK_RESOURCE_LIMIT_CONTEXT]: 0 }),
    },
  });
  const config = options.config ?? loadStageConfig(stage);
  const routes = options.routes ?? routeTable;
  const stack = new MhaStack(app, stackNameFor(stage), { config, routes });
  if (options.routes !== undefined) {
    Validations.of(stack).acknowledge({
      id: 'CloudFormation-Validate::F0007',
      reason:
        'Fixture routes on top of the real table: a test stack, never deployed, may pass 500 resources.',
    });
  }
  options.extend?.(stack);
  return { app, stack, template: Template.fromStack(stack), config, routes };
};

type Json = Record<string, unknown>;
export interface CfnResource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  template.findResources(type) as Record<string, CfnResource>;

const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined;

const getAttOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Fn::GetAtt' in value
    ? String((value as { 'Fn::GetAtt': unknown[] })['Fn::GetAtt'][0])
    : undefined;

/** `/health/database` for a method, rebuilt from the ParentId/PathPart chain of its resources. */
export const resourcePathOf = (template: Template, resourceId: unknown): string => {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const parts: string[] = [];
  let current = refOf(resourceId);
  while (current !== undefined) {
    const resource = resources[current];
    if (!resource) throw new Error(`No API resource ${current}`);
    parts.unshift(String(resource.Properties.PathPart));
    current = refOf(resource.Properties.ParentId);
  }
  return `/${parts.join('/')}`;
};

export interface SynthMethod {
  readonly logicalId: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly properties: Json;
}

export const methodsOf = (template: Template): SynthMethod[] =>
  Object.entries(resourcesOf(template, 'AWS::ApiGateway::Method')).map(([logicalId, method]) => ({
    logicalId,
    path: resourcePathOf(template, method.Properties.ResourceId),
    httpMethod: String(method.Properties.HttpMethod),
    properties: method.Properties,
  }));

/** The method a route became: same path, same HTTP method. */
export const methodOfRoute = (template: Template, route: RouteDefinition): SynthMethod => {
  const matches = methodsOf(template).filter((m) => m.path === route.path && m.httpMethod === route.method);
  if (matches.length !== 1)
    throw new Error(`Expected one method for ${route.method} ${route.path}, got ${matches.length}`);
  return matches[0] as SynthMethod;
};

/** The Lambda function serving a route (its integration URI names the function). */
export const functionLogicalIdOfRoute = (template: Template, route: RouteDefinition): string => {
  const integration = methodOfRoute(template, route).properties.Integration as { Uri: unknown };
  const found = JSON.stringify(integration.Uri).match(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/);
  if (!found?.[1]) throw new Error(`No function in the integration of ${route.id}`);
  return found[1];
};

export interface PolicyStatementOf {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resource: unknown;
  readonly condition: Record<string, Record<string, unknown>> | undefined;
  readonly sid: string | undefined;
}

/** Every statement of the inline policies attached to a function's role, Allow and Deny. */
export const policyStatementsOf = (template: Template, functionLogicalId: string): PolicyStatementOf[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  if (!fn) throw new Error(`No function ${functionLogicalId}`);
  const roleId = getAttOf(fn.Properties.Role);
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => refOf(role) === roleId),
  );
  return policies.flatMap((policy) =>
    ((policy.Properties.PolicyDocument as { Statement: Json[] }).Statement ?? []).map((statement) => ({
      effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: ([] as string[]).concat(statement.Action as string | string[]),
      resource: statement.Resource,
      condition: statement.Condition as PolicyStatementOf['condition'],
      sid: statement.Sid === undefined ? undefined : String(statement.Sid),
    })),
  );
};

/**
 * Every IAM action granted (Allow) to a function's role through inline policies, with the resources and
 * any condition. Deny statements are not grants: see {@link policyStatementsOf}.
 */
export const grantedStatementsOf = (
  template: Template,
  functionLogicalId: string,
): { actions: string[]; resource: unknown; condition: PolicyStatementOf['condition'] }[] =>
  policyStatementsOf(template, functionLogicalId)
    .filter((statement) => statement.effect === 'Allow')
    .map(({ actions, resource, condition }) => ({ actions, resource, condition }));

/** The environment variables of a function, as synthesized (literals or intrinsics). */
export const environmentOf = (template: Template, functionLogicalId: string): Record<string, unknown> => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  if (!fn) throw new Error(`No function ${functionLogicalId}`);
  return (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
};

/** The functions the user pool invokes, by trigger (`PreSignUp`, `PostConfirmation`). */
export const triggerFunctionIdsOf = (template: Template): Record<string, string> => {
  const pools = Object.values(resourcesOf(template, 'AWS::Cognito::UserPool'));
  if (pools.length !== 1) throw new Error(`Expected one user pool, got ${pools.length}`);
  const lambdaConfig = (pools[0]?.Properties.LambdaConfig ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(lambdaConfig).map(([trigger, arn]) => {
      const id = getAttOf(arn);
      if (!id) throw new Error(`Trigger ${trigger} names no function of this stack`);
      return [trigger, id];
    }),
  );
};

/** The functions EventBridge rules invoke, by rule logical id. */
export const scheduledFunctionIdsOf = (template: Template): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::Events::Rule')).map(([ruleId, rule]) => [
      ruleId,
      ((rule.Properties.Targets ?? []) as { Arn: unknown }[]).map((target) => {
        const id = getAttOf(target.Arn);
        if (!id) throw new Error(`Rule ${ruleId} targets something outside this stack`);
        return id;
      }),
    ]),
  );

export const refTo = refOf;
export const getAttTo = getAttOf;
