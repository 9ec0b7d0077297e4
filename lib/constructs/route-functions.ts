import { NestedStack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/contract/route.ts';
import { ApiFunction, routeConstructId, type ApiFunctionProps } from './api-function.ts';

/** `emo-buddy` → `EmoBuddyFunctions`: the construct id (and so the logical id) of an area's nested stack. */
export const routeFunctionsStackId = (area: string): string => `${routeConstructId(area)}Functions`;

/** `/users/{user_id}/consents` → `/users/*\/consents`: a resource path as execute-api ARNs spell it. */
const pathForArn = (path: string): string => path.replace(/\{[^}]*\}/g, '*');

export interface RouteFunctionsProps extends Omit<ApiFunctionProps, 'route'> {
  /** The route area (the routes' `tag`): one nested stack per area. */
  readonly area: string;
  /** The API whose methods invoke the functions. */
  readonly restApi: apigw.IRestApi;
}

/**
 * The Lambda functions of one route area (the routes' `tag`: auth, users, surveys, …) in a nested stack
 * of the stage: per route the function, its role and policy, its log group and the permission that lets
 * the stage's API invoke it. The API itself (resources, methods, authorizer, stage) stays in the
 * top-level stack and reaches each function through a nested stack output.
 *
 * Why: CloudFormation allows 500 resources per stack and each route costs about eight, so the stage no
 * longer fits in one template. Grouping by area keeps every nested stack small (tens of resources), and
 * since the area is part of the route entry, adding a route never moves an existing function to another
 * nested stack. Changing a route's `tag` does move it, and as function and log group names are fixed per
 * stage (and prod retains log groups), that takes a deployment without the route first, or a new route id.
 *
 * Nested stacks deploy with their parent (`cdk deploy -c stage=<stage>` still deploys one stack), and
 * every value they need from it (table, pool, secret, API id, keys) arrives as a nested stack parameter
 * that the CDK wires from the construct references.
 */
export class RouteFunctions extends NestedStack {
  readonly area: string;
  /** The area's functions, by route id. */
  readonly functions = new Map<string, ApiFunction>();
  private readonly restApi: apigw.IRestApi;
  private readonly functionProps: Omit<ApiFunctionProps, 'route'>;

  constructor(scope: Construct, id: string, props: RouteFunctionsProps) {
    const { area, restApi, ...functionProps } = props;
    super(scope, id, {
      description: `Mental Health Analytics (${props.config.stage}): functions of the ${area} routes`,
    });
    this.area = area;
    this.restApi = restApi;
    this.functionProps = functionProps;
  }

  /** The route's function, with exactly the permissions its entry declares and its invoke permission. */
  addRoute(route: RouteDefinition): ApiFunction {
    if (route.tag !== this.area) throw new Error(`Route ${route.id} is not in area ${this.area}`);
    const { config } = this.functionProps;
    const fn = new ApiFunction(this, routeConstructId(route.id), { ...this.functionProps, route });
    // The method's invoke permission, here rather than in the top-level stack (where LambdaIntegration
    // would put it): scoped to this route's method and path on this stage of this API only. The stage is
    // named by the config, so the permission does not wait for the API stage (which waits for the methods,
    // which wait for this stack: a cycle).
    fn.function.addPermission('ApiInvoke', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.restApi.arnForExecuteApi(route.method, pathForArn(route.path), config.stage),
    });
    this.functions.set(route.id, fn);
    return fn;
  }
}

/**
 * A Lambda proxy integration that adds no invoke permission of its own (the function's nested stack holds
 * it, see {@link RouteFunctions}); otherwise what `LambdaIntegration` synthesizes.
 */
export class LambdaProxyIntegration extends apigw.AwsIntegration {
  private readonly handler: lambda.Function;

  constructor(handler: lambda.Function) {
    super({
      proxy: true,
      service: 'lambda',
      path: `2015-03-31/functions/${handler.functionArn}/invocations`,
    });
    this.handler = handler;
  }

  override bind(method: apigw.Method): apigw.IntegrationConfig {
    // As LambdaIntegration: a literal function name keys the deployment, so a changed function redeploys.
    const functionName = (this.handler.node.defaultChild as lambda.CfnFunction).functionName;
    return { ...super.bind(method), deploymentToken: JSON.stringify({ functionName }) };
  }
}
