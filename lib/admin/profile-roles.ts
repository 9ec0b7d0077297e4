import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Group } from '../../shared/contract/identity.ts';
import type { UserProfile } from '../../shared/contract/user-profile.ts';
import { auditPut } from '../../shared/data/audit-repository.ts';
import { documentClient, tableName } from '../../shared/data/client.ts';
import { keys } from '../../shared/data/keys.ts';
import type { AuditRecord } from '../../shared/domain/audit.ts';

/** The profile changed (or vanished) since it was read: optimistic locking lost. */
export class ProfileVersionConflict extends Error {
  override name = 'ProfileVersionConflict';
}

/**
 * Sets a profile's roles, bumping `version` and `updatedAt`, conditional on the version read, in one
 * transaction with its audit record. (A candidate for shared/data/user-repository.ts once the users
 * routes need the same write.)
 */
export const updateProfileRoles = async (
  profile: UserProfile,
  roles: readonly Group[],
  at: string,
  audit: AuditRecord,
): Promise<UserProfile> => {
  const updated: UserProfile = { ...profile, roles: [...roles], updatedAt: at, version: profile.version + 1 };
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: keys.userProfile(profile.id),
              UpdateExpression: 'SET #roles = :roles, #updatedAt = :updatedAt, #version = :next',
              ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
              ExpressionAttributeNames: {
                '#roles': 'roles',
                '#updatedAt': 'updatedAt',
                '#version': 'version',
              },
              ExpressionAttributeValues: {
                ':roles': updated.roles,
                ':updatedAt': updated.updatedAt,
                ':next': updated.version,
                ':expected': profile.version,
              },
            },
          },
          auditPut(audit),
        ],
      }),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed')
      throw new ProfileVersionConflict(`profile ${profile.id} is no longer at version ${profile.version}`);
    throw error;
  }
  return updated;
};
