import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Group } from '#contract/identity.ts';
import { UserProfile } from '#contract/user-profile.ts';
import { accountStateOf } from '#domain/account-access.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { effectiveRoles } from '#domain/roles.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryAll } from './dynamodb/query.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';

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

/** A new account's profile: active, version 1. */
export const newProfile = (input: {
  id: string;
  email: string;
  fullName: string;
  roles: readonly Group[];
  departmentId?: string;
  at: string;
}): UserProfile => ({
  id: input.id,
  email: input.email,
  fullName: input.fullName,
  ...(input.departmentId ? { departmentId: input.departmentId } : {}),
  roles: [...input.roles],
  isActive: true,
  accountState: 'active',
  createdAt: input.at,
  updatedAt: input.at,
  version: 1,
});

/** Whether the profile belongs in the clinician directory: an active account, clinician in effect. */
export const listedAsClinician = (profile: UserProfile): boolean =>
  profile.accountState === 'active' && effectiveRoles(profile.roles).includes('clinician');

/**
 * The stored attributes of a profile: the account state is stored once, as `accountState` (`isActive`
 * is derived when read); the index keys follow the department, the name and the directory rule. The
 * session facts of the item (tokensValidAfter, revokedSessions: shared/data/caller-access.ts) are not
 * profile fields and are left as they are by every profile write.
 */
const profileItem = (profile: UserProfile) => {
  const { isActive: _derived, ...stored } = profile;
  return {
    ...keys.userProfile(profile.id),
    ...(profile.departmentId
      ? keys.userByDepartment(profile.departmentId, sortName(profile.fullName), profile.id)
      : {}),
    ...keys.userListing(sortName(profile.fullName), profile.id),
    ...(listedAsClinician(profile) ? keys.clinicianListing(sortName(profile.fullName), profile.id) : {}),
    entityType: 'USER',
    ...stored,
  };
};

/** Attributes a profile write removes when the new profile has no value for them. */
const REMOVABLE = [
  'departmentId',
  'jobTitle',
  'deletedAt',
  'erasureRequestedAt',
  'GSI1PK',
  'GSI1SK',
  'GSI3PK',
  'GSI3SK',
  // The flag profiles carried before accountState: replaced by it on their first write.
  'isActive',
] as const;

/** A profile as stored, legacy shapes included, to the API's shape. */
export const toProfile = (item: Record<string, unknown>): UserProfile => {
  const {
    entityType: _type,
    tokensValidAfter: _cut,
    revokedSessions: _ended,
    isActive: _legacy,
    ...rest
  } = keys.stripKeys(item);
  const accountState = accountStateOf(item);
  return UserProfile.parse({ ...rest, accountState, isActive: accountState === 'active' });
};

export interface ProfileWriteOptions {
  /**
   * Ends every sign-in of the user from this epoch second back (tokensValidAfter; the per-logout
   * entries go too, as the cut covers them): a role change, deactivation, erasure or password change.
   */
  readonly cutSessionsAt?: number;
  /** A further condition on the stored profile (names and values must not clash with `:previous`). */
  readonly condition?: {
    expression: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  };
}

/**
 * The write of a whole profile as an UpdateItem of its attributes, conditional on the version read:
 * unlike a Put, it leaves the item's session facts alone, so a profile edit never undoes a logout.
 */
export const profileUpdate = (
  next: UserProfile,
  previousVersion: number,
  options: ProfileWriteOptions = {},
): TransactAction => {
  const { PK: _pk, SK: _sk, ...attributes } = profileItem(next);
  const names: Record<string, string> = { ...options.condition?.names };
  const values: Record<string, unknown> = { ':previous': previousVersion, ...options.condition?.values };
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  const removes = REMOVABLE.filter((name) => !(name in attributes)).map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  if (options.cutSessionsAt !== undefined) {
    sets.push('tokensValidAfter = :cutSessionsAt');
    values[':cutSessionsAt'] = options.cutSessionsAt;
    removes.push('revokedSessions');
  }
  return {
    Update: {
      TableName: tableName(),
      Key: keys.userProfile(next.id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(PK) AND version = :previous${options.condition ? ` AND (${options.condition.expression})` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** Creates the profile and its audit record in one transaction; fails if the profile exists. */
export const createProfile = async (profile: UserProfile, audit: AuditRecord): Promise<void> => {
  try {
    await transaction()
      .put('profile', { Item: profileItem(profile), ConditionExpression: 'attribute_not_exists(PK)' })
      .add('audit', auditPut(audit))
      .send();
  } catch (error) {
    if (error instanceof TransactionFailedError && error.failed('profile'))
      throw new ProfileExistsError('profile exists');
    throw error;
  }
};

/**
 * A profile, strongly consistent: the caller's own profile is also their account record, so this read
 * carries the per-request check of the caller (shared/data/caller-access.ts) at no extra cost.
 */
export const getProfile = async (sub: string): Promise<UserProfile | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.userProfile(sub), ConsistentRead: true }),
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
  extra: readonly TransactAction[] = [],
  options: ProfileWriteOptions = {},
): Promise<void> => {
  try {
    await transaction()
      .add('profile', profileUpdate(next, previousVersion, options))
      .add('audit', auditPut(audit))
      .addAll('extra', extra)
      .send();
  } catch (error) {
    if (error instanceof TransactionFailedError && error.failed('profile'))
      throw new StaleVersionError('profile changed');
    throw error;
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
  const { departmentId } = options;
  const byDepartment = departmentId !== undefined;
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byDepartment ? 'GSI1' : 'GSI2',
      KeyConditionExpression: byDepartment ? 'GSI1PK = :pk AND begins_with(GSI1SK, :user)' : 'GSI2PK = :pk',
      ExpressionAttributeValues: byDepartment
        ? { ':pk': partitions.departmentMembers(departmentId), ':user': keys.userInDepartmentPrefix }
        : { ':pk': partitions.users() },
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toProfile), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** One entry of the clinician directory (shared/contract/routes/users.ts ClinicianEntry, without the unit's name). */
export interface ListedClinician {
  id: string;
  displayName: string;
  departmentId: string | undefined;
}

/**
 * Active clinicians by name (GSI3 CLINICIANS, sparse: only their profiles carry it), a page at a time;
 * only the fields the directory shows are read.
 */
export const listClinicians = async (options: {
  limit: number;
  startKey: Record<string, unknown> | undefined;
}): Promise<Page<ListedClinician>> => {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :directory',
      ExpressionAttributeValues: { ':directory': partitions.clinicianDirectory() },
      ProjectionExpression: 'id, fullName, departmentId',
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return {
    items: (result.Items ?? []).map((item) => ({
      id: String(item.id),
      displayName: String(item.fullName),
      departmentId: typeof item.departmentId === 'string' ? item.departmentId : undefined,
    })),
    lastEvaluatedKey: result.LastEvaluatedKey,
  };
};

/** The departments a user manages, read from the manager items the department writes. */
export const managedDepartmentIds = async (sub: string): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partitions.managedBy(sub) },
      ProjectionExpression: 'GSI1SK',
    })
  ).map((item) => String(item.GSI1SK));
