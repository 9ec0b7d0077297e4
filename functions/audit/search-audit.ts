import { auditRoutes } from '#contract/routes/audit.ts';
import { systemClock } from '#domain/clock.ts';
import { auditDays, toUtcIso } from '#domain/time-range.ts';
import { auditOfDay, auditOfSubject } from '#data/audit-repository.ts';
import { validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/**
 * Audit search for admins, newest first: by subject over any time range, or across subjects one day at
 * a time over at most 31 days; optionally by actor. Records carry ids only, never health values.
 */
export const handler = createApiHandler(auditRoutes.searchAudit, async ({ query }) => {
  const scope = `audit.search:${query.subjectId ?? '*'}:${query.actorId ?? '*'}:${query.from ?? ''}:${query.to ?? ''}`;
  const base = {
    limit: query.limit,
    from: toUtcIso(query.from),
    to: toUtcIso(query.to),
    actorId: query.actorId,
  };
  if (query.subjectId) {
    const page = await auditOfSubject(query.subjectId, {
      ...base,
      startKey: openCursor(query.cursor, scope),
    });
    return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
  }
  const range = auditDays(query.from, query.to, systemClock.now());
  if ('problems' in range) throw validationFailed(range.problems);
  let state = (openCursor(query.cursor, scope) as { d: number; k?: Record<string, unknown> } | undefined) ?? {
    d: 0,
  };
  const items = [];
  while (state.d < range.days.length && items.length < query.limit) {
    const page = await auditOfDay(range.days[state.d]!, {
      ...base,
      from: range.from,
      to: range.to,
      limit: query.limit - items.length,
      startKey: state.k,
    });
    items.push(...page.items);
    state = page.lastEvaluatedKey ? { d: state.d, k: page.lastEvaluatedKey } : { d: state.d + 1 };
  }
  return ok({ items, nextCursor: state.d < range.days.length ? sealCursor(state, scope) : null });
});
