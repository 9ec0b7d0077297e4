import type { ErrorDetail } from '#contract/common.ts';
import { MAX_DEPARTMENT_DEPTH, parentProblems } from '#domain/departments.ts';
import { getDepartment, unknownUserIds } from './department-repository.ts';

/**
 * The chain from a department upwards (itself first), or undefined when it does not exist. Stops at
 * the depth limit, so a corrupted cycle cannot loop forever.
 */
export const chainUpwards = async (departmentId: string): Promise<string[] | undefined> => {
  const first = await getDepartment(departmentId);
  if (!first) return undefined;
  const chain = [first.id];
  let parentId = first.parentId;
  while (parentId && chain.length <= MAX_DEPARTMENT_DEPTH && !chain.includes(parentId)) {
    chain.push(parentId);
    parentId = (await getDepartment(parentId))?.parentId;
  }
  return chain;
};

/**
 * What is wrong with the users and department a department would reference: managers that are not
 * users, a parent that does not exist or would make a cycle. One detail per field.
 */
export const departmentReferenceProblems = async (
  departmentId: string,
  managerIds: readonly string[] | undefined,
  parentId: string | null | undefined,
): Promise<ErrorDetail[]> => {
  const problems: ErrorDetail[] = (await unknownUserIds(managerIds ?? [])).map((unknown) => ({
    field: `body.managerIds.${managerIds!.indexOf(unknown)}`,
    code: 'not_found',
    message: 'no such user',
  }));
  if (parentId) {
    const chain = await chainUpwards(parentId);
    problems.push(
      ...(chain
        ? parentProblems(departmentId, parentId, chain)
        : [{ field: 'body.parentId', code: 'not_found', message: 'no such department' }]),
    );
  }
  return problems;
};
