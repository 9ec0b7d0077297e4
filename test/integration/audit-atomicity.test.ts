import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as AuditRepository from '../../shared/data/audit-repository.ts';
import type * as Client from '../../shared/data/client.ts';
import type * as DepartmentRepository from '../../shared/data/department-repository.ts';
import type * as UserRepository from '../../shared/data/user-repository.ts';
import { registerAccount } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';

/**
 * "No change without its audit": the entity and its audit record are one DynamoDB transaction. Here the
 * audit write is made to fail for real — its key is taken beforehand, so its attribute_not_exists
 * condition fails on DynamoDB Local — and the change must not happen either.
 */
type Repositories = {
  users: typeof UserRepository;
  departments: typeof DepartmentRepository;
  audit: typeof AuditRepository;
  client: typeof Client;
};
let repos: Repositories;

let restoreEnv: () => void = () => undefined;
afterAll(() => restoreEnv());

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  repos = {
    users: await import('../../shared/data/user-repository.ts'),
    departments: await import('../../shared/data/department-repository.ts'),
    audit: await import('../../shared/data/audit-repository.ts'),
    client: await import('../../shared/data/client.ts'),
  };
});

const operator = { kind: 'machine', clientId: 'test', scopes: [] } as const;

/** An audit record whose key is already taken, so putting it fails its condition. */
const collidingAudit = async (subjectId: string) => {
  const { auditRecord, auditPut } = repos.audit;
  const record = auditRecord(
    { action: 'test.collision', resourceType: 'user', subjectId, outcome: 'allowed', status: 200 },
    { principal: operator, requestId: randomUUID(), sourceIp: 'test', userAgent: 'test' },
    { now: () => new Date() },
  );
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  await repos.client.documentClient.send(new PutCommand(auditPut(record).Put!));
  return record;
};

describe('entity and audit are written together or not at all', () => {
  it('leaves the profile unchanged when its audit record cannot be written', async () => {
    const account = await registerAccount();
    const before = await repos.users.getProfile(account.id);
    expect(before?.version).toBe(1);
    const audit = await collidingAudit(account.id);
    const next = { ...before!, fullName: 'Changed Without Audit', version: 2 };
    await expect(repos.users.replaceProfile(next, 1, audit)).rejects.toThrow();
    const after = await repos.users.getProfile(account.id);
    expect(after).toEqual(before);
  });

  it('creates no department and claims no name when the audit record fails', async () => {
    const name = `Atomic ${randomUUID()}`;
    const id = randomUUID();
    const now = new Date().toISOString();
    const department = { id, name, managerIds: [], createdAt: now, updatedAt: now, version: 1 };
    const audit = await collidingAudit(id);
    await expect(repos.departments.createDepartment(department, audit)).rejects.toThrow();
    expect(await repos.departments.getDepartment(id)).toBeUndefined();
    // The name claim was rolled back too: the same name can be created now.
    const { auditRecord } = repos.audit;
    const fresh = auditRecord(
      {
        action: 'departments.create',
        resourceType: 'department',
        resourceId: id,
        outcome: 'allowed',
        status: 201,
      },
      { principal: operator, requestId: randomUUID(), sourceIp: 'test', userAgent: 'test' },
      { now: () => new Date() },
    );
    await repos.departments.createDepartment(department, fresh);
    expect((await repos.departments.getDepartment(id))?.name).toBe(name);
  });
});
