import { analyticsRoutes } from '#contract/routes/analytics.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { canViewDepartmentAggregates, hasRole } from '#domain/access-policy.ts';
import { effectiveThresholds } from '#domain/anonymity.ts';
import { systemClock } from '#domain/clock.ts';
import { buildOverview, type OverviewInput } from '#domain/rollups-overview.ts';
import type { OverviewCounters } from '#data/rollup-reads.ts';
import { overviewCounters } from '#data/rollup-reads.ts';
import { managedDepartmentIds } from '#data/user-repository.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { resolvePeriod } from './period.ts';

const thresholds = effectiveThresholds(runtimeEnv().anonymityThresholds ?? {});

const inputOf = (counters: OverviewCounters, which: 'current' | 'previous'): OverviewInput => ({
  thresholds,
  organisation: counters.organisation[which],
  unassigned: counters.unassigned[which],
  departments: counters.departments.map((d) => ({ id: d.id, name: d.name, counters: d[which] })),
});

/**
 * Organisation (admins) and department aggregates of a period from the rollups: O(departments) reads,
 * never O(users). Suppression is decided over every department whoever asks (shared/domain/
 * rollups-overview.ts); a manager then gets only the departments they manage, and no organisation cell.
 */
export const handler = createApiHandler(analyticsRoutes.overview, async ({ principal, query }) => {
  const { period, previous } = resolvePeriod(query.period, systemClock.now());
  const isAdmin = hasRole(principal, 'admin');
  const [managed, counters] = await Promise.all([
    !isAdmin && principal.kind === 'user' ? managedDepartmentIds(principal.sub) : Promise.resolve([]),
    overviewCounters(period, previous),
  ]);
  const departmentIds = counters.departments
    .map((d) => d.id)
    .filter((id) => canViewDepartmentAggregates(principal, id, managed).allowed);
  return ok(
    buildOverview(inputOf(counters, 'current'), inputOf(counters, 'previous'), {
      period: period.key,
      previousPeriod: previous.key,
      includeOrganisation: isAdmin,
      departmentIds,
    }),
  );
});
