import { listCliniciansRoute } from '#contract/routes/users.ts';
import { departmentNames } from '#data/department-repository.ts';
import { listClinicians } from '#data/user-repository.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';
import { openCursor, sealCursor } from '#http/pagination.ts';

/**
 * The clinician directory, for every signed-in user: the active clinicians by name with their unit,
 * so an employee can name the one they consent to (PUT /users/me/consents). Only what a staff
 * directory shows; no e-mail, roles or anything about whom they care for. Not audited: the directory is
 * organisation structure like the department list, and a record of who looked up clinicians would say
 * who is seeking care. Two round trips: the page, and its units' names (with the caller check).
 */
export const handler = createApiHandler(listCliniciansRoute, async ({ query }) => {
  const scope = listCliniciansRoute.id;
  const page = await listClinicians({ limit: query.limit, startKey: openCursor(query.cursor, scope) });
  const units = await departmentNames(page.items.flatMap((c) => (c.departmentId ? [c.departmentId] : [])));
  return ok({
    items: page.items.map((clinician) => ({
      id: clinician.id,
      displayName: clinician.displayName,
      organisationUnit: (clinician.departmentId && units.get(clinician.departmentId)) ?? null,
    })),
    nextCursor: sealCursor(page.lastEvaluatedKey, scope),
  });
});
