import type { ErrorDetail } from '#contract/common.ts';
import type { UserProfile } from '#contract/user-profile.ts';
import { hasRole, isSelf } from './access-policy.ts';
import type { Principal } from './principal.ts';

/** Fields a user may change on their own profile. */
export const SELF_EDITABLE = ['fullName'] as const;
/** Organisation fields only an admin may change. */
export const ADMIN_EDITABLE = ['jobTitle', 'departmentId', 'isActive'] as const;
export type EditableField = (typeof SELF_EDITABLE)[number] | (typeof ADMIN_EDITABLE)[number];

export interface ProfileChanges {
  fullName?: string | undefined;
  jobTitle?: string | null | undefined;
  departmentId?: string | null | undefined;
  isActive?: boolean | undefined;
}

/** What this caller may edit on this profile: nothing unless self or admin. */
export const editableFields = (principal: Principal, subjectId: string): Set<EditableField> => {
  const fields = new Set<EditableField>();
  if (isSelf(principal, subjectId)) SELF_EDITABLE.forEach((f) => fields.add(f));
  if (hasRole(principal, 'admin')) ADMIN_EDITABLE.forEach((f) => fields.add(f));
  return fields;
};

/** One 400 detail per field the caller sent but may not change. */
export const fieldsNotEditable = (changes: ProfileChanges, editable: Set<EditableField>): ErrorDetail[] =>
  (Object.keys(changes) as EditableField[])
    .filter((field) => changes[field] !== undefined && !editable.has(field))
    .map((field) => ({
      field: `body.${field}`,
      code: 'field_not_editable',
      message: 'you may not change this field',
    }));

/**
 * Why a profile takes no change at all, if it does not: an account pending erasure is the user's own
 * decision, closed for good (docs/privacy.md) — nobody reopens or edits it, admins included.
 */
export const profileChangeRefusal = (profile: UserProfile): string | undefined =>
  profile.accountState === 'erasure_pending'
    ? 'The user asked for their account to be erased; it is closed and takes no changes, and cannot be reopened.'
    : undefined;

/**
 * The profile after the changes (null removes an optional field), one version on. `isActive` moves the
 * account between `active` and `deactivated` (the deactivation time in `deletedAt`); never call it for
 * a profile that profileChangeRefusal refuses.
 */
export const applyProfileChanges = (
  profile: UserProfile,
  changes: ProfileChanges,
  now: Date,
): UserProfile => {
  const next: UserProfile = { ...profile, updatedAt: now.toISOString(), version: profile.version + 1 };
  if (changes.fullName !== undefined) next.fullName = changes.fullName;
  if (changes.isActive !== undefined && changes.isActive !== profile.isActive) {
    next.isActive = changes.isActive;
    next.accountState = changes.isActive ? 'active' : 'deactivated';
    if (changes.isActive) delete next.deletedAt;
    else next.deletedAt = now.toISOString();
  }
  for (const field of ['jobTitle', 'departmentId'] as const) {
    const value = changes[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
};

/** Field names that actually changed, for the audit record (names only, never values). */
export const changedFields = (before: UserProfile, after: UserProfile): string[] =>
  [...SELF_EDITABLE, ...ADMIN_EDITABLE].filter((field) => before[field] !== after[field]);
