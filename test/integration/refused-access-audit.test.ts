import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routeTable } from '#contract/routes.ts';
import { api, bearer } from './support/api.ts';
import { registerAccount, type Account } from './support/accounts.ts';
import { json } from './support/scenario-kit.ts';

/**
 * Every refused access to another user's data leaves an audit record, whatever the status code (403,
 * or 404 where existence would leak), filed under the user it was aimed at so it shows in their access
 * log (issue 13, attack 10). Generated from the route table: a route reaches another user's data when
 * its path or query names a user (`{user_id}`, `subjectId`), a session or an alert (owned by a user), or
 * its body names the user (`userId`). A new route of that kind fails here until it has a refusal below.
 */
interface Refusal {
  /** Who tries, against whom, and the status they get. */
  refuser: (w: World) => Account;
  victim: (w: World) => Account;
  request: (w: World) => { path: string; init?: RequestInit };
  status: 403 | 404;
}

interface World {
  victim: Account;
  other: Account;
  admin: Account;
  clinician: Account;
  sessionId: string;
  ownAlertId: string;
}

const reachesUserData = (route: (typeof routeTable)[number]): boolean => {
  if (/\{(user_id|session_uuid|alert_id)\}/.test(route.path)) return true;
  const named = (schema: z.ZodMiniType | undefined, field: string) =>
    schema !== undefined &&
    field in
      ((z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: object })
        .properties ?? {});
  return named(route.request.query, 'subjectId') || named(route.request.body, 'userId');
};

const analysisOf = (userId: string, type: string) => ({
  userId,
  sentiment: { label: 'neutral', score: 0.5 },
  emotions: { neutral: 1 },
  model: { name: 'refusal', version: '1' },
  analyzedAt: new Date().toISOString(),
  ...(type === 'speech' ? { durationSec: 3 } : {}),
  ...(type === 'video' ? { facialEmotions: { neutral: 0.8 }, framesAnalysed: 10, durationSec: 3 } : {}),
});

const byOther = { refuser: (w: World) => w.other, victim: (w: World) => w.victim };

const REFUSALS: Record<string, Refusal> = {
  'users.get': { ...byOther, status: 403, request: (w) => ({ path: `/users/${w.victim.id}` }) },
  'users.update': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/users/${w.victim.id}`, init: json('PUT', { version: 1, fullName: 'Taken' }) }),
  },
  'users.setRoles': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/users/${w.victim.id}/roles`, init: json('PUT', { roles: ['admin'] }) }),
  },
  'users.deactivate': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/users/${w.victim.id}`, init: { method: 'DELETE' } }),
  },
  'audit.search': { ...byOther, status: 403, request: (w) => ({ path: `/audit?subjectId=${w.victim.id}` }) },
  ...Object.fromEntries(
    (['chat', 'speech', 'video'] as const).flatMap((type) => {
      const name = type[0]!.toUpperCase() + type.slice(1);
      return [
        [
          `analyses.store${name}`,
          {
            ...byOther,
            status: 403,
            request: (w: World) => ({
              path: `/analyses/${type}`,
              init: json('POST', analysisOf(w.victim.id, type)),
            }),
          },
        ],
        [
          `analyses.list${name}`,
          // An admin, this time: no role reads someone's analyses without their consent.
          {
            refuser: (w: World) => w.admin,
            victim: (w: World) => w.victim,
            status: 403,
            request: (w: World) => ({ path: `/analyses/${type}/user/${w.victim.id}` }),
          },
        ],
      ];
    }),
  ),
  'emo-buddy.postMessage': {
    ...byOther,
    status: 404,
    request: (w) => ({
      path: `/emo-buddy/sessions/${w.sessionId}/messages`,
      init: json('POST', { role: 'user', content: 'not mine' }),
    }),
  },
  'emo-buddy.listMessages': {
    ...byOther,
    status: 404,
    request: (w) => ({ path: `/emo-buddy/sessions/${w.sessionId}/messages` }),
  },
  'emo-buddy.endSession': {
    ...byOther,
    status: 404,
    request: (w) => ({ path: `/emo-buddy/sessions/${w.sessionId}/end`, init: json('PUT', {}) }),
  },
  'surveys.listByUser': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/surveys/responses/user/${w.victim.id}` }),
  },
  'surveys.burnoutTrend': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/surveys/responses/user/${w.victim.id}/burnout-trend` }),
  },
  'analytics.userSummary': {
    ...byOther,
    status: 403,
    request: (w) => ({ path: `/analytics/user/${w.victim.id}/summary` }),
  },
  // The alert is about the clinician themselves: refused as if it did not exist, on record under them.
  'alerts.update': {
    refuser: (w) => w.clinician,
    victim: (w) => w.clinician,
    status: 404,
    request: (w) => ({
      path: `/alerts/${w.ownAlertId}`,
      init: json('PUT', { status: 'acknowledged', version: 1 }),
    }),
  },
};

let world: World;

beforeAll(async () => {
  const [victim, other, admin, clinician, colleague] = await Promise.all([
    registerAccount([], 'refused-victim'),
    registerAccount([], 'refused-other'),
    registerAccount(['admin'], 'refused-admin'),
    registerAccount(['clinician'], 'refused-clinician'),
    registerAccount(['clinician'], 'refused-colleague'),
  ]);
  const session = await api('/emo-buddy/sessions', { method: 'POST', headers: bearer(victim.accessToken) });
  expect(session.status, session.text).toBe(201);
  // The clinician's own PHQ-9 with item 9 > 0 raises an alert about them; a colleague finds its id.
  const answers = { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 1 };
  const submitted = await api('/surveys/responses', {
    ...json('POST', { instrument: 'phq9', answers }),
    headers: { 'Content-Type': 'application/json', ...bearer(clinician.accessToken) },
  });
  expect(submitted.status, submitted.text).toBe(201);
  let ownAlertId: string | undefined;
  let cursor: string | null = null;
  do {
    const page = await api(
      `/alerts?status=open&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      {
        headers: bearer(colleague.accessToken),
      },
    );
    const items = page.json.items as Array<{ id: string; userId: string }>;
    ownAlertId = items.find((a) => a.userId === clinician.id)?.id;
    cursor = page.json.nextCursor as string | null;
  } while (!ownAlertId && cursor);
  if (!ownAlertId) throw new Error('the clinician’s alert was not listed for the colleague');
  world = { victim, other, admin, clinician, sessionId: session.json.id, ownAlertId };
});

describe('refused access to another user’s data is audited', () => {
  const routes = routeTable.filter(reachesUserData);

  it('has a refusal for every route that reaches another user’s data', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => !REFUSALS[r.id] && r.id !== 'analyses.storeBatch').map((r) => r.id)).toEqual(
      [],
    );
  });

  for (const route of routes) {
    const refusal = REFUSALS[route.id];
    if (!refusal) continue; // reported above (the batch is machine-only: users are refused by the gateway)
    it(`${route.method} ${route.path}: ${refusal.status}, on record in the subject’s access log`, async () => {
      const { path, init = {} } = refusal.request(world);
      const refuser = refusal.refuser(world);
      const response = await api(path, {
        ...init,
        method: init.method ?? route.method,
        headers: { ...(init.headers as Record<string, string> | undefined), ...bearer(refuser.accessToken) },
      });
      expect(response.status, response.text).toBe(refusal.status);
      const requestId = (response.json as { error: { requestId: string } }).error.requestId;
      const log = await api('/users/me/access-log?limit=100', {
        headers: bearer(refusal.victim(world).accessToken),
      });
      const record = (log.json.items as Array<Record<string, unknown>>).find(
        (e) => e.requestId === requestId,
      );
      expect(record, `no audit record of request ${requestId}`).toMatchObject({
        actor: expect.objectContaining({ id: refuser.id }),
        subjectId: refusal.victim(world).id,
        outcome: 'denied',
        status: refusal.status,
      });
    });
  }
});
