import type { HealthCheckResult } from '#contract/routes/health.ts';

const PROBE_TIMEOUT_MS = 2_000;

/** Runs one dependency probe with a deadline and reports up/down with its latency. */
export const timedProbe = async (
  probe: (signal: AbortSignal) => Promise<unknown>,
): Promise<HealthCheckResult> => {
  const started = performance.now();
  try {
    await probe(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // A short reason only (ECONNREFUSED, TimeoutError, ResourceNotFoundException): never internals.
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error';
    return { status: 'down', latencyMs: Math.round(performance.now() - started), reason };
  }
};
