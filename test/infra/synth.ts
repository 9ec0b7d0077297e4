import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, NestedStack, Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** CDK's context key for the resource limit of a stack (0 = unchecked). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { routeTable } from '../../shared/contract/routes.ts';
import { loadStageConfig, STAGES, type Stage, type StageConfig } from '../../lib/config/index.ts';
import { functionNameFor } from '../../lib/constructs/api-function.ts';
import { MhaStack, stackNameFor } from '../../lib/stack.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

export { STAGES };
export type { Stage };

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;

export interface SynthOptions {
  readonly routes?: readonly RouteDefinition[];
  readonly config?: StageConfig;
  readonly outdir?: string;
  /** Changes the stack before it is synthesized (a test adding a resource, say). */
  readonly extend?: (stack: MhaStack) => void;
}

/** The template of one stack of a stage: the top-level stack or one of its nested stacks. */
export interface StackTemplate {
  /** Construct path: `mha-dev`, `mha-dev/Api/AuthFunctions`. */
  readonly path: string;
  readonly stack: Stack;
  readonly template: Template;
  readonly json: TemplateJson;
  /** For a nested stack: its AWS::CloudFormation::Stack resource in the parent template. */
  readonly resourceId?: string;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: MhaStack;
  /**
   * The whole stage as ONE template: the top-level stack's resources and those of every nested stack,
   * with each nested stack parameter replaced by the value the parent passes and each nested stack
   * output by its value. A route function's policy then names `{"Fn::GetAtt":["DataTable…","Arn"]}` and a
   * method's integration names `{"Fn::GetAtt":["<function>","Arn"]}`, as if there were one template, so
   * assertions about the stage do not depend on which stack holds a resource (see {@link flattenStage}).
   * Parameters and outputs are the top-level stack's.
   */
  readonly template: Template;
  /** The top-level stack's own template (what CloudFormation's per-stack limits apply to). */
  readonly topLevel: StackTemplate;
  /** Every nested stack's own template, depth first. */
  readonly nested: readonly StackTemplate[];
  readonly config: StageConfig;
  readonly routes: readonly RouteDefinition[];
}

const synthesize = (stage: Stage, options: SynthOptions): Synthesized => {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: {
      ...cdkJsonContext(),
      // Functions deploy the directories of the one bundling pass (lib/build/function-bundles.ts), built
      // or found in its cache once per process. Without an outdir of its own the template is all a test
      // reads: the assembly names those directories instead of copying them into a temporary folder.
      ...(options.outdir === undefined ? { 'aws:cdk:disable-asset-staging': true } : {}),
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
  const topLevel = stackTemplate(stack);
  const nested = nestedTemplatesOf(topLevel);
  return { app, stack, template: flattenStage(topLevel, nested), topLevel, nested, config, routes };
};

/** A number per route object, so a cache key can say "these very route entries". */
const routeObjectIds = new WeakMap<RouteDefinition, number>();
let lastRouteObjectId = 0;
const routeObjectId = (route: RouteDefinition): number => {
  let id = routeObjectIds.get(route);
  if (id === undefined) routeObjectIds.set(route, (id = ++lastRouteObjectId));
  return id;
};

/** Stages synthesized in this process, by stage and route entries (see {@link synthStage}). */
const shared = new Map<string, Synthesized>();

/**
 * A stage synthesized as `cdk synth` does it. The result of a plain synthesis (the stage's own config,
 * no `extend`, no `outdir`: nothing a test could have changed) is shared by every caller in the process
 * that asks for the same stage with the same route entries: the infra project's files are collected
 * into one test file in one worker (all.test.ts), so each stage is synthesized once per run, not once per
 * file. Callers only read it; a test that changes a stack passes `extend` and gets its own.
 */
/**
 * What the template holds for the console's origin in a stage (the API's CORS, the web client's URLs):
 * its `Fn::Join` of the distribution's domain name, or the stage config's literal values on the local
 * stage, which has no console.
 */
export const consoleOriginOf = ({ stack }: Synthesized): unknown =>
  stack.console ? stack.resolve(stack.console.origin) : undefined;

/** The logical id of the console's distribution (undefined on the local stage). */
export const consoleDistributionIdOf = ({ stack }: Synthesized): string | undefined =>
  stack.console
    ? (stack.resolve((stack.console.distribution.node.defaultChild as CfnElement).logicalId) as string)
    : undefined;

export const synthStage = (stage: Stage, options: SynthOptions = {}): Synthesized => {
  if (options.config !== undefined || options.extend !== undefined || options.outdir !== undefined)
    return synthesize(stage, options);
  const key = `${stage}|${(options.routes ?? routeTable).map(routeObjectId).join(',')}`;
  let synthesized = shared.get(key);
  if (!synthesized) shared.set(key, (synthesized = synthesize(stage, options)));
  return synthesized;
};

type TemplateJson = {
  Resources: Record<string, CfnResource & { DependsOn?: string | string[] }>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown }>;
} & Record<string, unknown>;

/** One synthesis per app (the first Template.fromStack synthesizes it; nested templates are files in it). */
const stackTemplate = (stack: Stack, resourceId?: string): StackTemplate => {
  const template = Template.fromStack(stack);
  return {
    path: stack.node.path,
    stack,
    template,
    json: template.toJSON() as TemplateJson,
    ...(resourceId === undefined ? {} : { resourceId }),
  };
};

/** The nested stacks of a stack (and theirs), each with its resource in the parent's template. */
const nestedTemplatesOf = (parent: StackTemplate): StackTemplate[] =>
  parent.stack.node
    .findAll()
    .filter(
      (node): node is NestedStack =>
        node instanceof NestedStack && node !== parent.stack && node.nestedStackParent === parent.stack,
    )
    .flatMap((nested) => {
      const resource = nested.nestedStackResource;
      if (!resource) throw new Error(`${nested.node.path} has no stack resource`);
      const own = stackTemplate(nested, parent.stack.resolve(resource.logicalId) as string);
      return [own, ...nestedTemplatesOf(own)];
    });

/** `value` with every `{"Ref": p}` of a key of `refs`, and every `Fn::GetAtt` `getAtts` knows, replaced. */
const substitute = (
  value: unknown,
  refs: Readonly<Record<string, unknown>>,
  getAtt: (logicalId: string, attribute: string) => unknown,
): unknown => {
  if (Array.isArray(value)) return value.map((item) => substitute(item, refs, getAtt));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Json);
  if (entries.length === 1) {
    const [[key, arg]] = entries as [[string, unknown]];
    if (key === 'Ref' && typeof arg === 'string' && arg in refs) return refs[arg];
    if (key === 'Fn::GetAtt' && Array.isArray(arg)) {
      const replaced = getAtt(String(arg[0]), String(arg[1]));
      if (replaced !== undefined) return replaced;
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, substitute(item, refs, getAtt)]));
};

/**
 * The stage as one template (see {@link Synthesized.template}): every nested stack's resources, with
 * `{"Ref": <parameter>}` replaced by the parameter value in the parent's stack resource, merged into the
 * parent's; and the parent's `{"Fn::GetAtt": [<nested stack>, "Outputs.<name>"]}` replaced by the output's
 * value. Throws on a parameter without a value, an unknown output and a logical id used twice.
 */
export const flattenStage = (topLevel: StackTemplate, nested: readonly StackTemplate[]): Template => {
  const byResourceId = new Map(nested.map((n) => [n.resourceId, n]));
  const flattenOne = (current: StackTemplate): Record<string, unknown> => {
    const resources: Record<string, unknown> = {};
    const outputs = (stackResourceId: string, attribute: string): unknown => {
      const child = byResourceId.get(stackResourceId);
      if (!child || !attribute.startsWith('Outputs.')) return undefined;
      if (child.stack.nestedStackParent !== current.stack) return undefined;
      const output = child.json.Outputs?.[attribute.slice('Outputs.'.length)];
      if (!output) throw new Error(`${child.path} has no output ${attribute}`);
      return output.Value;
    };
    const add = (id: string, resource: unknown) => {
      if (id in resources) throw new Error(`logical id ${id} is used in two stacks of the stage`);
      resources[id] = resource;
    };
    for (const [id, resource] of Object.entries(current.json.Resources)) {
      add(id, substitute(resource, {}, outputs));
    }
    for (const child of nested.filter((n) => n.stack.nestedStackParent === current.stack)) {
      const stackResource = current.json.Resources[child.resourceId ?? ''];
      const values = substitute(stackResource?.Properties.Parameters ?? {}, {}, outputs) as Json;
      for (const name of Object.keys(child.json.Parameters ?? {})) {
        if (!(name in values)) throw new Error(`${child.path}: no value for parameter ${name}`);
      }
      const childResources = flattenOne(child);
      for (const [id, resource] of Object.entries(childResources)) {
        add(
          id,
          substitute(resource, values, () => undefined),
        );
      }
    }
    return resources;
  };
  return Template.fromJSON({ ...topLevel.json, Resources: flattenOne(topLevel) });
};

type Json = Record<string, unknown>;
export interface CfnResource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
};

/** Lookups per template, computed once: a template never changes after synthesis. */
const lookups = new WeakMap<Template, Map<string, unknown>>();
const once = <T>(template: Template, key: string, compute: () => T): T => {
  let cache = lookups.get(template);
  if (!cache) lookups.set(template, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, deepFreeze(compute()));
  return cache.get(key) as T;
};

/**
 * The template's resources of one type, by logical id. Looked up once per template and type (tests ask
 * thousands of times) and frozen, so that no test can change what the next one reads.
 */
/**
 * The stage's own Lambda functions: every AWS::Lambda::Function but the CDK's BucketDeployment handler,
 * a custom-resource provider that runs only while CloudFormation uploads the console (see
 * lib/constructs/console.ts and MhaStack.finishStage).
 */
export const serviceFunctionsOf = (template: Template): Record<string, CfnResource> =>
  Object.fromEntries(
    Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    ),
  );

export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  once(template, `resources:${type}`, () => template.findResources(type) as Record<string, CfnResource>);

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
  once(template, 'methods', () =>
    Object.entries(resourcesOf(template, 'AWS::ApiGateway::Method')).map(([logicalId, method]) => ({
      logicalId,
      path: resourcePathOf(template, method.Properties.ResourceId),
      httpMethod: String(method.Properties.HttpMethod),
      properties: method.Properties,
    })),
  );

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

/** The DynamoDB actions that write items: a read-only function may hold none of them unconditionally. */
export const WRITE_ACTIONS: readonly string[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

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

/** Every template of a stage, each as CloudFormation deploys it: the top-level stack's first. */
export const templatesOf = (synthesized: Synthesized): readonly StackTemplate[] => [
  synthesized.topLevel,
  ...synthesized.nested,
];

export const resourceCountOf = (template: StackTemplate): number =>
  Object.keys(template.json.Resources).length;

/** The stack template that holds a resource of the stage (each logical id is in exactly one). */
export const templateHolding = (synthesized: Synthesized, logicalId: string): StackTemplate => {
  const holders = templatesOf(synthesized).filter((t) => logicalId in t.json.Resources);
  if (holders.length !== 1) throw new Error(`${logicalId} is in ${holders.length} templates`);
  return holders[0] as StackTemplate;
};

/** A route's function, found by its name across every template of the stage. */
export const routeFunctionOf = (
  synthesized: Synthesized,
  route: RouteDefinition,
): { readonly logicalId: string; readonly holder: StackTemplate } => {
  const name = functionNameFor(synthesized.config.stage, route.id);
  const found = templatesOf(synthesized).flatMap((holder) =>
    Object.entries(resourcesOf(holder.template, 'AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.FunctionName === name)
      .map(([logicalId]) => ({ logicalId, holder })),
  );
  if (found.length !== 1) throw new Error(`Expected one function ${name}, got ${found.length}`);
  return found[0] as { logicalId: string; holder: StackTemplate };
};
