import { listUsersRoute } from '#contract/routes/users.ts';
import { canViewDepartmentAggregates, hasRole } from '#domain/access-policy.ts';
import { auditAccess, writeAudit } from '#data/audit-repository.ts';
import { listProfiles, managedDepartmentIds } from '#data/user-repository.ts';
import { deniedError } from '#http/access.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/** Where a listing stopped: which of the departments, and the start key inside it. */
interface ListState extends Record<string, unknown> {
  d: number;
  k?: Record<string, unknown>;
}

/**
 * Profiles (never health data): admins list everyone or one department; managers list the departments
 * they manage — one at a time when they manage several, with the cursor carrying which one. Every
 * listing is audited (an administrative record filed under the caller) before the page is returned.
 */
export const handler = createApiHandler(listUsersRoute, async (request) => {
  const { principal, query } = request;
  if (principal.kind !== 'user') throw deniedError({ allowed: false, status: 403, reason: 'role' });
  const isAdmin = hasRole(principal, 'admin');
  const managed = isAdmin ? [] : await managedDepartmentIds(principal.sub);

  if (query.departmentId && !isAdmin) {
    const decision = canViewDepartmentAggregates(principal, query.departmentId, managed);
    if (!decision.allowed) {
      await auditAccess(
        decision,
        { resourceType: 'department', resourceId: query.departmentId, status: 403 },
        request,
      );
      throw deniedError(decision);
    }
  }
  // Which listing: one department, everyone (admins), or the manager's departments in turn.
  const departments = query.departmentId ? [query.departmentId] : isAdmin ? [undefined] : [...managed].sort();
  const scope = `users.list:${principal.sub}:${query.departmentId ?? '*'}`;
  let state = (openCursor(query.cursor, scope) as ListState | undefined) ?? { d: 0 };
  const items = [];
  while (state.d < departments.length && items.length < query.limit) {
    const page = await listProfiles({
      departmentId: departments[state.d],
      limit: query.limit - items.length,
      startKey: state.k,
    });
    items.push(...page.items);
    state = page.lastEvaluatedKey ? { d: state.d, k: page.lastEvaluatedKey } : { d: state.d + 1 };
  }
  await writeAudit(
    {
      resourceType: query.departmentId ? 'department' : 'user_listing',
      ...(query.departmentId ? { resourceId: query.departmentId } : {}),
      status: 200,
    },
    request,
  );
  return ok({ items, nextCursor: state.d < departments.length ? sealCursor(state, scope) : null });
});
