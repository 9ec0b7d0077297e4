import { listMessagesRoute } from '#contract/routes/emo-buddy.ts';
import { systemClock } from '#domain/clock.ts';
import { getOwnSession, listMessages } from '#data/emo-buddy-repository.ts';
import { notFound, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';
import { auditSessionRefusal } from './session-errors.ts';

/**
 * The messages of my session in order; expired ones are gone. Another user's session is 404, and the
 * attempt is audited (in the owner's access log).
 */
export const handler = createApiHandler(listMessagesRoute, async (request) => {
  const { principal, params, query } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  const now = systemClock.now();
  const session = await getOwnSession(principal.sub, params.session_uuid, now);
  if (!session) {
    await auditSessionRefusal(request, 'emo-buddy.listMessages', params.session_uuid);
    throw notFound('The session');
  }
  const scope = `emo-buddy.listMessages:${principal.sub}:${session.id}`;
  const page = await listMessages(session.id, {
    limit: query.limit,
    startKey: openCursor(query.cursor, scope),
    now,
  });
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
