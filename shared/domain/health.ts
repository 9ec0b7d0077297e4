import type { HealthCheckName, HealthCheckResult, HealthReport } from '#contract/routes/health.ts';

/** The service is `ok` only when every check it ran is up; otherwise it is `unavailable` (HTTP 503). */
export const summarizeHealth = (
  stage: string,
  checkedAt: Date,
  checks: Partial<Record<HealthCheckName, HealthCheckResult>>,
): { statusCode: 200 | 503; report: HealthReport } => {
  const allUp = Object.values(checks).every((check) => check.status === 'up');
  return {
    statusCode: allUp ? 200 : 503,
    report: { status: allUp ? 'ok' : 'unavailable', stage, checkedAt: checkedAt.toISOString(), checks },
  };
};
