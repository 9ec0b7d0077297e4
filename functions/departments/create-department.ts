import { randomUUID } from 'node:crypto';
import { departmentRoutes } from '#contract/routes/departments.ts';
import type { ErrorDetail } from '#contract/common.ts';
import { systemClock } from '#domain/clock.ts';
import { parentProblems } from '#domain/departments.ts';
import { newAuditRecord } from '#data/audit-repository.ts';
import { createDepartment, DepartmentNameTakenError, unknownUserIds } from '#data/department-repository.ts';
import { chainUpwards } from '#data/department-tree.ts';
import { conflict, validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';

/** Creates a department; the name is unique (409), managers must be users, the parent must exist. */
export const handler = createApiHandler(departmentRoutes.createDepartment, async (request) => {
  const { name, description, managerIds = [], parentId } = request.body;
  const id = randomUUID();
  const problems: ErrorDetail[] = (await unknownUserIds(managerIds)).map((unknown) => ({
    field: `body.managerIds.${managerIds.indexOf(unknown)}`,
    code: 'not_found',
    message: 'no such user',
  }));
  if (parentId) {
    const chain = await chainUpwards(parentId);
    problems.push(
      ...(chain
        ? parentProblems(id, parentId, chain)
        : [{ field: 'body.parentId', code: 'not_found', message: 'no such department' }]),
    );
  }
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
  const audit = newAuditRecord(
    {
      action: 'departments.create',
      resourceType: 'department',
      resourceId: id,
      outcome: 'allowed',
      status: 201,
    },
    request,
    systemClock,
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
