import type { RouteDefinition } from '../../shared/contract/route.ts';
import { CLIENT_TIERS, type ClientTier, type StageConfig } from './schema.ts';

export { CLIENT_TIERS, type ClientTier };

/**
 * Paths that never demand an API key, in any stage: health probes (load balancers and uptime checks have
 * no key), the API documentation, and /auth/* (sign-up and sign-in come before a client holds anything
 * but its credentials; the tighter auth throttle and WAF guard them instead).
 */
const KEY_FREE_PATHS = [/^\/health(\/|$)/, /^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/auth\//];

export const isKeyFreePath = (path: string): boolean => KEY_FREE_PATHS.some((pattern) => pattern.test(path));

/**
 * Whether a route's method demands an `x-api-key` (API Gateway's `apiKeyRequired`; the local gateway
 * applies the same rule). API Gateway only looks at usage plans on methods that require a key, so in a
 * stage without `requireApiKey` keys are handed out but neither checked nor metered.
 */
export const apiKeyRequired = (
  config: Pick<StageConfig, 'api'>,
  route: Pick<RouteDefinition, 'path'>,
): boolean => config.api.requireApiKey && !isKeyFreePath(route.path);

/** `mha-prod-partner`: the name of a tier's usage plan and API key. */
export const usagePlanName = (stage: string, tier: ClientTier): string => `mha-${stage}-${tier}`;
