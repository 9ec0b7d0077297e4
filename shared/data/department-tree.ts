import { MAX_DEPARTMENT_DEPTH } from '#domain/departments.ts';
import { getDepartment } from './department-repository.ts';

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
