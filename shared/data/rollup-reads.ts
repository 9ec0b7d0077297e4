import type { Scope } from '#domain/rollups.ts';
import type { MonthCell } from '#domain/rollups-overview.ts';
import { UNASSIGNED_DEPARTMENT } from '#domain/rollups.ts';
import type { Period } from '#domain/rollups-periods.ts';
import { listDepartments } from './department-repository.ts';
import * as keys from './dynamodb/keys.ts';
import { batchGet, countersOf, readRollupCells, rollupKey } from './rollup-repository.ts';
import { surveyStateFrom } from './survey-repository.ts';

/**
 * The analytics reads: a fixed number of requests per call, whatever the number of users and records.
 * - overview: the department listing (one Query per 100 departments) and ONE BatchGetItem per 50
 *   departments for the month and the one before (organisation + departments + users without one), each
 *   rollup with its revision state;
 * - user summary and burnout trend: one BatchGetItem (the user's rollups of the period and the last 30
 *   days, and their survey state).
 */
export interface DepartmentMonths {
  id: string;
  name: string;
  /** Who manages it, from the department item itself (so a manager's view needs no extra read). */
  managerIds: string[];
  current: MonthCell | undefined;
  previous: MonthCell | undefined;
}

export interface OverviewMonths {
  organisation: { current: MonthCell | undefined; previous: MonthCell | undefined };
  unassigned: { current: MonthCell | undefined; previous: MonthCell | undefined };
  departments: DepartmentMonths[];
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

/** The month rollups of the organisation, every department and the users without one, for two months. */
export const overviewMonths = async (period: Period, previous: Period): Promise<OverviewMonths> => {
  const departments = await allDepartments();
  const scopes: Scope[] = [
    { kind: 'organisation' },
    { kind: 'department', id: UNASSIGNED_DEPARTMENT },
    ...departments.map((d) => ({ kind: 'department', id: d.id }) as const),
  ];
  const read = await readRollupCells(
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
