/**
 * Follows a paginated AWS list call to the end. Cognito returns everything in one page locally
 * (cognito-local) and at most 60 per page in AWS; a repeated token is a bug, not an endless loop.
 */
export const collectPages = async <T>(
  fetchPage: (
    token: string | undefined,
  ) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>,
): Promise<T[]> => {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.next || undefined;
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`pagination token repeated: ${token}`);
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
};
