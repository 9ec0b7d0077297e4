import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { UserProfile } from '#contract/user-profile.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { failedCondition, replaceVersioned } from './versioned-write.ts';
import { documentClient, tableName } from './client.ts';
import { keys, stripKeys } from './keys.ts';
import { queryAll } from './query-all.ts';

/** Thrown when a profile for the sub already exists (a retried registration, a trigger after the API). */
export class ProfileExistsError extends Error {
  override name = 'ProfileExistsError';
}

/** The profile changed since the caller read it (optimistic locking): the API answers 409. */
export class StaleVersionError extends Error {
  override name = 'StaleVersionError';
}

/** Names go into index sort keys: lower-cased, `#` removed, bounded. */
export const sortName = (name: string): string =>
  name.toLowerCase().replaceAll('#', ' ').trim().slice(0, 100) || '-';

const profileItem = (profile: UserProfile) => ({
  ...keys.userProfile(profile.id),
  ...(profile.departmentId
    ? keys.userByDepartment(profile.departmentId, sortName(profile.fullName), profile.id)
    : {}),
  ...keys.userListing(sortName(profile.fullName), profile.id),
  entityType: 'USER',
  ...profile,
});

const toProfile = (item: Record<string, unknown>): UserProfile => {
  const { entityType: _type, ...rest } = stripKeys(item);
  return UserProfile.parse(rest);
};

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
    if (failedCondition(error) === 0) throw new ProfileExistsError('profile exists');
    throw error;
  }
};

export const getProfile = async (sub: string): Promise<UserProfile | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.userProfile(sub) }),
  );
  return Item ? toProfile(Item) : undefined;
};

/**
 * Replaces the profile with `next` (whose version must be `previousVersion + 1`) and writes the audit
 * record in the same transaction; a concurrent writer that got there first makes this a StaleVersionError.
 * Index keys are rebuilt from the new profile, so a department or name change moves the user in both
 * listings at once.
 */
export const replaceProfile = async (
  next: UserProfile,
  previousVersion: number,
  audit: AuditRecord,
  extra: Parameters<typeof replaceVersioned>[3] = [],
): Promise<void> => {
  if (!(await replaceVersioned(profileItem(next), previousVersion, audit, extra))) {
    throw new StaleVersionError('profile changed');
  }
};

export interface Page<T> {
  items: T[];
  lastEvaluatedKey: Record<string, unknown> | undefined;
}

/** Every user by name (GSI2), or one department's users by name (GSI1). */
export const listProfiles = async (options: {
  departmentId?: string | undefined;
  limit: number;
  startKey: Record<string, unknown> | undefined;
}): Promise<Page<UserProfile>> => {
  const byDepartment = options.departmentId !== undefined;
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byDepartment ? 'GSI1' : 'GSI2',
      KeyConditionExpression: byDepartment ? 'GSI1PK = :pk AND begins_with(GSI1SK, :user)' : 'GSI2PK = :pk',
      ExpressionAttributeValues: byDepartment
        ? { ':pk': `DEPT#${options.departmentId}`, ':user': 'USER#' }
        : { ':pk': 'USERS' },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toProfile), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** The departments a user manages, read from the manager items the department writes. */
export const managedDepartmentIds = async (sub: string): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.managedBy(sub).GSI1PK },
      ProjectionExpression: 'GSI1SK',
    })
  ).map((item) => String(item.GSI1SK));
