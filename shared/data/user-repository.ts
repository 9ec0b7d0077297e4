import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { UserProfile } from '#contract/user-profile.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import { keys, stripKeys } from './keys.ts';

/** Thrown when a profile for the sub already exists (a retried registration, a trigger after the API). */
export class ProfileExistsError extends Error {
  override name = 'ProfileExistsError';
}

const profileItem = (profile: UserProfile) => ({
  ...keys.userProfile(profile.id),
  ...(profile.departmentId
    ? keys.userByDepartment(profile.departmentId, sortName(profile.fullName), profile.id)
    : {}),
  entityType: 'USER',
  ...profile,
});

/** Names go into GSI1 sort keys: lower-cased, `#` removed, bounded. */
const sortName = (name: string): string =>
  name.toLowerCase().replaceAll('#', ' ').trim().slice(0, 100) || '-';

/** Creates the profile and its audit record in one transaction; fails if the profile exists. */
export const createProfile = async (profile: UserProfile, audit: AuditRecord): Promise<void> => {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: profileItem(profile),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          auditPut(audit),
        ],
      }),
    );
  } catch (error) {
    const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new ProfileExistsError('profile exists');
    throw error;
  }
};

export const getProfile = async (sub: string): Promise<UserProfile | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.userProfile(sub) }),
  );
  if (!Item) return undefined;
  const { entityType: _type, ...rest } = stripKeys(Item);
  return UserProfile.parse(rest);
};
