import { analyticsRoutes } from '#contract/routes/analytics.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { canViewDepartmentAggregates, hasRole } from '#domain/access-policy.ts';
import { effectiveThresholds } from '#domain/anonymity.ts';
import { systemClock } from '#domain/clock.ts';
import { buildOverview, type OverviewInput } from '#domain/rollups-overview.ts';
import type { OverviewCounters } from '#data/rollup-reads.ts';
import { overviewCounters } from '#data/rollup-reads.ts';
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
 * never O(users) — one Query per 100 departments and one BatchGetItem per 50. Suppression is decided over every department whoever asks (shared/domain/
 * rollups-overview.ts); a manager then gets only the departments they manage, and no organisation cell.
 */
export const handler = createApiHandler(analyticsRoutes.overview, async ({ principal, query }) => {
  const { period, previous } = resolvePeriod(query.period, systemClock.now());
  const isAdmin = hasRole(principal, 'admin');
  const counters = await overviewCounters(period, previous);
  // The departments a manager manages, from the department items just read: no extra round trip.
  const managed =
    !isAdmin && principal.kind === 'user'
      ? counters.departments.filter((d) => d.managerIds.includes(principal.sub)).map((d) => d.id)
      : [];
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
