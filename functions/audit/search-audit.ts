import { searchAuditRoute } from '#contract/routes/audit.ts';
import { canSearchAudit, hasRole } from '#domain/access-policy.ts';
import { planAuditSearch, type AuditSource } from '#domain/audit-visibility.ts';
import { systemClock } from '#domain/clock.ts';
import { auditDays, toUtcIso } from '#domain/time-range.ts';
import { auditPage, writeAudit, type AuditPartition } from '#data/audit-repository.ts';
import { deniedError } from '#http/access.ts';
import { unauthenticated, validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/** Where a search stopped: which of its partitions, and the start key inside it. */
interface SearchState extends Record<string, unknown> {
  d: number;
  k?: Record<string, unknown>;
}

/** The partitions a source is read from, newest first; a search across subjects spans ≤ 31 days. */
const partitionsOf = (source: AuditSource, days: string[]): AuditPartition[] => {
  switch (source.kind) {
    case 'partition':
      return [{ kind: 'subject', subject: source.partition }];
    case 'administrativePartition':
      return [{ kind: 'administrativeOfSubject', subject: source.partition }];
    case 'days':
      return days.map((day) => ({ kind: 'day', day }));
    case 'administrativeMonths':
      return [...new Set(days.map((day) => day.slice(0, 7)))].map((month) => ({
        kind: 'administrativeOfMonth',
        month,
      }));
  }
};

/**
 * Audit search, newest first: by subject over any time range, or across subjects over at most 31 days;
 * optionally by actor. The auditor searches the full trail; an admin only administrative records
 * (shared/domain/audit-visibility.ts), plus everything about themselves (subjectId = own id) and
 * everything they did (actorId = own id). Each admin search reads only index partitions that hold
 * nothing else, so pages are never thinned out after the read. Every search is itself audited (filed
 * under the subject searched for, so it shows in their access log), before the page is returned.
 */
export const handler = createApiHandler(searchAuditRoute, async (request) => {
  const { principal, query } = request;
  const decision = canSearchAudit(principal);
  if (!decision.allowed) throw deniedError(decision);
  if (principal.kind !== 'user') throw unauthenticated();
  const viewer = { sub: principal.sub, fullTrail: hasRole(principal, 'auditor') };
  const source = planAuditSearch(viewer, query);
  const from = toUtcIso(query.from);
  const to = toUtcIso(query.to);
  let partitions: AuditPartition[];
  let bounds = { from, to };
  if (query.subjectId) {
    if (from && to && from > to)
      throw validationFailed([{ field: 'query.from', code: 'after_to', message: 'must not be after `to`' }]);
    partitions = partitionsOf(source, []);
  } else {
    const range = auditDays(query.from, query.to, systemClock.now());
    if ('problems' in range) throw validationFailed(range.problems);
    partitions = partitionsOf(source, range.days);
    bounds = { from: range.from, to: range.to };
  }

  const scope = `audit.search:${principal.sub}:${source.kind}:${query.subjectId ?? '*'}:${query.actorId ?? '*'}:${query.from ?? ''}:${query.to ?? ''}`;
  let state = (openCursor(query.cursor, scope) as SearchState | undefined) ?? { d: 0 };
  const items = [];
  while (state.d < partitions.length && items.length < query.limit) {
    const page = await auditPage(partitions[state.d]!, {
      ...bounds,
      actorId: query.actorId,
      limit: query.limit - items.length,
      startKey: state.k,
    });
    items.push(...page.items);
    state = page.lastEvaluatedKey ? { d: state.d, k: page.lastEvaluatedKey } : { d: state.d + 1 };
  }
  await writeAudit(
    {
      resourceType: 'audit_trail',
      ...(query.subjectId ? { resourceId: query.subjectId, subjectId: query.subjectId } : {}),
      status: 200,
      ...(query.actorId ? { reason: `actor:${query.actorId}` } : {}),
    },
    request,
  );
  return ok({ items, nextCursor: state.d < partitions.length ? sealCursor(state, scope) : null });
});
