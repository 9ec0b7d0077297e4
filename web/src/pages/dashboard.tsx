import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { Bar } from '../ui/chart.tsx';
import { Loaded, Page, useResource } from '../ui/kit.tsx';
import { monthName, pickableMonths } from './months.ts';

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

/**
 * The change against the previous month exactly as the API published it (`trend`: this month's number
 * minus last month's, computed by the API from numbers shown in both). The page never subtracts: the
 * previous month's own numbers are on its own page.
 */
const Change = ({
  delta,
  digits = 0,
  unit = '',
}: {
  delta: number | null | undefined;
  digits?: number;
  unit?: string;
}) => {
  if (delta === null || delta === undefined) return <span class="hint">no comparison</span>;
  const size = Math.abs(delta).toFixed(digits);
  const word = Number(size) === 0 ? 'unchanged' : delta > 0 ? 'up' : 'down';
  return (
    <span class={`change change-${word}`}>
      {word === 'unchanged' ? 'unchanged' : `${word} ${size}${unit}`}
    </span>
  );
};

/** A share as the page writes it: percent, no decimals. */
const percent = (share: number) => `${Math.round(share * 100)}%`;

const DepartmentCard = ({ cell, period }: { cell: VisibleDepartment; period: string }) => {
  const share = cell.sentiment.shares.negative;
  const shareChange = cell.trend?.negativeSentimentShare;
  return (
    <article class="card department" aria-labelledby={`dept-${cell.departmentId}`}>
      <h2 id={`dept-${cell.departmentId}`}>{cell.name}</h2>
      <table>
        <caption class="visually-hidden">
          {cell.name}: {monthName(period)} and the change since{' '}
          {cell.trend ? monthName(cell.trend.previousPeriod) : 'the previous month'}
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
              <Change delta={cell.trend?.contributors} />
            </td>
          </tr>
          <tr>
            <th scope="row">Negative sentiment</th>
            <td>{share === null ? <Shown value={null} /> : percent(share)}</td>
            <td>
              <Change
                delta={shareChange === null || shareChange === undefined ? shareChange : shareChange * 100}
                digits={1}
                unit=" points"
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
                <Change delta={cell.trend?.meanScores[id]} digits={1} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
};

/**
 * Negative sentiment side by side, one bar per department whose share was published (its numbers are
 * in the cards' tables too, which is what screen readers read).
 */
const SentimentChart = ({ cells, period }: { cells: VisibleDepartment[]; period: string }) => {
  const shown = cells.flatMap((cell) =>
    cell.sentiment.shares.negative === null
      ? []
      : [{ name: cell.name, share: cell.sentiment.shares.negative }],
  );
  if (shown.length === 0) return null;
  return (
    <figure class="card" data-testid="sentiment-chart">
      <figcaption>
        <h2>Negative sentiment, {monthName(period)}</h2>
        <p class="hint">
          Share of analyses with a negative sentiment; departments with it hidden are left out.
        </p>
      </figcaption>
      {shown.map((bar) => (
        <Bar key={bar.name} label={bar.name} value={bar.share} max={1} text={percent(bar.share)} />
      ))}
    </figure>
  );
};

export const DashboardPage = ({ threshold }: { threshold: number }) => {
  // Undefined until chosen: the first request names no month, and the API answers its latest closed one.
  const [period, setPeriod] = useState<string | undefined>(undefined);
  const [latestClosed, setLatestClosed] = useState<string | undefined>(undefined);
  const overview = useResource(async () => {
    const data = await unwrap(
      api().GET('/analytics/dashboard/overview', { params: { query: period ? { period } : {} } }),
    );
    if (period === undefined) setLatestClosed(data.period);
    return data;
  }, [period]);
  const months = latestClosed ? pickableMonths(latestClosed) : [];
  return (
    <Page
      title="Department dashboard"
      intro="Anonymous statistics of your departments for a closed month. A number that could point to a person is hidden."
    >
      {months.length > 0 ? (
        <div class="field">
          <label for="period">Month</label>
          <select
            id="period"
            value={period ?? latestClosed}
            onChange={(e) => setPeriod(e.currentTarget.value)}
          >
            {months.map((month) => (
              <option key={month} value={month}>
                {monthName(month)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <Loaded resource={overview} what="the dashboard">
        {(data) => (
          <>
            {data.departments.some((cell) => cell.suppressed) ? (
              <p class="hint" data-testid="why-hidden">
                A department is hidden when fewer than {threshold} people took part in it, and also when its
                numbers, beside the others, would let a smaller department&apos;s be worked out. Which of the
                two is never said: that too would tell something.
              </p>
            ) : null}
            <div class="departments">
              {data.departments.length === 0 ? (
                <p>You manage no department with data for this month.</p>
              ) : null}
              <SentimentChart
                cells={data.departments.filter((cell): cell is VisibleDepartment => !cell.suppressed)}
                period={data.period}
              />
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
                  <DepartmentCard key={cell.departmentId} cell={cell} period={data.period} />
                ),
              )}
            </div>
          </>
        )}
      </Loaded>
    </Page>
  );
};
