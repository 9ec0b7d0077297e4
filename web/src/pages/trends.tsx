import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { Bar, LineChart } from '../ui/chart.tsx';
import { formatBand, formatDay, Loaded, Page, useResource } from '../ui/kit.tsx';

type Trend =
  paths['/surveys/responses/user/{user_id}/burnout-trend']['get']['responses'][200]['content']['application/json'];
type Responses =
  paths['/surveys/responses/user/{user_id}']['get']['responses'][200]['content']['application/json']['items'];

const INSTRUMENT_SERIES = [
  { id: 'phq9', label: 'PHQ-9 (depression, 0–27)', color: '#7a3e9d', range: [0, 27] as [number, number] },
  { id: 'gad7', label: 'GAD-7 (anxiety, 0–21)', color: '#b5540a', range: [0, 21] as [number, number] },
  { id: 'who5', label: 'WHO-5 (wellbeing, 0–100)', color: '#1d6f42', range: [0, 100] as [number, number] },
];

const RISK_WORDS: Record<string, string> = {
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
  insufficient_data: 'Not enough data yet',
};

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** Every response of the user, oldest first (the list is paginated; a person has few). */
const allResponses = async (userId: string): Promise<Responses> => {
  const items: Responses = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api().GET('/surveys/responses/user/{user_id}', {
        params: { path: { user_id: userId }, query: { limit: '100', ...(cursor ? { cursor } : {}) } },
      }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
};

export const RiskExplained = ({ risk }: { risk: Trend['risk'] }) => {
  const largest = Math.max(1, ...risk.factors.map((f) => Math.abs(f.contribution)));
  return (
    <section aria-labelledby="risk-title" class="card">
      <h2 id="risk-title">Burnout risk</h2>
      <p class={`risk risk-${risk.level}`} data-testid="risk-level">
        {RISK_WORDS[risk.level] ?? risk.level}
        {risk.score !== null ? ` — ${Math.round(risk.score)} of 100` : ''}
      </p>
      {risk.factors.length > 0 ? (
        <>
          <h3>What it is made of</h3>
          <p class="hint">Each input, its value and the points it added to the score.</p>
          {risk.factors.map((factor) => (
            <Bar
              key={factor.name}
              label={`${factor.name} (${factor.value})`}
              value={Math.abs(factor.contribution)}
              max={largest}
              text={`${factor.contribution.toFixed(1)} points`}
            />
          ))}
        </>
      ) : null}
      {risk.missing.length > 0 ? <p>No data yet for: {risk.missing.join(', ')}.</p> : null}
      <h3>What this number can and cannot tell</h3>
      <p>{risk.disclaimer}</p>
      <p class="hint">Model: {risk.model}</p>
    </section>
  );
};

/** A person's trends: the burnout series and the questionnaires over time. Also what a clinician sees. */
export const PersonTrends = ({ userId }: { userId: string }) => {
  const trend = useResource(
    () =>
      unwrap(
        api().GET('/surveys/responses/user/{user_id}/burnout-trend', {
          params: { path: { user_id: userId } },
        }),
      ),
    [userId],
  );
  const responses = useResource(() => allResponses(userId), [userId]);
  return (
    <>
      <Loaded resource={trend} what="the burnout trend">
        {(data) => (
          <>
            <RiskExplained risk={data.risk} />
            <LineChart
              title="Burnout (Copenhagen Burnout Inventory, 0–100)"
              x={data.series.map((p) => seconds(p.at))}
              series={[
                { label: 'Work-related', values: data.series.map((p) => p.work), color: '#b3261e' },
                { label: 'Personal', values: data.series.map((p) => p.personal), color: '#1a5fb4' },
              ]}
              yRange={[0, 100]}
            />
            <p>
              {data.slopeBasis.status === 'ok'
                ? `Work-related burnout changes by about ${data.slopePer30Days.work?.toFixed(1) ?? '—'} points per 30 days.`
                : `No trend line yet: ${data.slopeBasis.reason ?? 'not enough responses'}.`}
              {data.latest ? ` Latest: ${formatDay(data.latest.at)}, ${formatBand(data.latest.band)}.` : ''}
            </p>
          </>
        )}
      </Loaded>
      <Loaded resource={responses} what="the questionnaires">
        {(items) =>
          INSTRUMENT_SERIES.map((instrument) => {
            const points = items.filter((r) => r.instrument === instrument.id && r.scores.total !== null);
            return (
              <LineChart
                key={instrument.id}
                title={instrument.label}
                x={points.map((p) => seconds(p.submittedAt))}
                series={[
                  { label: 'Score', values: points.map((p) => p.scores.total), color: instrument.color },
                ]}
                yRange={instrument.range}
              />
            );
          })
        }
      </Loaded>
    </>
  );
};

export const TrendsPage = ({ userId }: { userId: string }) => (
  <Page
    title="My trends"
    intro="Your own questionnaire results over time. Only you, and clinicians you chose, can see them."
  >
    <PersonTrends userId={userId} />
  </Page>
);
