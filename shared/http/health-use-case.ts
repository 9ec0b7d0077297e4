import type { HealthCheckName, HealthCheckResult, LocalRuntimeResources } from '#contract/routes/health.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { summarizeHealth } from '#domain/health.ts';
import type { ApiResult } from './types.ts';

let localRuntimeResources: (() => LocalRuntimeResources) | undefined;
/**
 * LOCAL ONLY: the local runtime registers how to read its own resources (lib/local/runtime.ts), and the
 * health checks add them to their report. Nothing registers in AWS, so a deployed report never has them.
 */
export const reportLocalRuntimeResources = (read: () => LocalRuntimeResources): void => {
  localRuntimeResources = read;
};

/** Runs the named dependency checks in parallel and answers 200 or 503 with each check's latency. */
export const healthUseCase =
  (probes: Partial<Record<HealthCheckName, () => Promise<HealthCheckResult>>>) =>
  async (): Promise<ApiResult> => {
    const names = Object.keys(probes) as HealthCheckName[];
    const results = await Promise.all(names.map((name) => probes[name]!()));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const { statusCode, report } = summarizeHealth(runtimeEnv().stage, new Date(), checks);
    return {
      statusCode,
      body: localRuntimeResources ? { ...report, localRuntime: localRuntimeResources() } : report,
    };
  };
