import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import { formatDate, Notice, Page, Problem, useAction } from '../ui/kit.tsx';

type ExportPart = paths['/users/me/export']['get']['responses'][200]['content']['application/json'];

/** Every part of the export, merged into one document (parts exist only because of Lambda's 6 MB limit). */
const exportAll = async (): Promise<ExportPart[]> => {
  const parts: ExportPart[] = [];
  let cursor: string | undefined;
  do {
    const part = await unwrap(api().GET('/users/me/export', { params: { query: cursor ? { cursor } : {} } }));
    parts.push(part);
    cursor = part.complete ? undefined : (part.nextCursor ?? undefined);
  } while (cursor);
  return parts;
};

const download = (name: string, content: string) => {
  const url = URL.createObjectURL(new Blob([content], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

export const MyDataPage = ({ graceDays, onErased }: { graceDays: number; onErased: () => void }) => {
  const [exported, setExported] = useState<string | undefined>(undefined);
  const exporter = useAction(async () => {
    const parts = await exportAll();
    download(`my-data-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify({ parts }, null, 2));
    setExported(`Downloaded ${parts.length} part${parts.length === 1 ? '' : 's'}.`);
  });
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [scheduled, setScheduled] = useState<string | undefined>(undefined);
  const eraser = useAction(async () => {
    const answer = await unwrap(api().DELETE('/users/me'));
    setScheduled(answer.purgeAfter);
  });
  return (
    <Page
      title="My data"
      intro="Download everything the service holds about you, or ask for it to be erased."
    >
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">Download my data</h2>
        <p>
          One JSON file: your profile, consents, questionnaires, analyses, EmoBuddy sessions and your access
          log.
        </p>
        <Problem error={exporter.error} />
        {exported ? <Notice kind="success">{exported}</Notice> : null}
        <button type="button" onClick={() => void exporter.run()} disabled={exporter.busy}>
          {exporter.busy ? 'Preparing…' : 'Download my data'}
        </button>
      </section>
      <section class="card danger" aria-labelledby="erase-title">
        <h2 id="erase-title">Erase my account</h2>
        <p>
          Your access ends at once and you are signed out everywhere. Everything about you is deleted for good
          after{' '}
          <strong>
            {graceDays} day{graceDays === 1 ? '' : 's'}
          </strong>
          .
        </p>
        {scheduled ? (
          <>
            <Notice kind="warning">
              Erasure scheduled. Your data will be deleted after {formatDate(scheduled)}.
            </Notice>
            <button type="button" onClick={onErased}>
              Leave the console
            </button>
          </>
        ) : confirming ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void eraser.run();
            }}
          >
            <div class="field">
              <label for="erase-confirm">Type ERASE to confirm</label>
              <input
                id="erase-confirm"
                autoComplete="off"
                value={typed}
                onInput={(e) => setTyped(e.currentTarget.value)}
              />
            </div>
            <Problem error={eraser.error} />
            <div class="actions">
              <button type="submit" class="danger" disabled={typed !== 'ERASE' || eraser.busy}>
                {eraser.busy ? 'Erasing…' : 'Erase my account'}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            Erase my account…
          </button>
        )}
      </section>
    </Page>
  );
};
