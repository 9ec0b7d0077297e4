import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { InstrumentId } from '#contract/survey.ts';
import type { Counters, Scope } from '#domain/rollups.ts';
import { UNASSIGNED_DEPARTMENT } from '#domain/rollups.ts';
import type { Period } from '#domain/rollups-periods.ts';
import { documentClient, tableName } from './client.ts';
import { listDepartments } from './department-repository.ts';
import { keys } from './keys.ts';
import { readRollups } from './rollup-repository.ts';

/**
 * The analytics reads: a fixed number of requests per call, whatever the number of users and records.
 * - overview: the department listing (one Query per 100 departments) and ONE BatchGetItem per 50
 *   departments for the period and the previous one (organisation + departments + users without one);
 * - user summary: one BatchGetItem (the period + the last 30 days of the user's rollups) and one Query
 *   per scored instrument (Limit 1; CBI: the latest 50 for the trend slope).
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

/** A user's rollups of several periods (one BatchGetItem for up to 100). */
export const userRollups = async (sub: string, periods: readonly Period[]) => {
  const scope: Scope = { kind: 'user', id: sub };
  const read = await readRollups(periods.map((period) => ({ scope, period })));
  return (period: Period) => read(scope, period);
};

export interface ScoredResponse {
  id: string;
  submittedAt: string;
  total: number | null;
  band: string | null;
  subscales: Record<string, number> | undefined;
}

/** The user's latest responses to one instrument, newest first: ONE Query, at most `limit` items. */
export const latestResponses = async (
  sub: string,
  instrument: InstrumentId,
  limit: number,
): Promise<ScoredResponse[]> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': keys.userProfile(sub).PK,
        ':prefix': keys.surveyResponsePrefix(instrument),
      },
      ExpressionAttributeNames: { '#id': 'id', '#at': 'submittedAt', '#scores': 'scores', '#band': 'band' },
      ProjectionExpression: '#id, #at, #scores, #band',
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return Items.map((item) => {
    const scores = (item.scores ?? {}) as { total?: unknown; subscales?: unknown };
    return {
      id: String(item.id),
      submittedAt: String(item.submittedAt),
      total: typeof scores.total === 'number' ? scores.total : null,
      band: typeof item.band === 'string' ? item.band : null,
      subscales:
        scores.subscales && typeof scores.subscales === 'object'
          ? (scores.subscales as Record<string, number>)
          : undefined,
    };
  });
};
