import * as z from 'zod/mini';
import { GROUPS } from './identity.ts';

/**
 * Whether an account may be used (docs/privacy.md, "Accounts and sessions"): `active`, `deactivated`
 * by an admin, or `erasure_pending` after the user asked for erasure (then purged: no profile at all).
 * The one field every access decision reads; `isActive` is the same fact as a boolean.
 */
export const ACCOUNT_STATES = ['active', 'deactivated', 'erasure_pending'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

/** The fields of a user's profile (GET /auth/me adds the consents to them). */
export const userProfileFields = () => ({
  /** The Cognito `sub`. */
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  departmentId: z.optional(z.string()),
  jobTitle: z.optional(z.string()),
  roles: z.array(z.enum(GROUPS)),
  /** `accountState === 'active'`. */
  isActive: z.boolean(),
  accountState: z.enum(ACCOUNT_STATES),
  /** Set when an admin deactivated the user or the user asked for erasure (soft delete). */
  deletedAt: z.optional(z.string()),
  /** Set when the user asked for erasure; every item is purged after the stage's grace period. */
  erasureRequestedAt: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int(),
});

/** A user's profile as the API returns it: identity and organisation fields, never health data. */
export const UserProfile = /* @__PURE__ */ z.lazy(() => z.object(userProfileFields()));
export type UserProfile = z.infer<typeof UserProfile>;
