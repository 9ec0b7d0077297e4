import { randomUUID } from 'node:crypto';
import { createDepartmentRoute } from '#contract/routes/departments.ts';
import { systemClock } from '#domain/clock.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { createDepartment, DepartmentNameTakenError } from '#data/department-repository.ts';
import { departmentReferenceProblems } from '#data/department-tree.ts';
import { conflict, validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';

/** Creates a department; the name is unique (409), managers must be users, the parent must exist. */
export const handler = createApiHandler(createDepartmentRoute, async (request) => {
  const { name, description, managerIds = [], parentId } = request.body;
  const id = randomUUID();
  const problems = await departmentReferenceProblems(id, managerIds, parentId);
  if (problems.length > 0) throw validationFailed(problems);

  const now = systemClock.now().toISOString();
  const department = {
    id,
    name,
    ...(description ? { description } : {}),
    managerIds: [...new Set(managerIds)],
    ...(parentId ? { parentId } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const audit = auditRecord(
    {
      resourceType: 'department',
      resourceId: id,
      status: 201,
    },
    request,
  );
  try {
    await createDepartment(department, audit);
  } catch (error) {
    if (error instanceof DepartmentNameTakenError)
      throw conflict('A department with this name already exists.');
    throw error;
  }
  return created(department);
});
