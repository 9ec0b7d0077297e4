import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { formatDate, MoreButton, Page, Problem, useAction, usePages } from '../ui/kit.tsx';

type Alert = paths['/alerts']['get']['responses'][200]['content']['application/json']['items'][number];
type Status = 'open' | 'acknowledged' | 'resolved';
const TABS: Status[] = ['open', 'acknowledged', 'resolved'];

const REASONS: Record<string, string> = {
  suicidal_ideation: 'Thoughts of self-harm reported',
  crisis: 'Crisis signal',
  self_harm: 'Self-harm signal',
  severity_jump: 'Sudden worsening',
};

const SOURCES: Record<string, string> = {
  survey_response: 'questionnaire',
  chat_analysis: 'chat analysis',
  speech_analysis: 'speech analysis',
  video_analysis: 'video analysis',
  emo_buddy_message: 'EmoBuddy message',
};

const AlertActions = ({ alert, changed }: { alert: Alert; changed: () => void }) => {
  const [note, setNote] = useState('');
  const next = alert.status === 'open' ? 'acknowledged' : 'resolved';
  const act = useAction(async () => {
    await unwrap(
      api().PUT('/alerts/{alert_id}', {
        params: { path: { alert_id: alert.id } },
        body: { status: next, version: alert.version, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    );
    changed();
  });
  const noteId = `note-${alert.id}`;
  return (
    <form
      class="alert-actions"
      onSubmit={(event) => {
        event.preventDefault();
        void act.run();
      }}
    >
      {next === 'resolved' ? (
        <div class="field">
          <label for={noteId}>Note (what was done)</label>
          <textarea
            id={noteId}
            rows={2}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
      ) : null}
      <Problem error={act.error} />
      <button type="submit" disabled={act.busy}>
        {next === 'acknowledged' ? 'Acknowledge' : 'Resolve'}
      </button>
    </form>
  );
};

export const AlertsPage = () => {
  const [status, setStatus] = useState<Status>('open');
  const pages = usePages(
    (cursor) =>
      unwrap(
        api().GET('/alerts', { params: { query: { status, limit: '25', ...(cursor ? { cursor } : {}) } } }),
      ),
    [status],
  );
  return (
    <Page
      title="Risk alerts"
      intro="Alerts raised for people who need attention. Acknowledge an open alert, then resolve it with a note."
    >
      <div class="tabs" role="group" aria-label="Alert status">
        {TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            class="tab"
            aria-pressed={status === tab}
            onClick={() => setStatus(tab)}
          >
            {tab[0]!.toUpperCase() + tab.slice(1)}
          </button>
        ))}
      </div>
      <button type="button" class="secondary" onClick={() => void pages.reload()} disabled={pages.loading}>
        Refresh
      </button>
      <Problem error={pages.error} />
      <ul class="alerts" aria-live="polite">
        {pages.items.map((alert) => (
          <li key={alert.id} class="card alert-item">
            <h2>{alert.reasons.map((reason) => REASONS[reason] ?? reason).join(', ')}</h2>
            <dl class="facts">
              <dt>Raised</dt>
              <dd>{formatDate(alert.createdAt)}</dd>
              <dt>From</dt>
              <dd>{SOURCES[alert.source.type] ?? alert.source.type}</dd>
              <dt>Person</dt>
              <dd>
                <a href={`/clinician/people/${encodeURIComponent(alert.userId)}`}>Open their trends</a>
              </dd>
              {alert.acknowledgedAt ? (
                <>
                  <dt>Acknowledged</dt>
                  <dd>{formatDate(alert.acknowledgedAt)}</dd>
                </>
              ) : null}
              {alert.resolvedAt ? (
                <>
                  <dt>Resolved</dt>
                  <dd>{formatDate(alert.resolvedAt)}</dd>
                </>
              ) : null}
              {alert.note ? (
                <>
                  <dt>Note</dt>
                  <dd class="note">{alert.note}</dd>
                </>
              ) : null}
            </dl>
            {alert.status !== 'resolved' ? (
              <AlertActions alert={alert} changed={() => void pages.reload()} />
            ) : null}
          </li>
        ))}
      </ul>
      {!pages.loading && pages.items.length === 0 ? <p>No {status} alerts.</p> : null}
      <MoreButton pages={pages} />
    </Page>
  );
};
