import { dropIfUnused } from './lazy.ts';
/**
 * Identity names shared by the CDK stack, the local runtime and the handlers, so that the user pool,
 * its groups, clients and scopes are spelled the same everywhere.
 */

/**
 * Cognito groups = roles (docs/privacy.md). Every list of groups (the CDK pool, the local provisioning,
 * the claims parser, the role routes, the operator CLI) is this one constant.
 */
export const GROUPS = ['employee', 'manager', 'clinician', 'admin', 'auditor'] as const;
export type Group = (typeof GROUPS)[number];

export const isGroup = (value: string): value is Group => (GROUPS as readonly string[]).includes(value);

/** Resource server identifier; machine scopes are `<identifier>/<scope>`. */
export const RESOURCE_SERVER_ID = 'mha-api';

/**
 * Scopes a machine client (client credentials) can hold. Built by a pure-marked call: the template
 * literal counts as a side effect to esbuild, which otherwise kept the object in every function.
 */
export const MACHINE_SCOPES = /* @__PURE__ */ dropIfUnused(
  () => ({ analysesWrite: `${RESOURCE_SERVER_ID}/analyses.write` }) as const,
);
export type MachineScope = (typeof MACHINE_SCOPES)[keyof typeof MACHINE_SCOPES];

/**
 * The scope every access token of a signed-in user carries (USER_PASSWORD_AUTH tokens always, hosted-login
 * tokens when the client requests it). Methods name it so that the REST Cognito authorizer validates
 * *access* tokens: a method without authorization scopes would accept ID tokens instead.
 */
export const USER_TOKEN_SCOPE = 'aws.cognito.signin.user.admin';

/** Logical names, suffixed with the stage where resources are named. */
export const IDENTITY_NAMES = {
  userPool: (stage: string) => `mha-${stage}-users`,
  apiClient: 'api-client',
  webClient: 'web-client',
  machineClient: 'analysis-pipeline',
} as const;
