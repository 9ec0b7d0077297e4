import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { login, registerAccount, type Account } from './support/accounts.ts';
import { decodePayload } from './support/identity.ts';

const send = (method: string, path: string, token: string | undefined, body?: unknown) =>
  api(path, {
    method,
    headers: {
      ...(token ? bearer(token) : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

let admin: Account;
beforeAll(async () => {
  admin = await registerAccount(['admin'], 'org-admin');
});

const newDepartment = async (extra: Record<string, unknown> = {}) => {
  const response = await send('POST', '/departments', admin.accessToken, {
    name: `Dept ${randomUUID()}`,
    ...extra,
  });
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; name: string; version: number; managerIds: string[] };
};

describe('departments', () => {
  it('keeps names unique ignoring case and spacing, also under concurrent creation', async () => {
    const name = `Data  Science ${randomUUID()}`;
    const [a, b] = await Promise.all([
      send('POST', '/departments', admin.accessToken, { name }),
      send('POST', '/departments', admin.accessToken, { name }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const variant = await send('POST', '/departments', admin.accessToken, {
      name: name.toUpperCase().replace('  ', ' '),
    });
    expectEnvelope(variant, 409, 'CONFLICT');
  });

  it('validates managers and parents, naming the field', async () => {
    const parent = await newDepartment();
    const ghost = randomUUID();
    const response = await send('POST', '/departments', admin.accessToken, {
      name: `Child ${randomUUID()}`,
      managerIds: [admin.id, ghost],
      parentId: randomUUID(),
    });
    const error = expectEnvelope(response, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    expect(error.details.map((d) => d.field).sort()).toEqual(['body.managerIds.1', 'body.parentId']);

    const child = await newDepartment({ parentId: parent.id });
    const cycle = await send('PUT', `/departments/${parent.id}`, admin.accessToken, {
      version: 1,
      parentId: child.id,
    });
    const cycleError = expectEnvelope(cycle, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ code: string }>;
    };
    expect(cycleError.details[0]?.code).toBe('cycle');
  });

  it('renames with optimistic locking; the old name becomes free and a stale version is a 409', async () => {
    const department = await newDepartment();
    const newName = `Renamed ${randomUUID()}`;
    const renamed = await send('PUT', `/departments/${department.id}`, admin.accessToken, {
      version: 1,
      name: newName,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: newName, version: 2 });
    expectEnvelope(
      await send('PUT', `/departments/${department.id}`, admin.accessToken, { version: 1, name: 'x' }),
      409,
      'CONFLICT',
    );
    // The old name was released in the same transaction.
    expect((await send('POST', '/departments', admin.accessToken, { name: department.name })).status).toBe(
      201,
    );
  });

  it('pages through departments with sealed cursors and refuses a tampered one', async () => {
    await newDepartment();
    await newDepartment();
    const first = await send('GET', '/departments?limit=1', admin.accessToken);
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(1);
    expect(typeof first.json.nextCursor).toBe('string');
    const second = await send(
      'GET',
      `/departments?limit=1&cursor=${first.json.nextCursor}`,
      admin.accessToken,
    );
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id);
    const cursor = first.json.nextCursor as string;
    // One character changed (the one before the last, whose bits all count in base64url), to a
    // different character whatever it was (comparing the last one made this a no-op 1 time in 64).
    const tampered = `${cursor.slice(0, -2)}${cursor.at(-2) === 'A' ? 'B' : 'A'}${cursor.slice(-1)}`;
    expect(tampered).not.toBe(cursor);
    const refused = await send('GET', `/departments?limit=1&cursor=${tampered}`, admin.accessToken);
    const error = expectEnvelope(refused, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    expect(error.details[0]?.field).toBe('query.cursor');
    expectEnvelope(await send('GET', '/departments?limit=0', admin.accessToken), 400, 'VALIDATION_FAILED');
    expectEnvelope(await send('GET', '/departments?limit=101', admin.accessToken), 400, 'VALIDATION_FAILED');
  });

  it('lets only admins create and change departments', async () => {
    const employee = await registerAccount();
    expectEnvelope(
      await send('POST', '/departments', employee.accessToken, { name: `X ${randomUUID()}` }),
      403,
      'FORBIDDEN',
    );
    expect((await send('GET', '/departments', employee.accessToken)).status).toBe(200);
  });
});

describe('users and managers', () => {
  let department: { id: string; version: number };
  let otherDepartment: { id: string };
  let manager: Account;
  let member: Account;
  let outsider: Account;

  beforeAll(async () => {
    [manager, member, outsider] = await Promise.all([
      registerAccount(['manager'], 'mgr'),
      registerAccount([], 'member'),
      registerAccount([], 'outsider'),
    ]);
    department = await newDepartment({ managerIds: [manager.id] });
    otherDepartment = await newDepartment();
    for (const [user, dept] of [
      [member, department.id],
      [outsider, otherDepartment.id],
    ] as const) {
      const profile = await send('GET', `/users/${user.id}`, user.accessToken);
      const moved = await send('PUT', `/users/${user.id}`, admin.accessToken, {
        version: profile.json.version,
        departmentId: dept,
      });
      expect(moved.status, moved.text).toBe(200);
    }
  });

  it('shows a manager the users of their departments and nobody else', async () => {
    const listed = await send('GET', '/users', manager.accessToken);
    expect(listed.status).toBe(200);
    const ids = (listed.json.items as Array<{ id: string }>).map((u) => u.id);
    expect(ids).toContain(member.id);
    expect(ids).not.toContain(outsider.id);
    expectEnvelope(
      await send('GET', `/users?departmentId=${otherDepartment.id}`, manager.accessToken),
      403,
      'FORBIDDEN',
    );
    expect((await send('GET', `/users/${member.id}`, manager.accessToken)).status).toBe(200);
    // Outside their departments a manager cannot even learn that the user exists.
    expectEnvelope(await send('GET', `/users/${outsider.id}`, manager.accessToken), 404, 'NOT_FOUND');
    expectEnvelope(await send('GET', `/users/${randomUUID()}`, manager.accessToken), 404, 'NOT_FOUND');
  });

  it("follows the department's manager list at once", async () => {
    const current = await send('GET', '/departments?limit=100', admin.accessToken);
    expect(current.status).toBe(200);
    const fresh = await send('PUT', `/departments/${department.id}`, admin.accessToken, {
      version: department.version,
      managerIds: [],
    });
    expect(fresh.status, fresh.text).toBe(200);
    expectEnvelope(await send('GET', `/users/${member.id}`, manager.accessToken), 404, 'NOT_FOUND');
    const back = await send('PUT', `/departments/${department.id}`, admin.accessToken, {
      version: fresh.json.version,
      managerIds: [manager.id],
    });
    expect(back.status).toBe(200);
    department = back.json;
    expect((await send('GET', `/users/${member.id}`, manager.accessToken)).status).toBe(200);
  });

  it('lets admins list everyone and filter by department', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await send(
        'GET',
        `/users?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        admin.accessToken,
      );
      expect(page.status).toBe(200);
      all.push(...(page.json.items as Array<{ id: string }>).map((u) => u.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(all).toEqual(expect.arrayContaining([member.id, outsider.id, manager.id]));
    const filtered = await send('GET', `/users?departmentId=${department.id}`, admin.accessToken);
    expect((filtered.json.items as Array<{ id: string }>).map((u) => u.id)).toEqual([member.id]);
  });

  it('refuses other employees and audits the attempt and every read by someone else', async () => {
    expectEnvelope(await send('GET', `/users/${member.id}`, outsider.accessToken), 403, 'FORBIDDEN');
    expect((await send('GET', `/users/${member.id}`, admin.accessToken)).status).toBe(200);
    const log = await send('GET', '/users/me/access-log?limit=100', member.accessToken);
    expect(log.status).toBe(200);
    const reads = (
      log.json.items as Array<{ action: string; actor: { id: string }; outcome: string }>
    ).filter((entry) => entry.action === 'users.get');
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: expect.objectContaining({ id: admin.id }), outcome: 'allowed' }),
        expect.objectContaining({ actor: expect.objectContaining({ id: outsider.id }), outcome: 'denied' }),
      ]),
    );
    expect(log.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK)"/);
  });
});

describe('profile updates', () => {
  it('lets users edit their display fields only, naming any other field', async () => {
    const user = await registerAccount();
    const ok = await send('PUT', `/users/${user.id}`, user.accessToken, { version: 1, fullName: 'New Name' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ fullName: 'New Name', version: 2 });
    const own = await send('PUT', `/users/${user.id}`, user.accessToken, {
      version: 2,
      jobTitle: 'CEO',
      isActive: true,
    });
    const error = expectEnvelope(own, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string; code: string }>;
    };
    expect(error.details.map((d) => `${d.field}:${d.code}`).sort()).toEqual([
      'body.isActive:field_not_editable',
      'body.jobTitle:field_not_editable',
    ]);
    for (const field of ['roles', 'id', 'email', 'createdAt', 'version2']) {
      const extra = await send('PUT', `/users/${user.id}`, user.accessToken, { version: 2, [field]: 'x' });
      const details = (
        expectEnvelope(extra, 400, 'VALIDATION_FAILED') as unknown as { details: Array<{ field: string }> }
      ).details;
      expect(details.map((d) => d.field)).toContain(`body.${field}`);
    }
  });

  it('lets exactly one of two concurrent updates win; the other is a 409', async () => {
    const user = await registerAccount();
    const results = await Promise.all(
      ['A', 'B', 'C'].map((name) =>
        send('PUT', `/users/${user.id}`, user.accessToken, { version: 1, fullName: name }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const after = await send('GET', `/users/${user.id}`, user.accessToken);
    expect(after.json.version).toBe(2);
  });

  it('lets admins change organisation fields; deactivation refuses sign-in, reactivation restores it', async () => {
    const user = await registerAccount();
    const updated = await send('PUT', `/users/${user.id}`, admin.accessToken, {
      version: 1,
      jobTitle: 'Nurse',
      isActive: false,
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ jobTitle: 'Nurse', isActive: false, version: 2 });
    expect((await login(user.email, user.password)).status).toBe(401);
    const back = await send('PUT', `/users/${user.id}`, admin.accessToken, {
      version: 2,
      isActive: true,
      jobTitle: null,
    });
    expect(back.json).not.toHaveProperty('jobTitle');
    expect((await login(user.email, user.password)).status).toBe(200);
  });
});

describe('roles and deactivation', () => {
  it('sets roles in Cognito and the profile together; the next token carries them', async () => {
    const user = await registerAccount();
    const response = await send('PUT', `/users/${user.id}/roles`, admin.accessToken, {
      roles: ['manager', 'admin'],
    });
    expect(response.status, response.text).toBe(200);
    expect(response.json.roles).toEqual(['employee', 'manager', 'admin']);
    const token = (await login(user.email, user.password)).json.accessToken as string;
    expect(String(decodePayload(token)['cognito:groups']).split(',').sort()).toEqual([
      'admin',
      'employee',
      'manager',
    ]);
    // The token from before the change carries the old groups: refused outright, every sign-in of the
    // user ended with the change.
    expectEnvelope(
      await send('PUT', `/users/${user.id}/roles`, user.accessToken, { roles: ['admin'] }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('deactivates a user: soft delete, sign-in refused; an admin cannot deactivate themselves', async () => {
    const user = await registerAccount();
    expect((await send('DELETE', `/users/${user.id}`, admin.accessToken)).status).toBe(204);
    expect((await login(user.email, user.password)).status).toBe(401);
    const profile = await send('GET', `/users/${user.id}`, admin.accessToken);
    expect(profile.json).toMatchObject({
      isActive: false,
      accountState: 'deactivated',
      deletedAt: expect.any(String),
    });
    expect((await send('DELETE', `/users/${user.id}`, admin.accessToken)).status).toBe(204);
    expectEnvelope(await send('DELETE', `/users/${admin.id}`, admin.accessToken), 409, 'CONFLICT');
  });
});

describe('audit search', () => {
  it('finds a subject’s records for admins only, and bounds searches across subjects', async () => {
    const user = await registerAccount();
    await send('PUT', `/users/${user.id}`, user.accessToken, { version: 1, fullName: 'Audited' });
    const found = await send('GET', `/audit?subjectId=${user.id}`, admin.accessToken);
    expect(found.status).toBe(200);
    const actions = (found.json.items as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['users.update', 'auth.register']));
    expect(found.text).not.toContain('Audited'); // names of changed fields only, never values

    const byActor = await send('GET', `/audit?actorId=${user.id}`, admin.accessToken);
    expect(
      (byActor.json.items as Array<{ actor: { id: string } }>).every((e) => e.actor.id === user.id),
    ).toBe(true);
    expect((byActor.json.items as unknown[]).length).toBeGreaterThan(0);

    const long = await send(
      'GET',
      '/audit?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      admin.accessToken,
    );
    expectEnvelope(long, 400, 'VALIDATION_FAILED');
    expectEnvelope(await send('GET', `/audit?subjectId=${user.id}`, user.accessToken), 403, 'FORBIDDEN');
  });
});
