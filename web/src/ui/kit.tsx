import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from '../api/client.ts';

/**
 * The console's few building blocks. Every text that comes from a user or the API is rendered as a
 * text node by Preact (never as HTML): nothing here uses dangerouslySetInnerHTML.
 */

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `key`; `reload` runs it again. */
export const useResource = <T,>(load: () => Promise<T>, key: unknown[] = []): Resource<T> => {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) =>
        live &&
        setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...key, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
};

export const Page = ({
  title,
  children,
  intro,
}: {
  title: string;
  intro?: string;
  children: ComponentChildren;
}) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Mental Health Analytics`;
    heading.current?.focus();
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {intro ? <p class="intro">{intro}</p> : null}
      {children}
    </section>
  );
};

export const Problem = ({ error }: { error: Error | undefined }) => {
  if (!error) return null;
  const details = error instanceof ApiProblem ? error.details : [];
  return (
    <div class="notice notice-error" role="alert">
      <p>{error.message}</p>
      {details.length > 0 ? (
        <ul>
          {details.map((detail, index) => (
            <li key={index}>
              {detail.field ? <code>{detail.field}</code> : null} {detail.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    Loading {what}…
  </p>
);

/** Shows the resource's error, a loading line, or its content. */
export const Loaded = <T,>({
  resource,
  what,
  children,
}: {
  resource: Resource<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) => {
  if (resource.error) return <Problem error={resource.error} />;
  if (resource.data === undefined) return <Loading what={what} />;
  return <>{children(resource.data)}</>;
};

export const Notice = ({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warning';
  children: ComponentChildren;
}) => (
  <div class={`notice notice-${kind}`} role="status">
    {children}
  </div>
);

/** A band id as words: `moderately_severe` → `moderately severe`. */
export const formatBand = (band: string | null | undefined): string => (band ? band.replace(/_/g, ' ') : '—');

export const formatDate = (iso: string | undefined | null): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const formatDay = (iso: string): string =>
  new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** A submit handler that shows progress and the API's problem, and never double-submits. */
export const useAction = <A extends unknown[]>(action: (...args: A) => Promise<unknown>) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const run = async (...args: A) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
};

/** Cursor pagination: the pages read so far and a button for the next one. */
export const usePages = <T,>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  key: unknown[] = [],
) => {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const fetchPage = async (from: string | undefined, reset: boolean) => {
    // Only the newest request's answer is shown (a filter changed while an older one was on its way).
    const request = ++latest.current;
    setLoading(true);
    setError(undefined);
    try {
      const page = await load(from);
      if (request !== latest.current) return;
      setItems((previous) => (reset ? page.items : [...previous, ...page.items]));
      setCursor(page.nextCursor);
    } catch (caught) {
      if (request === latest.current) setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  };
  useEffect(() => {
    void fetchPage(undefined, true);
  }, key);
  return {
    items,
    error,
    loading,
    hasMore: typeof cursor === 'string',
    more: () => (typeof cursor === 'string' ? fetchPage(cursor, false) : Promise.resolve()),
    reload: () => fetchPage(undefined, true),
  };
};

export const MoreButton = ({
  pages,
}: {
  pages: { hasMore: boolean; loading: boolean; more: () => Promise<void> };
}) =>
  pages.hasMore ? (
    <button type="button" class="secondary" disabled={pages.loading} onClick={() => void pages.more()}>
      {pages.loading ? 'Loading…' : 'Show more'}
    </button>
  ) : null;
