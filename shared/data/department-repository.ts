import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Department } from '#contract/department.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { batchGetItems } from './dynamodb/batch.ts';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import type { Page } from './user-repository.ts';
import type { AccessCondition } from './versioned-write.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';

export class DepartmentNameTakenError extends Error {
  override name = 'DepartmentNameTakenError';
}
export class DepartmentChangedError extends Error {
  override name = 'DepartmentChangedError';
}

/** Names are unique ignoring case and spacing: "Data  Science" and "data science" are one name. */
export const normaliseName = (name: string): string =>
  name.trim().toLowerCase().replace(/\s+/g, ' ').replaceAll('#', '') || '-';

const departmentItem = (department: Department) => ({
  ...keys.department(department.id),
  ...keys.departmentListing(normaliseName(department.name)),
  entityType: 'DEPARTMENT',
  ...department,
});

const toDepartment = (item: Record<string, unknown>): Department => {
  const { entityType: _type, ...rest } = keys.stripKeys(item);
  return Department.parse(rest);
};

const claimName = (department: Department): TransactAction => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.departmentName(normaliseName(department.name)),
      entityType: 'DEPARTMENT_NAME',
      departmentId: department.id,
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

const managerPut = (departmentId: string, managerId: string): TransactAction => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.departmentManager(departmentId, managerId),
      entityType: 'DEPARTMENT_MANAGER',
      departmentId,
      managerId,
    },
  },
});

const managerDelete = (departmentId: string, managerId: string): TransactAction => {
  const { PK, SK } = keys.departmentManager(departmentId, managerId);
  return { Delete: { TableName: tableName(), Key: { PK, SK } } };
};

/**
 * Creates a department, its unique-name claim and its manager items with the audit record in one
 * transaction: two concurrent creations with one name cannot both succeed (no read-then-write race).
 */
export const createDepartment = async (department: Department, audit: AuditRecord): Promise<void> => {
  try {
    await transaction()
      .add('nameClaim', claimName(department))
      .put('department', {
        Item: departmentItem(department),
        ConditionExpression: 'attribute_not_exists(PK)',
      })
      .addAll(
        'manager',
        department.managerIds.map((managerId) => managerPut(department.id, managerId)),
      )
      .add('audit', auditPut(audit))
      .send();
  } catch (error) {
    if (error instanceof TransactionFailedError && error.failed('nameClaim'))
      throw new DepartmentNameTakenError(department.name);
    throw error;
  }
};

/**
 * Replaces a department (version-checked); moves its name claim when the name changes and adds/removes
 * manager items so managers' reach follows at once — all with the audit record in one transaction.
 */
export const replaceDepartment = async (
  before: Department,
  next: Department,
  audit: AuditRecord,
): Promise<void> => {
  const renamed = normaliseName(before.name) !== normaliseName(next.name);
  const added = next.managerIds.filter((id) => !before.managerIds.includes(id));
  const removed = before.managerIds.filter((id) => !next.managerIds.includes(id));
  const tx = transaction().put('department', {
    Item: departmentItem(next),
    ConditionExpression: 'attribute_exists(PK) AND version = :previous',
    ExpressionAttributeValues: { ':previous': before.version },
  });
  if (renamed)
    tx.add('nameClaim', claimName(next)).delete('previousNameClaim', {
      Key: keys.departmentName(normaliseName(before.name)),
      ConditionExpression: 'departmentId = :id',
      ExpressionAttributeValues: { ':id': before.id },
    });
  tx.addAll(
    'managerAdded',
    added.map((managerId) => managerPut(next.id, managerId)),
  )
    .addAll(
      'managerRemoved',
      removed.map((managerId) => managerDelete(next.id, managerId)),
    )
    .add('audit', auditPut(audit));
  try {
    await tx.send();
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    // The first failed condition decides, as the department's version is checked first.
    const failed = error.failedConditions[0];
    if (failed === 'department') throw new DepartmentChangedError(before.id);
    if (failed === 'nameClaim') throw new DepartmentNameTakenError(next.name);
    throw error;
  }
};

export const getDepartment = async (id: string): Promise<Department | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.department(id), ConsistentRead: true }),
  );
  return Item ? toDepartment(Item) : undefined;
};

/** Departments ordered by name (GSI1 DEPTS). */
export const listDepartments = async (
  limit: number,
  startKey: Record<string, unknown> | undefined,
): Promise<Page<Department>> => {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partitions.departments() },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toDepartment), lastEvaluatedKey: result.LastEvaluatedKey };
};

/** Which of these user ids have no profile (manager ids must name real users). */
export const unknownUserIds = async (ids: readonly string[]): Promise<string[]> => {
  if (ids.length === 0) return [];
  const unique = [...new Set(ids)];
  // Unprocessed keys are retried, and a throttled read is a 503: a user left unread is never "unknown".
  const items = await batchGetItems(
    unique.map((id) => keys.userProfile(id)),
    { projection: 'id' },
  );
  const found = new Set(items.map((item) => String(item.id)));
  return unique.filter((id) => !found.has(id));
};

/** The names of these departments (dynamodb/batch.ts; an unknown id has none). */
export const departmentNames = async (ids: readonly string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  if (unique.length === 0) return names;
  for (const item of await batchGetItems(unique.map((id) => keys.department(id))))
    if (item.entityType === 'DEPARTMENT') names.set(String(item.id), String(item.name));
  return names;
};

/**
 * The condition under which a manager may see a member's profile: their manager entry on the member's
 * department exists (checked inside the transaction that records the read, see auditIfPermitted).
 */
export const managesDepartmentCondition = (departmentId: string, managerSub: string): AccessCondition => {
  const { PK, SK } = keys.departmentManager(departmentId, managerSub);
  return { Key: { PK, SK }, ConditionExpression: 'attribute_exists(PK)' };
};
