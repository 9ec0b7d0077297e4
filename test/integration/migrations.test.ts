import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Client from '../../shared/data/client.ts';
import type * as Migrations from '../../lib/admin/migrations.ts';
import { api, bearer } from './support/api.ts';
import { registerAccount } from './support/accounts.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { adminProcess } from './support/admin-cli.ts';

/**
 * The migration runner against DynamoDB Local: each test uses a migration of its own (unique id) that
 * only touches items it seeded, so parallel suites and other runs cannot interfere.
 */
let client: typeof Client;
let migrations: typeof Migrations;

let restoreEnv: () => void = () => undefined;
afterAll(() => restoreEnv());

beforeAll(async () => {
  restoreEnv = pointAtEmulators();
  client = await import('../../shared/data/client.ts');
  migrations = await import('../../lib/admin/migrations.ts');
});

const seed = async (tag: string, count: number) => {
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const ids = Array.from({ length: count }, () => randomUUID());
  for (const id of ids) {
    await client.documentClient.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: { PK: `MIGRATIONTEST#${tag}`, SK: id, tag, shape: 1, version: 1 },
      }),
    );
  }
  return ids;
};

const itemsOf = async (tag: string) => {
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const { Items = [] } = await client.documentClient.send(
    new QueryCommand({
      TableName: inject('tableName'),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `MIGRATIONTEST#${tag}` },
      ConsistentRead: true,
    }),
  );
  return Items;
};

/** Moves this tag's items from shape 1 to shape 2 (adds `label`), and nothing else. */
const shapeTwo = (
  tag: string,
  onTransform?: (item: Record<string, unknown>) => Promise<void> | void,
): Migrations.Migration => ({
  id: `test-${tag}`,
  description: 'test shape 2',
  transform: async (item) => {
    if (item.tag !== tag || item.shape === 2) return undefined;
    await onTransform?.(item);
    return { shape: 2, label: `item ${String(item.SK).slice(0, 8)}` };
  },
});

const silent = () => undefined;

describe('migrations', () => {
  it('migrates every item of the shape once, records it in the ledger, and skips it next time', async () => {
    const tag = randomUUID();
    await seed(tag, 5);
    const [ledger] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [shapeTwo(tag)],
    });
    expect(ledger).toMatchObject({ status: 'done', changed: 5, conflicts: 0 });
    expect((await itemsOf(tag)).every((item) => item.shape === 2 && typeof item.label === 'string')).toBe(
      true,
    );
    const [again] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [shapeTwo(tag)],
    });
    expect(again).toEqual(ledger);
  });

  it('resumes an interrupted run from the ledger and ends with the right counts', async () => {
    const tag = randomUUID();
    await seed(tag, 3);
    const [stopped] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [shapeTwo(tag)],
      maxPages: 1,
      pageSize: 1,
    });
    const [saved] = [await migrations.readLedger(`test-${tag}`)];
    // One single-item page of the table was scanned: the run is not done, and its position was kept.
    expect(stopped?.status).toBe('running');
    expect(saved?.status).toBe('running');
    const [finished] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [shapeTwo(tag)],
    });
    expect(finished).toMatchObject({ status: 'done', changed: 3 });
    expect((await itemsOf(tag)).map((item) => item.shape)).toEqual([2, 2, 2]);
  });

  it('never overwrites an item changed meanwhile; the next run migrates it', async () => {
    const tag = randomUUID();
    const [raced] = await seed(tag, 2);
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    let bumped = false;
    const migration = shapeTwo(tag, async (item) => {
      if (item.SK !== raced || bumped) return;
      bumped = true;
      // An API write lands between the scan and the migration's write.
      await client.documentClient.send(
        new UpdateCommand({
          TableName: inject('tableName'),
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET version = :v, note = :n',
          ExpressionAttributeValues: { ':v': 2, ':n': 'api' },
        }),
      );
    });
    const [first] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [migration],
    });
    expect(first).toMatchObject({ status: 'running', changed: 1, conflicts: 1 });
    expect((await itemsOf(tag)).find((item) => item.SK === raced)).toMatchObject({
      shape: 1,
      note: 'api',
      version: 2,
    });
    const [second] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [migration],
    });
    expect(second).toMatchObject({ status: 'done', conflicts: 0 });
    // The API's change survived and every item ends migrated.
    const final = await itemsOf(tag);
    expect(final.every((item) => item.shape === 2)).toBe(true);
    expect(final.find((item) => item.SK === raced)).toMatchObject({ note: 'api' });
  });

  it('gives a user profile written before the admins’ listing index its GSI2 keys, once', () => {
    const [listing] = migrations.MIGRATIONS;
    const id = randomUUID();
    const profile = {
      PK: `USER#${id}`,
      SK: 'PROFILE',
      entityType: 'USER',
      id,
      fullName: 'Ada Lovelace',
      version: 3,
    };
    const changes = listing!.transform(profile);
    expect(changes).toEqual({ GSI2PK: 'USERS', GSI2SK: `ada lovelace#${id}` });
    expect(listing!.transform({ ...profile, ...changes })).toBeUndefined();
    expect(listing!.transform({ PK: 'DEPT#x', SK: 'META', entityType: 'DEPARTMENT' })).toBeUndefined();
  });

  it('classifies an audit record written before the visibility split, once, and drops health reason codes', () => {
    const visibility = migrations.MIGRATIONS.find((m) => m.id === '0002-audit-visibility')!;
    const subject = randomUUID();
    const legacy = (action: string, reason: string | null, roles = ['employee', 'admin']) => ({
      PK: `AUDIT#${subject}`,
      SK: `2026-05-01T10:00:00.000Z#${randomUUID()}`,
      entityType: 'AUDIT',
      at: '2026-05-01T10:00:00.000Z',
      action,
      actor: { type: 'user', id: randomUUID(), roles },
      subjectId: subject,
      reason,
    });
    const roleChange = legacy('users.roles.update', 'roles:employee,manager');
    const changes = visibility.transform(roleChange);
    expect(changes).toEqual({
      visibility: 'administrative',
      GSI2PK: 'AUDITADMIN#2026-05',
      GSI2SK: '2026-05-01T10:00:00.000Z',
      GSI3PK: `AUDITADMIN#${subject}`,
      GSI3SK: '2026-05-01T10:00:00.000Z',
    });
    expect(visibility.transform({ ...roleChange, ...(changes as object) })).toBeUndefined();
    expect(visibility.transform(legacy('alerts.raise', 'suicidal_ideation', ['employee']))).toEqual({
      visibility: 'sensitive',
      reason: null,
    });
    expect(visibility.transform(legacy('surveys.submit', 'phq9', ['employee']))).toEqual({
      visibility: 'sensitive',
      reason: null,
    });
    expect(visibility.transform(legacy('analyses.store', 'batch,risk_alert', []))).toEqual({
      visibility: 'sensitive',
      reason: 'batch',
    });
    // A clinician's read of a profile is sensitive (it shows who is in care), though users.read is not.
    expect(visibility.transform(legacy('users.read', null, ['employee', 'clinician']))).toEqual({
      visibility: 'sensitive',
    });
    expect(visibility.transform({ PK: 'DEPT#x', SK: 'META', entityType: 'DEPARTMENT' })).toBeUndefined();
  });

  it('hides unclassified old records from admins until the migration, then shows the administrative ones', async () => {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const [admin, subject] = await Promise.all([
      registerAccount(['admin'], 'migrate-admin'),
      registerAccount([], 'migrate-subject'),
    ]);
    // Two records as the previous version wrote them: no visibility, no admin index keys.
    const at = new Date(Date.now() - 60_000).toISOString();
    const old = (action: string, reason: string | null) => {
      const id = randomUUID();
      return {
        PK: `AUDIT#${subject.id}`,
        SK: `${at}#${id}`,
        GSI1PK: `AUDITDAY#${at.slice(0, 10)}`,
        GSI1SK: at,
        entityType: 'AUDIT',
        id,
        at,
        createdAt: at,
        actor: { type: 'user', id: admin.id, roles: ['employee', 'admin'] },
        action,
        resource: { type: 'user', id: subject.id },
        subjectId: subject.id,
        outcome: 'allowed',
        status: 200,
        reason,
        requestId: randomUUID(),
        sourceIp: '127.0.0.1',
        userAgent: 'old-version',
      };
    };
    const roleChange = old('users.roles.update', 'roles:employee,manager');
    const alert = old('alerts.raise', 'suicidal_ideation');
    for (const Item of [roleChange, alert])
      await client.documentClient.send(new PutCommand({ TableName: inject('tableName'), Item }));
    const adminSees = async () =>
      (
        (await api(`/audit?subjectId=${subject.id}&limit=100`, { headers: bearer(admin.accessToken) }))
          .json as {
          items: Array<{ id: string; reason: string | null }>;
        }
      ).items.map((e) => e.id);
    // Fail closed: an unclassified record is in no admin index.
    expect(await adminSees()).not.toContain(roleChange.id);
    expect(await adminSees()).not.toContain(alert.id);

    const [ledger] = await migrations.runMigrations({
      now: () => new Date(),
      progress: silent,
      migrations: [
        {
          ...migrations.MIGRATIONS.find((m) => m.id === '0002-audit-visibility')!,
          id: `test-${randomUUID()}`,
        },
      ],
    });
    expect(ledger).toMatchObject({ status: 'done' });
    expect(ledger!.changed).toBeGreaterThanOrEqual(2);
    expect(await adminSees()).toContain(roleChange.id);
    expect(await adminSees()).not.toContain(alert.id);
    const log = (await api('/users/me/access-log?limit=100', { headers: bearer(subject.accessToken) }))
      .json as {
      items: Array<{ id: string; action: string; reason: string | null }>;
    };
    expect(log.items.find((e) => e.id === alert.id)).toMatchObject({ reason: null });
    // Stored under the role change's old name, read under the route id (shared/domain/audit.ts).
    expect(log.items.find((e) => e.id === roleChange.id)).toMatchObject({ action: 'users.setRoles' });
  });

  // The dry run scans the run's whole shared table, which every file before this one has filled: on a
  // 2-core machine loaded by other work it took 34 s in a full run (load 10).
  it(
    'runs from the operator CLI with progress output; --dry-run writes nothing',
    { timeout: 120_000 },
    () => {
      const cli = adminProcess(['migrate', '--dry-run', '--state-file', inject('localStateFile')]);
      const result = spawnSync(cli.file, cli.args, { ...cli.options, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/dry run, nothing written/);
      expect(result.stdout).toMatch(/0001-user-listing-index/);
      expect(result.stdout).toMatch(/0002-audit-visibility/);
      expect(result.stdout).toMatch(/scanned \d+/);
    },
  );
});
