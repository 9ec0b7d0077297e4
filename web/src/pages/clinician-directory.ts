import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/openapi.d.ts';

/** A clinician a user can name in a consent (the directory shows only active clinicians). */
export type Clinician =
  paths['/clinicians']['get']['responses'][200]['content']['application/json']['items'][number];

/** The whole directory, by name (an organisation has few clinicians; the list is paginated anyway). */
export const loadClinicians = async (): Promise<Clinician[]> => {
  const items: Clinician[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api().GET('/clinicians', { params: { query: { limit: '100', ...(cursor ? { cursor } : {}) } } }),
    );
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
};
