import { requireSetting } from '#contract/runtime-env.ts';
import { timedProbe } from '../timed-probe.ts';

/**
 * Fetches the user pool's signing keys (JWKS), which token verification depends on. Needs no IAM
 * permission: the document is public.
 */
export const probeIdentity = () =>
  timedProbe(async (signal) => {
    const response = await fetch(`${requireSetting('cognitoIssuer')}/.well-known/jwks.json`, { signal });
    if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
    const body = (await response.json()) as { keys?: unknown[] };
    if (!Array.isArray(body.keys) || body.keys.length === 0) throw new Error('JWKS has no keys');
  });
