import { passwordProblems } from '#domain/password-policy.ts';
import { describe, expect, inject, it } from 'vitest';
import { parseCommandLine } from '../../lib/admin/command-line.ts';
import { collectPages } from '../../lib/admin/pages.ts';
import { generatePassword } from '../../lib/admin/password.ts';
import { lastAdminRefusal, planRoleChange } from '../../lib/admin/roles.ts';
import { formatTable } from '../../lib/admin/table.ts';
import { post, registerAccount, strongPassword } from './support/accounts.ts';
import { decodePayload } from './support/identity.ts';
import {
  auditItems,
  cognitoUser,
  createdId,
  departmentNames,
  emulatedStage,
  groupsOf,
  isolatedPool,
  profileItem,
  runAdmin,
  signIn,
  stateFileWith,
  uniqueEmail,
  usersWithEmail,
} from './support/admin-cli.ts';

const STRONG = 'Operator-Pass-2024!';
const NO_STACK = /\n\s+at .+:\d+/;

/** The pure parts of the CLI: decided without any emulator. */
describe('operator CLI: command line and decisions', () => {
  it('parses each command and normalises its input', () => {
    expect(
      parseCommandLine(['create-admin', '--email', ' Ann@Example.COM ', '--name', ' Ann  Lee ']),
    ).toEqual({
      name: 'create-admin',
      target: { kind: 'local', stateFile: undefined },
      email: 'ann@example.com',
      fullName: 'Ann Lee',
      password: undefined,
      yes: false,
    });
    expect(
      parseCommandLine(['assign-roles', '--email', 'a@example.com', '--roles', 'Admin, manager,admin']),
    ).toMatchObject({
      roles: ['employee', 'manager', 'admin'],
    });
    expect(parseCommandLine(['list-users', '--stage', 'prod', '--group', 'clinician'])).toEqual({
      name: 'list-users',
      target: { kind: 'stage', stage: 'prod' },
      group: 'clinician',
    });
    expect(parseCommandLine(['--help'])).toEqual({ name: 'help', topic: undefined });
    expect(parseCommandLine(['assign-roles', '-h'])).toEqual({ name: 'help', topic: 'assign-roles' });
    expect(parseCommandLine(['help', 'list-users'])).toEqual({ name: 'help', topic: 'list-users' });
  });

  it.each([
    [[], /Which command\?/],
    [['frob'], /Unknown command "frob"/],
    [['list-users', '--nope'], /Unknown option --nope/],
    [['create-admin', '--email'], /Option --email needs a value/],
    [['create-admin', '--name', 'Ann'], /create-admin needs --email/],
    [['create-admin', '--email', 'not-an-email', '--name', 'Ann'], /not a valid e-mail/],
    [['create-admin', '--email', 'a@example.com'], /create-admin needs --name/],
    [
      ['create-admin', '--email', 'a@example.com', '--name', 'A', '--password', 'short1A!'],
      /at least 12 characters/,
    ],
    [
      ['create-admin', '--email', 'a@example.com', '--name', 'A', '--roles', 'admin'],
      /does not take --roles/,
    ],
    [['assign-roles', '--email', 'a@example.com', '--roles', 'admin,boss'], /Unknown role boss/],
    [['assign-roles', '--email', 'a@example.com', '--roles', ' , '], /at least one of/],
    [['list-users', '--group', 'boss'], /Unknown group "boss"/],
    [['list-users', 'extra'], /Unexpected argument "extra"/],
    [['list-users', '--stage', 'qa'], /Unknown stage "qa"; --stage is one of dev, staging, prod/],
    [['list-users', '--stage', 'local'], /omit --stage/],
    [['list-users', '--stage', 'dev', '--state-file', 'x.json'], /one target at a time/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('plans exactly the given roles plus employee, leaving non-role groups alone', () => {
    expect(planRoleChange(['employee', 'admin', 'us-east-1_x_Google'], ['manager'])).toEqual({
      before: ['employee', 'admin'],
      after: ['employee', 'manager'],
      add: ['manager'],
      remove: ['admin'],
    });
    expect(planRoleChange([], ['employee'])).toMatchObject({ add: ['employee'], remove: [] });
  });

  it('refuses to take admin from the last enabled admin, and only then', () => {
    const demote = planRoleChange(['employee', 'admin'], ['employee']);
    const keep = planRoleChange(['employee', 'admin'], ['admin', 'manager']);
    const me = { username: 'me', enabled: true };
    expect(lastAdminRefusal(demote, 'me', [me])).toMatch(/last enabled admin/);
    expect(lastAdminRefusal(demote, 'me', [me, { username: 'other', enabled: false }])).toMatch(
      /last enabled admin/,
    );
    expect(lastAdminRefusal(demote, 'me', [me, { username: 'other', enabled: true }])).toBeUndefined();
    expect(lastAdminRefusal(keep, 'me', [me])).toBeUndefined();
  });

  it('generates passwords that meet the policy and differ', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword());
    for (const p of passwords) {
      expect(passwordProblems(p)).toEqual([]);
      expect(p).toMatch(/^[A-Za-z]/);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('follows pagination tokens to the end and stops on a repeated token', async () => {
    const pages: Record<string, { items: number[]; next: string | undefined }> = {
      start: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [4], next: undefined },
    };
    await expect(collectPages(async (token) => pages[token ?? 'start']!)).resolves.toEqual([1, 2, 3, 4]);
    await expect(collectPages(async () => ({ items: [1], next: 'same' }))).rejects.toThrow(/repeated/);
  });

  it('aligns table columns', () => {
    expect(
      formatTable(
        ['A', 'BB'],
        [
          ['long', 'x'],
          ['s', 'yy'],
        ],
      ),
    ).toBe('A     BB\nlong  x\ns     yy');
  });
});

/**
 * Concurrent, and each test starts a few CLI processes that talk to the emulators: on a busy 2-core
 * machine they queue behind each other, so a test's own clock runs while the others work. The timeout
 * allows for that queue (a CLI call itself takes well under a second: support/cli-bundle.ts).
 */
const CLI_TEST_TIMEOUT_MS = 120_000;

describe.concurrent(
  'npm run admin (bin/admin.ts) against the local runtime',
  { timeout: CLI_TEST_TIMEOUT_MS },
  () => {
    it('prints help for the CLI and each command without needing a runtime', async () => {
      const main = await runAdmin(['--help'], null);
      expect(main.code).toBe(0);
      expect(main.stdout).toMatch(/create-admin[\s\S]*assign-roles[\s\S]*list-users/);
      const command = await runAdmin(['assign-roles', '--help'], '/nonexistent/runtime.json');
      expect(command.code).toBe(0);
      expect(command.stdout).toMatch(/Usage: npm run admin -- assign-roles --email/);
    });

    it('says how to start the runtime when there is no state file, and refuses bad input with exit 1', async () => {
      const missing = await runAdmin(['list-users'], '/nonexistent/runtime.json');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(
        'No local runtime found: start it with `npm start` (or pass --stage for a deployed stage)',
      );
      expect(missing.stderr).not.toMatch(NO_STACK);

      const bad = await runAdmin(['assign-roles', '--email', 'a@example.com', '--roles', 'boss']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^Error: Unknown role boss/);
      expect(bad.stderr).not.toMatch(NO_STACK);
    });

    it('create-admin creates a user in employee + admin who signs in once with the generated password and must choose their own, with profile and audit record', async () => {
      const email = uniqueEmail();
      const run = await runAdmin(['create-admin', '--email', email.toUpperCase(), '--name', 'Ada Admin']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /✓ Cognito user created[\s\S]*✓ password set[\s\S]*✓ added to groups employee, admin/,
      );
      const sub = createdId(run);
      const password = /Generated password.*\n\s+(\S+)/.exec(run.stdout)?.[1];
      expect(password).toBeDefined();
      expect(passwordProblems(password!)).toEqual([]);

      // The generated password is temporary: the API's sign-in asks for a new one, under the policy.
      expect((await cognitoUser(email))?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
      const step = await post('/auth/login', { email, password: password! });
      expect(step.status, step.text).toBe(200);
      expect(step.json).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED', session: expect.any(String) });
      expect(step.json).not.toHaveProperty('accessToken');
      const weak = await post('/auth/login/new-password', {
        session: step.json.session,
        newPassword: 'weak',
      });
      expect(weak.status).toBe(400);
      const chosen = strongPassword();
      const signedIn = await post('/auth/login/new-password', {
        session: step.json.session,
        newPassword: chosen,
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      const claims = decodePayload(signedIn.json.accessToken as string);
      expect(claims.sub).toBe(sub);
      expect(claims['cognito:groups']).toEqual(expect.arrayContaining(['employee', 'admin']));
      // From now on the chosen password is theirs; the generated one is gone.
      expect((await post('/auth/login', { email, password: chosen })).json).toHaveProperty('accessToken');
      expect((await post('/auth/login', { email, password: password! })).status).toBe(401);
      const user = await cognitoUser(email);
      expect(user?.UserStatus).toBe('CONFIRMED');
      expect(user?.UserAttributes).toEqual(
        expect.arrayContaining([{ Name: 'email_verified', Value: 'true' }]),
      );

      expect(await profileItem(sub)).toMatchObject({
        entityType: 'USER',
        id: sub,
        email,
        fullName: 'Ada Admin',
        roles: ['employee', 'admin'],
        accountState: 'active',
        version: 1,
      });
      const audits = (await auditItems(sub)).filter((a) => a.action === 'users.create');
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        entityType: 'AUDIT',
        action: 'users.create',
        resource: { type: 'user', id: sub },
        subjectId: sub,
        outcome: 'allowed',
        status: 201,
        // The operator at the terminal: OS user and host, and the credentials (here the local runtime).
        actor: { type: 'operator', id: expect.stringMatching(/^.+@.+ \(local runtime\)$/), roles: [] },
        sourceIp: 'cli',
        userAgent: 'mha-admin-cli',
      });
      expect(audits[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(audits[0])).not.toContain(email);
    });

    it('create-admin uses a given password and never prints it', async () => {
      const email = uniqueEmail();
      const run = await runAdmin(['create-admin', '--email', email, '--name', 'Pat', '--password', STRONG]);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(STRONG);
      expect(run.stdout).not.toMatch(/Generated password/);
      expect((await signIn(email, STRONG)).sub).toBe(createdId(run));
    });

    it('refuses a weak password naming the broken rule, and creates nothing', async () => {
      const email = uniqueEmail();
      const run = await runAdmin([
        'create-admin',
        '--email',
        email,
        '--name',
        'Weak',
        '--password',
        'Password1234',
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/password policy:\n\s+- must contain a symbol \(password_symbol\)/);
      expect(run.stderr).not.toMatch(NO_STACK);
      expect(run.stdout).toBe('');
      expect(await cognitoUser(email)).toBeUndefined();
    });

    it('refuses an e-mail that already has an account, leaving the first untouched', async () => {
      const email = uniqueEmail();
      const first = await runAdmin([
        'create-admin',
        '--email',
        email,
        '--name',
        'First',
        '--password',
        STRONG,
      ]);
      const sub = createdId(first);
      const again = await runAdmin(['create-admin', '--email', email, '--name', 'Second']);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(`A user with e-mail ${email} already exists`);
      expect(await usersWithEmail(email)).toHaveLength(1);
      expect(await profileItem(sub)).toMatchObject({ fullName: 'First', version: 1 });
      expect(await auditItems(sub)).toHaveLength(1);
    });

    it('deletes the Cognito user again when the profile cannot be written', async () => {
      const email = uniqueEmail();
      const run = await runAdmin(
        ['create-admin', '--email', email, '--name', 'Half'],
        stateFileWith({ tableName: 'mha-no-such-table' }),
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /✓ added to groups[\s\S]*✓ Cognito user \S+ deleted again; nothing was created/,
      );
      expect(run.stdout).not.toMatch(/Generated password/);
      expect(run.stderr).toMatch(/non-existent table/);
      expect(await cognitoUser(email)).toBeUndefined();
    });

    it('assign-roles sets groups and profile roles, bumps the version and audits, when other admins remain', async () => {
      const email = uniqueEmail();
      const sub = createdId(
        await runAdmin(['create-admin', '--email', email, '--name', 'Demoted', '--password', STRONG]),
      );
      // Another admin exists whatever the other tests do, so taking admin from this one is allowed.
      createdId(
        await runAdmin(['create-admin', '--email', uniqueEmail(), '--name', 'Stays', '--password', STRONG]),
      );
      const created = await profileItem(sub);

      const run = await runAdmin(['assign-roles', '--email', email, '--roles', 'clinician']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Roles of ${email}: employee, admin → employee, clinician`);
      const user = await cognitoUser(email);
      expect(await groupsOf(user!.Username!)).toEqual(['clinician', 'employee']);
      const claims = await signIn(email, STRONG);
      expect(claims['cognito:groups']).not.toContain('admin');

      const profile = await profileItem(sub);
      expect(profile).toMatchObject({ roles: ['employee', 'clinician'], version: 2 });
      expect(profile!.updatedAt > created!.updatedAt).toBe(true);
      const audits = await auditItems(sub);
      expect(audits.map((a) => a.action).sort()).toEqual(['users.create', 'users.setRoles']);
      expect(audits.find((a) => a.action === 'users.setRoles')).toMatchObject({
        status: 200,
        outcome: 'allowed',
        actor: { type: 'operator', id: expect.stringContaining('(local runtime)') },
        reason: 'roles:employee,clinician',
        at: profile!.updatedAt,
      });

      const same = await runAdmin(['assign-roles', '--email', email, '--roles', 'clinician']);
      expect(same.code).toBe(0);
      expect(same.stdout).toMatch(/No change/);
      expect(await profileItem(sub)).toMatchObject({ version: 2 });
    });

    it('assign-roles keeps separation of duties: a refused set changes nothing and is audited', async () => {
      // An admin made through the API (one CLI run less: these tests spawn a process per command).
      const admin = await registerAccount(['admin'], 'duties');
      // The attack, tried by the operator this time (an admin cannot even ask: 403 in the API).
      const run = await runAdmin(['assign-roles', '--email', admin.email, '--roles', 'admin,clinician']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Separation of duties: clinician and admin cannot be held together.');
      expect(run.stderr).not.toMatch(NO_STACK);
      const user = await cognitoUser(admin.email);
      expect(await groupsOf(user!.Username!)).toEqual(['admin', 'employee']);
      expect(await profileItem(admin.id)).toMatchObject({ version: 1 });
      const denied = (await auditItems(admin.id)).filter((a) => a.outcome === 'denied');
      expect(denied).toEqual([
        expect.objectContaining({
          action: 'users.setRoles',
          status: 409,
          reason: 'separation_of_duties',
          actor: expect.objectContaining({ type: 'operator' }),
        }),
      ]);
    });

    it('assign-roles refuses an unknown e-mail', async () => {
      const email = uniqueEmail('nobody');
      const run = await runAdmin(['assign-roles', '--email', email, '--roles', 'admin']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`No user with e-mail ${email}`);
    });

    it('list-users shows a created user with id, roles, enabled and status', async () => {
      const email = uniqueEmail('listed');
      const sub = createdId(
        await runAdmin(['create-admin', '--email', email, '--name', 'Listed', '--password', STRONG]),
      );
      const all = await runAdmin(['list-users']);
      expect(all.code).toBe(0);
      expect(all.stdout).toMatch(/^EMAIL\s+ID\s+ROLES\s+ENABLED\s+STATUS$/m);
      expect(all.stdout).toMatch(
        new RegExp(`^${email}\\s+${sub}\\s+employee,admin\\s+yes\\s+CONFIRMED$`, 'm'),
      );
      const admins = await runAdmin(['list-users', '--group', 'admin']);
      expect(admins.stdout).toContain(email);
      const managers = await runAdmin(['list-users', '--group', 'manager']);
      expect(managers.code).toBe(0);
      expect(managers.stdout).not.toContain(email);
    });

    it('in a pool of its own: keeps the last admin, then demotes once another admin exists', async () => {
      const pool = await isolatedPool();
      const first = uniqueEmail('first');
      const second = uniqueEmail('second');
      const firstSub = createdId(
        await runAdmin(
          ['create-admin', '--email', first, '--name', 'First', '--password', STRONG],
          pool.stateFile,
        ),
      );

      const refused = await runAdmin(
        ['assign-roles', '--email', first, '--roles', 'employee'],
        pool.stateFile,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(`Refused: ${first} is the last enabled admin`);
      expect(refused.stderr).not.toMatch(NO_STACK);
      const firstUser = await cognitoUser(first, pool.userPoolId);
      expect(await groupsOf(firstUser!.Username!, pool.userPoolId)).toEqual(['admin', 'employee']);
      expect(await profileItem(firstSub)).toMatchObject({ roles: ['employee', 'admin'], version: 1 });

      const secondSub = createdId(
        await runAdmin(
          ['create-admin', '--email', second, '--name', 'Second', '--password', STRONG],
          pool.stateFile,
        ),
      );
      const demoted = await runAdmin(
        ['assign-roles', '--email', first, '--roles', 'employee'],
        pool.stateFile,
      );
      expect(demoted.code).toBe(0);
      expect(demoted.stdout).toContain(`Roles of ${first}: employee, admin → employee`);

      const listed = await runAdmin(['list-users'], pool.stateFile);
      const rows = listed.stdout.split('\n').filter((line) => line.includes('@example.com'));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(new RegExp(`^${first}\\s+${firstSub}\\s+employee\\s+yes\\s+CONFIRMED$`));
      expect(rows[1]).toMatch(
        new RegExp(`^${second}\\s+${secondSub}\\s+employee,admin\\s+yes\\s+CONFIRMED$`),
      );
      expect(listed.stdout).toMatch(/2 users in total/);
      const admins = await runAdmin(['list-users', '--group', 'admin'], pool.stateFile);
      expect(admins.stdout).not.toContain(first);
      expect(admins.stdout).toMatch(/1 user in group admin/);

      const lastAgain = await runAdmin(
        ['assign-roles', '--email', second, '--roles', 'manager'],
        pool.stateFile,
      );
      expect(lastAgain.code).toBe(1);
      expect(lastAgain.stderr).toMatch(/last enabled admin/);
      expect(inject('userPoolId')).not.toBe(pool.userPoolId);
    });

    it('--stage finds the pool by its stage name and uses the stage table (emulators standing in for AWS)', async () => {
      const stage = await emulatedStage('dev');
      const email = uniqueEmail('staged');
      const run = await runAdmin(
        [
          'create-admin',
          '--email',
          email,
          '--name',
          'Staged',
          '--password',
          STRONG,
          '--stage',
          'dev',
          '--yes',
        ],
        null,
        stage.env,
      );
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`in stage dev (us-east-1): pool ${stage.userPoolId}, table mha-dev-data`);
      const sub = createdId(run);
      expect(await cognitoUser(email, stage.userPoolId)).toBeDefined();
      expect(await cognitoUser(email)).toBeUndefined();
      expect(await profileItem(sub, 'mha-dev-data')).toMatchObject({ email, roles: ['employee', 'admin'] });
      expect(await profileItem(sub)).toBeUndefined();
      // A deployed stage's records name the access key of the deployment credentials.
      const [record] = await auditItems(sub, 'mha-dev-data');
      expect(record?.actor).toMatchObject({
        type: 'operator',
        id: expect.stringMatching(/@.+ \(AWS access key local\)$/),
      });

      const listed = await runAdmin(['list-users', '--stage', 'dev'], null, stage.env);
      expect(listed.stdout).toMatch(new RegExp(`^${email}\\s+${sub}\\s+employee,admin`, 'm'));
      const noPool = await runAdmin(['list-users', '--stage', 'staging'], null, stage.env);
      expect(noPool.code).toBe(1);
      expect(noPool.stderr).toContain('No user pool named mha-staging-users in us-east-1');
    });

    it('a writing command aimed at a deployed stage prints its plan and writes nothing without --yes', async () => {
      const stage = await emulatedStage('prod');
      const email = uniqueEmail('unconfirmed');
      const create = await runAdmin(
        ['create-admin', '--email', email, '--name', 'Not Yet', '--password', STRONG, '--stage', 'prod'],
        null,
        stage.env,
      );
      expect(create.code).toBe(3);
      expect(create.stdout).toContain('create-admin would write to stage prod:');
      expect(create.stdout).toMatch(/region +us-east-1/);
      expect(create.stdout).toMatch(/table +mha-prod-data/);
      expect(create.stdout).toMatch(new RegExp(`user pool +${stage.userPoolId}`));
      expect(create.stdout).toContain(`create the Cognito user ${email}`);
      expect(create.stderr).toContain('Nothing written. Run it again with --yes to write to stage prod.');
      expect(create.stderr).not.toMatch(NO_STACK);
      expect(await cognitoUser(email, stage.userPoolId)).toBeUndefined();
      expect(await usersWithEmail(email, stage.userPoolId)).toEqual([]);

      // seed-demo names its counts; nothing appears in the stage's table.
      const seed = await runAdmin(['seed-demo', '--stage', 'prod'], null, stage.env);
      expect(seed.code).toBe(3);
      expect(seed.stdout).toMatch(
        /write 4 departments \(Engineering 12, Customer Support 10, Sales 7, Legal 3\)/,
      );
      expect(seed.stdout).toMatch(/write 32 demo profiles, 128 analyses and 96 survey responses/);
      expect(await departmentNames('mha-prod-data')).not.toContain(expect.stringMatching(/Engineering/));
    });

    it('migrate and read-only commands on a deployed stage: a dry run needs no --yes, list-users takes none', async () => {
      const stage = await emulatedStage('prod');
      // A dry run writes nothing, so it needs no --yes; the plan of a real run includes one.
      const dryRun = await runAdmin(['migrate', '--stage', 'prod', '--dry-run'], null, stage.env);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      const migrate = await runAdmin(['migrate', '--stage', 'prod'], null, stage.env);
      expect(migrate.code).toBe(3);
      expect(migrate.stdout).toContain('migrate would write to stage prod:');

      // Read-only commands need nothing, and take no --yes.
      expect((await runAdmin(['list-users', '--stage', 'prod'], null, stage.env)).code).toBe(0);
      const listYes = await runAdmin(['list-users', '--stage', 'prod', '--yes'], null, stage.env);
      expect(listYes.code).toBe(1);
      expect(listYes.stderr).toMatch(/list-users does not take --yes/);
    });

    it('the local runtime needs no --yes, and accepts one', async () => {
      const email = uniqueEmail('local-yes');
      const run = await runAdmin([
        'create-admin',
        '--email',
        email,
        '--name',
        'Local',
        '--password',
        STRONG,
        '--yes',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(await cognitoUser(email)).toBeDefined();
    });
  },
);
