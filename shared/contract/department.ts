import * as z from 'zod/mini';

export const Department = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.optional(z.string()),
    /** Users who manage this department; their reach follows this list at once. */
    managerIds: z.array(z.string()),
    parentId: z.optional(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  }),
);
export type Department = z.infer<typeof Department>;
