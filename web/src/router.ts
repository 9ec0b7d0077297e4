import { signal } from '@preact/signals';

/**
 * Client-side routing on the History API. The hosting answers every path with index.html (CloudFront's
 * error responses in AWS, the local console server on `npm start`), so a deep link or a reload lands
 * on the right page.
 */
export const currentPath = signal(location.pathname);
export const currentQuery = signal(new URLSearchParams(location.search));

export const navigate = (to: string, options: { replace?: boolean } = {}): void => {
  const url = new URL(to, location.origin);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  currentPath.value = url.pathname;
  currentQuery.value = url.searchParams;
  // Focus moves to the new page's heading (the layout does it when the path changes).
};

addEventListener('popstate', () => {
  currentPath.value = location.pathname;
  currentQuery.value = new URLSearchParams(location.search);
});

/** Internal links navigate without reloading (which would drop the in-memory session). */
export const followLink = (event: MouseEvent): void => {
  const anchor = (event.target as Element | null)?.closest('a');
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
};
