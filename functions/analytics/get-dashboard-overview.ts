import { overviewRoute } from '#contract/routes/analytics.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { canViewDepartmentAggregates, hasRole } from '#domain/access-policy.ts';
import { effectiveThresholds } from '#domain/anonymity.ts';
import { systemClock } from '#domain/clock.ts';
import { buildOverview, type MonthInput } from '#domain/rollups-overview.ts';
import { overviewMonths, type OverviewMonths } from '#data/rollup-reads.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { resolveDashboardMonth } from './period.ts';

const thresholds = effectiveThresholds(runtimeEnv().anonymityThresholds ?? {});

const monthOf = (months: OverviewMonths, which: 'current' | 'previous'): MonthInput => ({
  organisation: months.organisation[which],
  unassigned: months.unassigned[which],
  departments: months.departments.map((d) => ({ id: d.id, name: d.name, cell: d[which] })),
});

/**
 * Organisation (admins) and department aggregates of a closed month from the month rollups:
 * O(departments) reads, never O(users) — one Query per 100 departments and one BatchGetItem per 50.
 * What is shown is decided over every cell, whoever asks (shared/domain/anonymity.ts, via
 * rollups-overview.ts); a manager then gets only the departments they manage, and no organisation cell.
 */
export const handler = createApiHandler(overviewRoute, async ({ principal, query }) => {
  const { period, previous } = resolveDashboardMonth(query.period, systemClock.now());
  const isAdmin = hasRole(principal, 'admin');
  const months = await overviewMonths(period, previous);
  // The departments a manager manages, from the department items just read: no extra round trip.
  const managed =
    !isAdmin && principal.kind === 'user'
      ? months.departments.filter((d) => d.managerIds.includes(principal.sub)).map((d) => d.id)
      : [];
  const departmentIds = months.departments
    .map((d) => d.id)
    .filter((id) => canViewDepartmentAggregates(principal, id, managed).allowed);
  return ok(
    buildOverview(monthOf(months, 'current'), monthOf(months, 'previous'), {
      thresholds,
      period: period.key,
      previousPeriod: previous.key,
      includeOrganisation: isAdmin,
      departmentIds,
    }),
  );
});
