import { updateDepartmentRoute } from '#contract/routes/departments.ts';
import type { Department } from '#contract/department.ts';
import { systemClock } from '#domain/clock.ts';
import { auditRecord } from '#data/audit-repository.ts';
import {
  DepartmentChangedError,
  DepartmentNameTakenError,
  getDepartment,
  replaceDepartment,
} from '#data/department-repository.ts';
import { departmentReferenceProblems } from '#data/department-tree.ts';
import { conflict, notFound, validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

const stale = () =>
  conflict('The department was changed by someone else; read it again and retry with its version.');

/**
 * Renames (unique, 409), re-describes, re-parents (no cycles) or changes the managers of a department.
 * Users reference departments by id, so a rename never touches them; managers' reach follows the
 * manager list in the same transaction.
 */
export const handler = createApiHandler(updateDepartmentRoute, async (request) => {
  const id = request.params.department_id;
  const { version, name, description, managerIds, parentId } = request.body;
  const before = await getDepartment(id);
  if (!before) throw notFound('The department');

  const problems = await departmentReferenceProblems(id, managerIds, parentId);
  if (problems.length > 0) throw validationFailed(problems);
  if (version !== before.version) throw stale();

  const next: Department = {
    ...before,
    ...(name !== undefined ? { name } : {}),
    ...(managerIds !== undefined ? { managerIds: [...new Set(managerIds)] } : {}),
    updatedAt: systemClock.now().toISOString(),
    version: before.version + 1,
  };
  if (description === null) delete next.description;
  else if (description !== undefined) next.description = description;
  if (parentId === null) delete next.parentId;
  else if (parentId !== undefined) next.parentId = parentId;

  const audit = auditRecord(
    {
      resourceType: 'department',
      resourceId: id,
      status: 200,
    },
    request,
  );
  try {
    await replaceDepartment(before, next, audit);
  } catch (error) {
    if (error instanceof DepartmentNameTakenError)
      throw conflict('A department with this name already exists.');
    if (error instanceof DepartmentChangedError) throw stale();
    throw error;
  }
  return ok(next);
});
