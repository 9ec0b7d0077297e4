import * as z from 'zod/mini';
import { uuid } from './common.ts';

/**
 * Consents (docs/privacy.md): per purpose, versioned, time-stamped, revocable. One shape for GET/PUT
 * /users/me/consents and the `consents` of GET /auth/me. `version` 0 and `updatedAt` null mean the user
 * never changed that purpose and its default applies.
 */
export const ConsentState = /* @__PURE__ */ z.lazy(() =>
  z.object({
    clinicianAccess: z.object({
      granted: z.boolean(),
      /** Empty = every clinician; otherwise only these. */
      clinicianIds: z.array(z.string()),
      version: z.int(),
      updatedAt: z.nullable(z.string()),
    }),
    aggregateAnalytics: z.object({
      granted: z.boolean(),
      version: z.int(),
      updatedAt: z.nullable(z.string()),
    }),
  }),
);
export type ConsentState = z.infer<typeof ConsentState>;

/**
 * A change of consent. Purposes left out stay as they are. `clinicianIds` names specific clinicians;
 * empty or omitted = every clinician; it must be empty when access is revoked (revoking clears it).
 */
export const UpdateConsentsBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      clinicianAccess: z.optional(
        z.strictObject({
          granted: z.boolean(),
          clinicianIds: z.optional(z.array(uuid()).check(z.maxLength(20))),
        }),
      ),
      aggregateAnalytics: z.optional(z.strictObject({ granted: z.boolean() })),
    })
    .check(
      z.refine((body) => body.clinicianAccess !== undefined || body.aggregateAnalytics !== undefined, {
        message: 'name at least one purpose: clinicianAccess or aggregateAnalytics',
      }),
      z.refine(
        (body) => body.clinicianAccess?.granted !== false || !body.clinicianAccess.clinicianIds?.length,
        {
          message:
            'revoking clinician access clears the clinician list; send no clinicianIds with granted false',
          path: ['clinicianAccess', 'clinicianIds'],
        },
      ),
    ),
);
export type UpdateConsents = z.infer<typeof UpdateConsentsBody>;

/** One entry of a user's consent history: what the purpose was set to, by whom, when. */
export const ConsentChange = /* @__PURE__ */ z.lazy(() =>
  z.object({
    purpose: z.enum(['clinician_access', 'aggregate_analytics']),
    granted: z.boolean(),
    clinicianIds: z.optional(z.array(z.string())),
    version: z.int(),
    changedAt: z.string(),
    changedBy: z.string(),
  }),
);
export type ConsentChange = z.infer<typeof ConsentChange>;
