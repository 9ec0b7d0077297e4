import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as AssignRoles from '../../lib/admin/assign-roles.ts';
import { api, bearer } from './support/api.ts';
import { login, registerAccount, type Account } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';

/**
 * The clinician directory (GET /clinicians): an employee finds a named clinician and consents to them.
 * Clinicians are made the one way the product makes them, by the operator (assign-roles, run
 * in-process here), which also puts them in the directory; the directory shows id, name and unit only.
 */
let restoreEnv: () => void = () => undefined;
let assignRoles: typeof AssignRoles.assignRoles;

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  ({ assignRoles } = await import('../../lib/admin/assign-roles.ts'));
});
afterAll(() => restoreEnv());

const send = (token: string, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const makeClinician = async (account: Account): Promise<string> => {
  const target = {
    stage: 'local',
    userPoolId: inject('userPoolId'),
    tableName: inject('tableName'),
    description: 'the test runtime',
    unreachableHint: '',
  };
  await assignRoles(
    { email: account.email, roles: ['employee', 'clinician'] },
    target,
    { now: () => new Date() },
    () => undefined,
  );
  // The role change ended the account's sign-ins: a new one carries the clinician group.
  const signedIn = await login(account.email, account.password);
  expect(signedIn.status).toBe(200);
  return signedIn.json.accessToken as string;
};

type Entry = { id: string; displayName: string; organisationUnit: string | null };

/** Every page of the directory, as an employee reads it. */
const directory = async (token: string): Promise<Entry[]> => {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof api<{ items: Entry[]; nextCursor: string | null }>>> = await send(
      token,
      'GET',
      `/clinicians?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status, page.text).toBe(200);
    entries.push(...(page.json.items as Entry[]));
    cursor = page.json.nextCursor as string | null;
  } while (cursor);
  return entries;
};

describe('clinician directory', () => {
  it('lets an employee find a named clinician, with their unit and nothing else, and consent to them', async () => {
    const [admin, employee, nurse, other] = await Promise.all([
      registerAccount(['admin'], 'dir-admin'),
      registerAccount([], 'dir-employee'),
      registerAccount([], 'dir-nurse'),
      registerAccount(['clinician'], 'dir-other-clinician'),
    ]);
    const unit = `Occupational Health ${randomUUID()}`;
    const department = await send(admin.accessToken, 'POST', '/departments', { name: unit });
    expect(department.status).toBe(201);
    expect(
      (
        await send(admin.accessToken, 'PUT', `/users/${nurse.id}`, {
          version: 1,
          departmentId: department.json.id,
        })
      ).status,
    ).toBe(200);
    const nurseToken = await makeClinician(nurse);

    const entries = await directory(employee.accessToken);
    const listed = entries.find((entry) => entry.id === nurse.id);
    expect(listed).toEqual({ id: nurse.id, displayName: 'Test dir-nurse', organisationUnit: unit });
    expect(
      entries.every((entry) => Object.keys(entry).sort().join() === 'displayName,id,organisationUnit'),
    ).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(nurse.email);
    // Employees are not in it, nor is the clinician made outside the operator's way (a group only).
    expect(entries.map((e) => e.id)).not.toContain(employee.id);

    // The employee names the clinician from the directory in their consent; only that clinician reads.
    const consent = await send(employee.accessToken, 'PUT', '/users/me/consents', {
      clinicianAccess: { granted: true, clinicianIds: [listed!.id] },
    });
    expect(consent.status).toBe(200);
    expect((await send(nurseToken, 'GET', `/surveys/responses/user/${employee.id}`)).status).toBe(200);
    expect((await send(other.accessToken, 'GET', `/surveys/responses/user/${employee.id}`)).status).toBe(403);

    // A clinician whose account closes leaves the directory.
    expect((await send(admin.accessToken, 'DELETE', `/users/${nurse.id}`)).status).toBe(204);
    expect((await directory(employee.accessToken)).map((e) => e.id)).not.toContain(nurse.id);
  });
});
