import type { Counters, Scope } from '#domain/rollups.ts';
import { UNASSIGNED_DEPARTMENT } from '#domain/rollups.ts';
import type { Period } from '#domain/rollups-periods.ts';
import { listDepartments } from './department-repository.ts';
import { keys } from './keys.ts';
import { batchGet, countersOf, readRollups, rollupKey } from './rollup-repository.ts';
import { surveyStateFrom } from './survey-repository.ts';

/**
 * The analytics reads: a fixed number of requests per call, whatever the number of users and records.
 * - overview: the department listing (one Query per 100 departments) and ONE BatchGetItem per 50
 *   departments for the period and the previous one (organisation + departments + users without one);
 * - user summary and burnout trend: one BatchGetItem (the user's rollups of the period and the last 30
 *   days, and their survey state).
 */
export interface DepartmentCounters {
  id: string;
  name: string;
  /** Who manages it, from the department item itself (so a manager's view needs no extra read). */
  managerIds: string[];
  current: Counters | undefined;
  previous: Counters | undefined;
}

export interface OverviewCounters {
  organisation: { current: Counters | undefined; previous: Counters | undefined };
  unassigned: { current: Counters | undefined; previous: Counters | undefined };
  departments: DepartmentCounters[];
}

const allDepartments = async () => {
  const departments: { id: string; name: string; managerIds: string[] }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await listDepartments(100, startKey);
    departments.push(
      ...page.items.map((d) => ({ id: d.id, name: d.name, managerIds: [...(d.managerIds ?? [])] })),
    );
    startKey = page.lastEvaluatedKey;
  } while (startKey);
  return departments;
};

export const overviewCounters = async (period: Period, previous: Period): Promise<OverviewCounters> => {
  const departments = await allDepartments();
  const scopes: Scope[] = [
    { kind: 'organisation' },
    { kind: 'department', id: UNASSIGNED_DEPARTMENT },
    ...departments.map((d) => ({ kind: 'department', id: d.id }) as const),
  ];
  const read = await readRollups(
    scopes.flatMap((scope) => [period, previous].map((p) => ({ scope, period: p }))),
  );
  const pair = (scope: Scope) => ({ current: read(scope, period), previous: read(scope, previous) });
  return {
    organisation: pair({ kind: 'organisation' }),
    unassigned: pair({ kind: 'department', id: UNASSIGNED_DEPARTMENT }),
    departments: departments.map((d) => ({ ...d, ...pair({ kind: 'department', id: d.id }) })),
  };
};

/**
 * What the individual insight routes (summary, burnout trend) read, in ONE strongly consistent
 * BatchGetItem: the user's rollups of the given periods (up to 99) and their survey state (latest
 * response per instrument, recent CBI series). Strongly consistent so a response just stored shows.
 */
export const userInsightsData = async (sub: string, periods: readonly Period[]) => {
  const scope: Scope = { kind: 'user', id: sub };
  const stateKey = keys.surveyState(sub);
  const items = await batchGet([...periods.map((period) => rollupKey(scope, period)), stateKey], {
    consistent: true,
  });
  return {
    rollupOf: (period: Period) => {
      const key = rollupKey(scope, period);
      return countersOf(items.get(`${key.PK}|${key.SK}`));
    },
    surveyState: surveyStateFrom(items.get(`${stateKey.PK}|${stateKey.SK}`)),
  };
};
