import { ENV, type RuntimeSetting } from '../../shared/contract/runtime-env.ts';
import type { StageConfig } from './schema.ts';

/**
 * What a function's environment names from the deployment rather than the stage config: CloudFormation
 * tokens in the CDK, the emulators' values in the local runtime and the tests. Each is left out of the
 * environment when not given (a function without table access gets no table name; a trigger may not
 * name its pool).
 */
export interface RuntimeResources {
  readonly tableName?: string;
  readonly userPoolId?: string;
  /** The pool's token issuer (cognitoIssuerUrl in AWS, the local Cognito proxy locally). */
  readonly cognitoIssuer?: string;
  readonly apiClientId?: string;
  readonly cursorSecret?: string;
  /** Local runtime only: the emulators. */
  readonly dynamodbEndpoint?: string;
  readonly cognitoEndpoint?: string;
  /** Where the docs pages load their assets from; unset: the contract's pinned CDN URLs. */
  readonly swaggerUiBase?: string;
  readonly redocBase?: string;
  /** Local runtime only (`--clock`). */
  readonly clockOffsetMs?: number;
}

/** The issuer of the pool's tokens in AWS; its JWKS lives under it. */
export const cognitoIssuerUrl = (region: string, userPoolId: string): string =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/**
 * THE runtime environment of a function, from its stage config and the deployment's resources: every
 * variable of the contract (shared/contract/runtime-env.ts) as the handlers parse it. The CDK function
 * constructs, the local runtime, the integration test support and the bundle benchmark all build it
 * here. The mapped type makes a variable added to the contract a compile error until it is given a
 * value here (or `undefined`, with the reason).
 */
export const runtimeEnvironment = (
  config: StageConfig,
  resources: RuntimeResources,
): Record<string, string> => {
  const values: { readonly [K in RuntimeSetting]: string | undefined } = {
    stage: config.stage,
    tableName: resources.tableName,
    corsOrigins: config.api.corsOrigins.join(','),
    userPoolId: resources.userPoolId,
    cognitoIssuer: resources.cognitoIssuer,
    apiClientId: resources.apiClientId,
    allowedEmailDomains: config.cognito.allowedEmailDomains.join(','),
    autoConfirm: String(config.cognito.autoConfirm),
    refreshTokenRotation: String(config.cognito.refreshTokenRotation),
    cursorSecret: resources.cursorSecret,
    // The crisis resources shown to an employee whose response raised a risk alert.
    crisisResources: JSON.stringify(config.safety.crisisResources),
    dynamodbEndpoint: resources.dynamodbEndpoint,
    cognitoEndpoint: resources.cognitoEndpoint,
    swaggerUiBase: resources.swaggerUiBase,
    redocBase: resources.redocBase,
    erasureGraceDays: String(config.retention.erasureGraceDays),
    storeRawText: String(config.retention.storeRawText),
    rawTextDays: String(config.retention.rawTextDays),
    // The dashboard's k-anonymity thresholds (never below 5: effectiveThresholds in the handler).
    anonymityThresholds: JSON.stringify(config.anonymity),
    // analyzedAt's bounds (the analysis routes) and, from the same window, which months are closed.
    analysisTimeWindow: JSON.stringify(config.analysisTimeWindow),
    clockOffsetMs: resources.clockOffsetMs === undefined ? undefined : String(resources.clockOffsetMs),
    accessTokenMinutes: String(config.cognito.accessTokenMinutes),
    mfaRequiredRoles: config.cognito.mfaRequiredRoles.join(','),
  };
  return Object.fromEntries(
    (Object.keys(ENV) as RuntimeSetting[]).flatMap((key) => {
      const value = values[key];
      return value === undefined ? [] : [[ENV[key], value]];
    }),
  );
};

/**
 * The part of an environment a function with fewer needs gets: the stage, and the named settings
 * (an event function's `settings`, shared/contract/event-functions.ts).
 */
export const environmentSubset = (
  environment: Readonly<Record<string, string>>,
  settings: readonly RuntimeSetting[],
): Record<string, string> =>
  Object.fromEntries(
    (['stage', ...settings] as const).flatMap((key) => {
      const value = environment[ENV[key]];
      return value === undefined ? [] : [[ENV[key], value]];
    }),
  );
