import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { Bar } from '../ui/chart.tsx';
import { Loaded, Page, useResource } from '../ui/kit.tsx';

type Overview =
  paths['/analytics/dashboard/overview']['get']['responses'][200]['content']['application/json'];
type Department = Overview['departments'][number];
type VisibleDepartment = Extract<Department, { suppressed: false }>;

const INSTRUMENT_NAMES: Record<string, string> = {
  phq9: 'PHQ-9 mean',
  gad7: 'GAD-7 mean',
  who5: 'WHO-5 mean',
  pss10: 'PSS-10 mean',
  cbi: 'Burnout (CBI) mean',
};

/**
 * Months that have closed (the dashboard serves closed months only), newest first: the previous twelve.
 */
export const closedMonths = (now = new Date()): string[] =>
  Array.from({ length: 12 }, (_, index) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - index, 1));
    return month.toISOString().slice(0, 7);
  });

const monthName = (period: string) =>
  new Date(`${period}-01T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** A number the API published, or the words for one it withheld: never a value worked out from others. */
const Shown = ({
  value,
  digits = 0,
  suffix = '',
}: {
  value: number | null;
  digits?: number;
  suffix?: string;
}) =>
  value === null ? (
    <span class="withheld">hidden to protect privacy</span>
  ) : (
    <>{value.toFixed(digits) + suffix}</>
  );

const Change = ({
  now,
  before,
  digits = 0,
}: {
  now: number | null;
  before: number | null | undefined;
  digits?: number;
}) => {
  if (now === null || before === null || before === undefined) return <span class="hint">no comparison</span>;
  const delta = now - before;
  const word = delta > 0 ? 'up' : delta < 0 ? 'down' : 'unchanged';
  return (
    <span class={`change change-${word}`}>
      {word === 'unchanged' ? 'unchanged' : `${word} ${Math.abs(delta).toFixed(digits)}`} (was{' '}
      {before.toFixed(digits)})
    </span>
  );
};

const DepartmentCard = ({ cell }: { cell: VisibleDepartment }) => {
  const share = cell.sentiment.shares.negative;
  return (
    <article class="card department" aria-labelledby={`dept-${cell.departmentId}`}>
      <h2 id={`dept-${cell.departmentId}`}>{cell.name}</h2>
      <table>
        <caption class="visually-hidden">
          {cell.name}: this month and the change since {cell.trend?.previousPeriod ?? 'the previous month'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">This month</th>
            <th scope="col">Against the previous month</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">People taking part</th>
            <td>
              <Shown value={cell.contributors} />
            </td>
            <td>
              <Change now={cell.contributors} before={cell.trend?.contributors} />
            </td>
          </tr>
          <tr>
            <th scope="row">Negative sentiment</th>
            <td>
              <Shown value={share === null ? null : share * 100} digits={0} suffix="%" />
            </td>
            <td>
              <Change
                now={share === null ? null : share * 100}
                before={
                  cell.trend?.negativeSentimentShare === null ||
                  cell.trend?.negativeSentimentShare === undefined
                    ? cell.trend?.negativeSentimentShare
                    : cell.trend.negativeSentimentShare * 100
                }
              />
            </td>
          </tr>
          {Object.entries(cell.instruments).map(([id, instrument]) => (
            <tr key={id}>
              <th scope="row">{INSTRUMENT_NAMES[id] ?? id}</th>
              <td>
                <Shown value={instrument.meanScore} digits={1} />
              </td>
              <td>
                <Change now={instrument.meanScore} before={cell.trend?.meanScores[id]} digits={1} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {share !== null ? (
        <Bar label="Negative sentiment" value={share} max={1} text={`${Math.round(share * 100)}%`} />
      ) : null}
    </article>
  );
};

export const DashboardPage = ({ threshold }: { threshold: number }) => {
  const months = closedMonths();
  const [period, setPeriod] = useState(months[0]!);
  const overview = useResource(
    () => unwrap(api().GET('/analytics/dashboard/overview', { params: { query: { period } } })),
    [period],
  );
  return (
    <Page
      title="Department dashboard"
      intro="Anonymous statistics of your departments for a closed month. A number that could point to a person is hidden."
    >
      <div class="field">
        <label for="period">Month</label>
        <select id="period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          {months.map((month) => (
            <option key={month} value={month}>
              {monthName(month)}
            </option>
          ))}
        </select>
      </div>
      <Loaded resource={overview} what="the dashboard">
        {(data) => (
          <div class="departments">
            {data.departments.length === 0 ? <p>You manage no department with data for this month.</p> : null}
            {data.departments.map((cell) =>
              cell.suppressed ? (
                <article
                  class="card department suppressed"
                  key={cell.departmentId}
                  aria-labelledby={`dept-${cell.departmentId}`}
                >
                  <h2 id={`dept-${cell.departmentId}`}>{cell.name}</h2>
                  <p data-testid="suppressed">Fewer than {threshold} people — hidden to protect privacy.</p>
                </article>
              ) : (
                <DepartmentCard key={cell.departmentId} cell={cell} />
              ),
            )}
          </div>
        )}
      </Loaded>
    </Page>
  );
};
