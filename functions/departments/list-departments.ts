import { listDepartmentsRoute } from '#contract/routes/departments.ts';
import { listDepartments } from '#data/department-repository.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/** Departments by name, for every signed-in user (organisation structure, no personal data). */
export const handler = createApiHandler(listDepartmentsRoute, async ({ query }) => {
  const scope = 'departments.list';
  const page = await listDepartments(query.limit, openCursor(query.cursor, scope));
  return ok({ items: page.items, nextCursor: sealCursor(page.lastEvaluatedKey, scope) });
});
