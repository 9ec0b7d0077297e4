import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';
import {
  formatDate,
  Loaded,
  MoreButton,
  Page,
  Problem,
  useAction,
  usePages,
  useResource,
} from '../ui/kit.tsx';
import { CrisisPanel } from './check-in.tsx';

type Posted =
  paths['/emo-buddy/sessions/{session_uuid}/messages']['post']['responses'][201]['content']['application/json'];

const Conversation = ({
  sessionId,
  active,
  onEnded,
}: {
  sessionId: string;
  active: boolean;
  onEnded: () => void;
}) => {
  const messages = useResource(
    () =>
      unwrap(
        api().GET('/emo-buddy/sessions/{session_uuid}/messages', {
          params: { path: { session_uuid: sessionId }, query: { limit: '100' } },
        }),
      ),
    [sessionId],
  );
  const [text, setText] = useState('');
  const [crisis, setCrisis] = useState<Posted['crisisResources']>(undefined);
  const send = useAction(async () => {
    const posted = await unwrap(
      api().POST('/emo-buddy/sessions/{session_uuid}/messages', {
        params: { path: { session_uuid: sessionId } },
        body: { role: 'user', content: text },
      }),
    );
    if (posted.crisisResources) setCrisis(posted.crisisResources);
    setText('');
    messages.reload();
  });
  const [mood, setMood] = useState('');
  const end = useAction(async () => {
    await unwrap(
      api().PUT('/emo-buddy/sessions/{session_uuid}/end', {
        params: { path: { session_uuid: sessionId } },
        body: mood ? { moodAfter: Number(mood) } : {},
      }),
    );
    onEnded();
  });
  return (
    <section class="card" aria-labelledby="conversation-title">
      <h2 id="conversation-title">Conversation</h2>
      {crisis ? <CrisisPanel resources={crisis} /> : null}
      <Loaded resource={messages} what="the messages">
        {(page) => (
          <ol class="messages" aria-live="polite">
            {page.items.map((message) => (
              <li key={message.id} class={`message message-${message.role}`}>
                <span class="who">{message.role === 'user' ? 'You' : 'EmoBuddy'}</span>
                <span class="text">{message.content ?? '(text not kept)'}</span>
              </li>
            ))}
          </ol>
        )}
      </Loaded>
      {active ? (
        <>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (text.trim()) void send.run();
            }}
          >
            <div class="field">
              <label for="message">Your message</label>
              <textarea
                id="message"
                rows={3}
                maxLength={10_000}
                value={text}
                onInput={(e) => setText(e.currentTarget.value)}
              />
            </div>
            <Problem error={send.error} />
            <button type="submit" disabled={send.busy || !text.trim()}>
              {send.busy ? 'Sending…' : 'Send'}
            </button>
          </form>
          <form
            class="end-session"
            onSubmit={(event) => {
              event.preventDefault();
              void end.run();
            }}
          >
            <div class="field">
              <label for="mood">How do you feel now? (1 very low – 10 very good, optional)</label>
              <input
                id="mood"
                type="number"
                min={1}
                max={10}
                value={mood}
                onInput={(e) => setMood(e.currentTarget.value)}
              />
            </div>
            <Problem error={end.error} />
            <button type="submit" class="secondary" disabled={end.busy}>
              End this session
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
};

export const EmoBuddyPage = () => {
  const sessions = usePages((cursor) =>
    unwrap(
      api().GET('/emo-buddy/sessions', { params: { query: { limit: '20', ...(cursor ? { cursor } : {}) } } }),
    ),
  );
  const [open, setOpen] = useState<string | undefined>(undefined);
  const start = useAction(async () => {
    const session = await unwrap(api().POST('/emo-buddy/sessions'));
    await sessions.reload();
    setOpen(session.id);
  });
  const current = sessions.items.find((s) => s.id === open);
  return (
    <Page
      title="EmoBuddy"
      intro="A private space to put feelings into words. Your sessions are yours; nobody reads them."
    >
      <Problem error={start.error ?? sessions.error} />
      <button type="button" onClick={() => void start.run()} disabled={start.busy}>
        Start a new session
      </button>
      <h2>My sessions</h2>
      <ul class="sessions">
        {sessions.items.map((session) => (
          <li key={session.id}>
            <button
              type="button"
              class="link"
              aria-pressed={open === session.id}
              onClick={() => setOpen(session.id)}
            >
              {formatDate(session.startedAt)} — {session.status === 'active' ? 'active' : 'ended'},{' '}
              {session.messageCount} message{session.messageCount === 1 ? '' : 's'}
            </button>
          </li>
        ))}
      </ul>
      {!sessions.loading && sessions.items.length === 0 ? <p>No sessions yet.</p> : null}
      <MoreButton pages={sessions} />
      {current ? (
        <Conversation
          key={current.id}
          sessionId={current.id}
          active={current.status === 'active'}
          onEnded={() => void sessions.reload()}
        />
      ) : null}
    </Page>
  );
};
