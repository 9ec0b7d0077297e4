import { accessLogRoute } from '#contract/routes/privacy.ts';
import { toUtcIso } from '#domain/time-range.ts';
import { auditOfSubject } from '#data/audit-repository.ts';
import { unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/** Every audit record about me — who read or changed my data, when, from where, with what outcome. */
export const handler = createApiHandler(accessLogRoute, async ({ principal, query }) => {
  if (principal.kind !== 'user') throw unauthenticated();
  const scope = `${accessLogRoute.id}:${principal.sub}:${query.from ?? ''}:${query.to ?? ''}`;
  const page = await auditOfSubject(principal.sub, {
    limit: query.limit,
    from: toUtcIso(query.from),
    to: toUtcIso(query.to),
    startKey: openCursor(query.cursor, scope),
  });
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
