import * as z from 'zod/mini';

/** An audit record as the API shows it (docs/privacy.md fields; ids only, never health values). */
export const AuditEntry = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    at: z.string(),
    actor: z.object({
      /** `operator`: the platform operator through the operator CLI (id names the person and credentials). */
      type: z.enum(['user', 'machine', 'anonymous', 'operator']),
      id: z.nullable(z.string()),
      roles: z.array(z.string()),
    }),
    action: z.string(),
    // `ids`: every resource of a write that changed several at once (a batch of analyses of one user).
    resource: z.object({
      type: z.string(),
      id: z.nullable(z.string()),
      ids: z.optional(z.array(z.string())),
    }),
    subjectId: z.nullable(z.string()),
    outcome: z.enum(['allowed', 'denied']),
    status: z.int(),
    reason: z.nullable(z.string()),
    requestId: z.string(),
    sourceIp: z.string(),
    userAgent: z.string(),
  }),
);
export type AuditEntry = z.infer<typeof AuditEntry>;
