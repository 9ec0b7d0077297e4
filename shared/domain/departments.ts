import type { ErrorDetail } from '#contract/common.ts';

/** Deepest department tree we accept; also bounds the walk that looks for cycles. */
export const MAX_DEPARTMENT_DEPTH = 32;

/**
 * Problems with a proposed parent: itself, or one of its own descendants (a cycle), or a chain deeper
 * than we accept. `ancestorsOfParent` is the parent's chain upwards (parent first).
 */
export const parentProblems = (
  departmentId: string,
  parentId: string,
  ancestorsOfParent: readonly string[],
): ErrorDetail[] => {
  if (parentId === departmentId || ancestorsOfParent.includes(departmentId)) {
    return [{ field: 'body.parentId', code: 'cycle', message: 'would make the department its own ancestor' }];
  }
  if (ancestorsOfParent.length >= MAX_DEPARTMENT_DEPTH) {
    return [
      {
        field: 'body.parentId',
        code: 'too_deep',
        message: `departments nest at most ${MAX_DEPARTMENT_DEPTH} deep`,
      },
    ];
  }
  return [];
};
