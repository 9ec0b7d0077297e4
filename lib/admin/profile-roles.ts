import type { Group } from '../../shared/contract/identity.ts';
import type { UserProfile } from '../../shared/contract/user-profile.ts';
import { replaceProfile, StaleVersionError } from '../../shared/data/user-repository.ts';
import { sessionCutAt } from '../../shared/domain/account-access.ts';
import type { AuditRecord } from '../../shared/domain/audit.ts';

/** The profile changed (or vanished) since it was read: optimistic locking lost. */
export class ProfileVersionConflict extends Error {
  override name = 'ProfileVersionConflict';
}

/**
 * Sets a profile's roles, one version on, conditional on the version read, in one transaction with its
 * audit record — the same write as PUT /users/{user_id}/roles (shared/data/user-repository.ts),
 * ending every sign-in of the user with it, so tokens carrying the old groups stop working at once.
 */
export const updateProfileRoles = async (
  profile: UserProfile,
  roles: readonly Group[],
  at: string,
  audit: AuditRecord,
): Promise<UserProfile> => {
  const updated: UserProfile = { ...profile, roles: [...roles], updatedAt: at, version: profile.version + 1 };
  try {
    await replaceProfile(updated, profile.version, audit, [], { cutSessionsAt: sessionCutAt(new Date(at)) });
  } catch (error) {
    if (error instanceof StaleVersionError) {
      throw new ProfileVersionConflict(`profile ${profile.id} is no longer at version ${profile.version}`);
    }
    throw error;
  }
  return updated;
};
