import { listSessionsRoute } from '#contract/routes/emo-buddy.ts';
import { systemClock } from '#domain/clock.ts';
import { listSessions } from '#data/emo-buddy-repository.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/** My sessions, newest first. */
export const handler = createApiHandler(listSessionsRoute, async ({ principal, query }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const scope = `emo-buddy.listSessions:${principal.sub}`;
  const page = await listSessions(principal.sub, {
    limit: query.limit,
    startKey: openCursor(query.cursor, scope),
    now: systemClock.now(),
  });
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
