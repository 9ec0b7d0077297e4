import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as AlertRepository from '../../shared/data/alert-repository.ts';
import { api, bearer, expectEnvelope, type ApiResponse } from './support/api.ts';
import { registerAccount, type Account } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { json } from './support/scenario-kit.ts';

/**
 * Issue 13, attack 9: a clinician acknowledging and resolving the risk alert about themselves (which
 * also silenced the overdue-alert alarm). Their own alerts go to the other clinicians.
 */
interface Alert {
  id: string;
  userId: string;
  status: string;
  createdAt: string;
  version: number;
}
type Page = { items: Alert[]; nextCursor: string | null };

let clinician: Account;
let colleague: Account;
let ownAlert: Alert;
let alerts: typeof AlertRepository;
let restoreEnv: () => void = () => undefined;

const pagesOf = async (account: Account, query: string): Promise<Alert[][]> => {
  const pages: Alert[][] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse<Page> = await api<Page>(
      `/alerts?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: bearer(account.accessToken) },
    );
    expect(page.status, page.text).toBe(200);
    pages.push(page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return pages;
};

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  alerts = await import('../../shared/data/alert-repository.ts');
  [clinician, colleague] = await Promise.all([
    registerAccount(['clinician'], 'own-alert-clinician'),
    registerAccount(['clinician'], 'own-alert-colleague'),
  ]);
  // The clinician answers PHQ-9 item 9 above 0: an alert about them.
  const answers = { q1: 1, q2: 1, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 2 };
  const submitted = await api('/surveys/responses', {
    ...json('POST', { instrument: 'phq9', answers }),
    headers: { 'Content-Type': 'application/json', ...bearer(clinician.accessToken) },
  });
  expect(submitted.status, submitted.text).toBe(201);
  const seen = (await pagesOf(colleague, 'status=open&limit=100')).flat();
  ownAlert = seen.find((a) => a.userId === clinician.id)!;
  expect(ownAlert, 'the colleague sees the alert').toBeDefined();
});
afterAll(() => restoreEnv());

describe('a clinician’s own alerts', () => {
  it('are left out of every page the clinician lists, while pages still follow on', async () => {
    for (const status of ['unresolved', 'open']) {
      const pages = await pagesOf(clinician, `status=${status}&limit=3`);
      expect(pages.flat().some((a) => a.userId === clinician.id)).toBe(false);
      const ids = pages.flat().map((a) => a.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('cannot be acknowledged or resolved by them: 404 as if it did not exist, and audited', async () => {
    const tried = await api(`/alerts/${ownAlert.id}`, {
      ...json('PUT', { status: 'acknowledged', version: ownAlert.version }),
      headers: { 'Content-Type': 'application/json', ...bearer(clinician.accessToken) },
    });
    const error = expectEnvelope(tried, 404, 'NOT_FOUND');
    const log = await api('/users/me/access-log?limit=100', { headers: bearer(clinician.accessToken) });
    expect(
      (log.json.items as Array<Record<string, unknown>>).find((e) => e.requestId === error.requestId),
    ).toMatchObject({
      action: 'alerts.update',
      resource: { type: 'risk_alert', id: ownAlert.id },
      outcome: 'denied',
      status: 404,
      reason: 'own_alert',
    });
    // Still open: nothing changed.
    const stillOpen = (await pagesOf(colleague, 'status=open&limit=100')).flat();
    expect(stillOpen.find((a) => a.id === ownAlert.id)).toMatchObject({
      status: 'open',
      version: ownAlert.version,
    });
  });

  it('still count for the overdue-alert alarm, and the other clinicians handle them', async () => {
    // The alarm's count over exactly the alert's creation instant includes it (no one but the colleague may
    // have acknowledged it).
    const justAfter = new Date(new Date(ownAlert.createdAt).getTime() + 1).toISOString();
    const upTo = await alerts.countOverdueAlerts(justAfter);
    const before = await alerts.countOverdueAlerts(ownAlert.createdAt);
    expect(upTo - before).toBeGreaterThanOrEqual(1);

    const acknowledged = await api(`/alerts/${ownAlert.id}`, {
      ...json('PUT', { status: 'acknowledged', version: ownAlert.version }),
      headers: { 'Content-Type': 'application/json', ...bearer(colleague.accessToken) },
    });
    expect(acknowledged.status, acknowledged.text).toBe(200);
    expect(acknowledged.json).toMatchObject({ status: 'acknowledged', acknowledgedBy: colleague.id });
  });
});
