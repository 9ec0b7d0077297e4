import type * as z from 'zod/mini';
import type { Group, MachineScope } from './identity.ts';
import { USER_TOKEN_SCOPE } from './identity.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. Every route must say it; the handler factory refuses one that does not.
 * - `public`: no token.
 * - `users`: signed-in users holding any of the groups (`'any'` = every signed-in user); optionally also
 *   machine clients holding one of `machineScopes`. `users: 'none'` makes a machine-only route.
 */
export type RouteAccess =
  | { readonly public: true }
  | {
      readonly users: 'any' | 'none' | readonly [Group, ...Group[]];
      readonly machineScopes?: readonly [MachineScope, ...MachineScope[]];
    };

/** What the route's Lambda may do to the table (least privilege is derived from this). */
export type DataAccess = 'none' | 'read' | 'read-write';

/** Extra AWS permissions a route's function needs beyond the table. */
/** The Cognito admin API calls a route's function may make, on its stage's pool only. */
export const COGNITO_ADMIN_ACTIONS = [
  'AdminConfirmSignUp',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminListGroupsForUser',
  'ListUsersInGroup',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminUserGlobalSignOut',
  'AdminDeleteUser',
  'AdminGetUser',
] as const;
export type CognitoAdminAction = (typeof COGNITO_ADMIN_ACTIONS)[number];

/**
 * What a route's function needs from Cognito beyond verifying tokens: `jwks` reads the public signing
 * keys (no IAM), `{ cognitoAdmin: [...] }` lists exactly the admin calls it makes, and the CDK grants
 * exactly those (least privilege per route, not per role).
 */
export type IdentityAccess =
  'none' | 'jwks' | { readonly cognitoAdmin: readonly [CognitoAdminAction, ...CognitoAdminAction[]] };

export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodMiniType;
  /** Non-JSON responses (e.g. the docs page) name their content type. */
  readonly contentType?: string;
}

/** What a route answers, by HTTP status. */
export type RouteResponses = Readonly<Record<number, RouteResponse>>;

/** An area's documented responses: one entry per route of the area (`<area>Responses`). */
export type ResponsesOf<Routes> = { readonly [K in keyof Routes]: RouteResponses };

export interface RouteRequest {
  /**
   * Path parameters: an object schema (the route table's, which the OpenAPI document reads), or, in a
   * handler's route variant, the same rules written out (a check with no shape).
   */
  readonly params?:
    z.ZodMiniObject | (z.ZodMiniType<Record<string, unknown>> & { readonly shape?: undefined });
  readonly query?: z.ZodMiniObject;
  readonly body?: z.ZodMiniType;
}

export interface RouteDefinition<Req extends RouteRequest = RouteRequest> {
  /** Stable id, also the function's logical name: `<area>.<action>`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, `{name}` for path parameters. */
  readonly path: string;
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly handler: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: RouteAccess;
  readonly data: DataAccess;
  readonly identity: IdentityAccess;
  readonly request: Req;
  /**
   * What the route answers: documentation for the OpenAPI document, which is generated at build time.
   * Nothing validates responses at run time, so each area keeps them apart from its routes
   * (`<area>Responses` next to `<area>Routes`) and the route table joins them in: a function bundle,
   * which imports only its area's routes, carries no response schema, and its route's `responses` is
   * empty.
   */
  readonly responses: RouteResponses;
  /** Throttle class from stage config; `auth` routes get the tighter limits. */
  readonly throttle: 'default' | 'auth';
  /**
   * Events the route's writes raise: `risk` = risk alerts, each with an outbox item in the same
   * transaction that the stage's pipe publishes from the table's stream to the risk event bus. The
   * function itself gets no EventBridge permission (and carries no EventBridge client).
   */
  readonly events?: 'risk';
}

/** A route entry. `responses` is joined in by the route table; test fixtures may give it here. */
export const defineRoute = <const Req extends RouteRequest>(
  route: Omit<RouteDefinition<Req>, 'responses'> & { readonly responses?: RouteResponses },
): RouteDefinition<Req> => ({ ...route, responses: route.responses ?? {} });

export const isPublic = (access: RouteAccess): access is { readonly public: true } => 'public' in access;

/**
 * Authorization scopes a method demands of an access token; the CDK puts them on the method and the
 * local gateway enforces the same list, so both paths accept exactly the same tokens.
 */
export const methodScopes = (access: RouteAccess): string[] => {
  if (isPublic(access)) return [];
  const scopes: string[] = access.users === 'none' ? [] : [USER_TOKEN_SCOPE];
  return [...scopes, ...(access.machineScopes ?? [])];
};

/** `/users/{user_id}` → `/users/:user_id`-style matcher used by the local gateway and tests. */
export const pathPattern = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split('/')
      .map((segment) =>
        /^\{[A-Za-z0-9_]+\}$/.test(segment)
          ? `(?<${segment.slice(1, -1)}>[^/]+)`
          : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/')}$`,
  );
