import { parseArgs } from 'node:util';
import * as z from 'zod';
import { GROUPS, isGroup, type Group } from '../../shared/contract/identity.ts';
import { passwordProblems } from '../../shared/domain/password-policy.ts';
import { isStage, STAGES, type Stage } from '../config/index.ts';
import { CliError } from './errors.ts';

/** The stages the CLI can reach through AWS; `local` is the embedded runtime found by its state file. */
export type DeployedStage = Exclude<Stage, 'local'>;
const DEPLOYED_STAGES = STAGES.filter((s): s is DeployedStage => s !== 'local');

export type TargetSelection =
  { kind: 'local'; stateFile: string | undefined } | { kind: 'stage'; stage: DeployedStage };

export const COMMAND_NAMES = [
  'create-admin',
  'assign-roles',
  'list-users',
  'rebuild-rollups',
  'seed-demo',
  'migrate',
  'reset-password',
  'revoke-tokens',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type Command =
  | { name: 'help'; topic: CommandName | undefined }
  | {
      name: 'create-admin';
      target: TargetSelection;
      email: string;
      fullName: string;
      /** Undefined: generate one and print it once. */
      password: string | undefined;
      yes: boolean;
    }
  | { name: 'assign-roles'; target: TargetSelection; email: string; roles: Group[]; yes: boolean }
  | { name: 'list-users'; target: TargetSelection; group: Group | undefined }
  | { name: 'rebuild-rollups'; target: TargetSelection; yes: boolean }
  | { name: 'seed-demo'; target: TargetSelection; yes: boolean; personas: boolean; previousMonth: boolean }
  | { name: 'migrate'; target: TargetSelection; dryRun: boolean; yes: boolean }
  | {
      name: 'reset-password';
      target: TargetSelection;
      email: string;
      password: string | undefined;
      yes: boolean;
    }
  | {
      name: 'revoke-tokens';
      target: TargetSelection;
      who: { email: string } | { clientId: string };
      yes: boolean;
    };

const TARGET_HELP = `Target (default: the local runtime started by \`npm start\`):
  --state-file <path>   the local runtime's state file (default .local/runtime.json)
  --stage <stage>       a deployed stage instead: ${DEPLOYED_STAGES.join(', ')} (default AWS credentials
                        and region; the pool is found by name, the table is mha-<stage>-data)
  --yes                 with --stage, a command that writes does so: without it, it prints what it
                        would touch (stage, region, table, pool, counts) and exits 3 having written
                        nothing. The local runtime needs no --yes.`;

export const HELP: Record<'main' | CommandName, string> = {
  main: `Usage: npm run admin -- <command> [options]

Operator commands for the user pool and the user profiles.

Commands:
  create-admin   create an administrator (Cognito user in groups employee + admin, profile, audit)
  assign-roles   set a user's roles (Cognito groups + profile); the only way to make a clinician or an
                 auditor; keeps separation of duties, never removes the last admin
  list-users     list users with their roles, enabled flag and status
  rebuild-rollups recompute every analytics rollup from the source items
  seed-demo      create a demo organisation (departments, people, analyses, surveys)
  migrate        run pending item-shape migrations (versioned, idempotent, resumable)
  reset-password give a user a temporary password, changed at their next sign-in; ends their sign-ins
  revoke-tokens  end every sign-in of a user, or every token of a pipeline client

${TARGET_HELP}

  -h, --help            help; \`npm run admin -- <command> --help\` for a command

Exit codes: 0 done, 1 refused or invalid input (the message says why), 2 unexpected error,
3 a plan for a deployed stage was printed and nothing written (add --yes).
`,
  'create-admin': `Usage: npm run admin -- create-admin --email <e-mail> --name <full name> [--password <password>]

Creates an administrator: a confirmed Cognito user (e-mail as user name, e-mail verified, permanent
password) in the groups employee and admin, its profile (roles employee, admin) and an audit record.
Refuses an e-mail that already has an account. If the profile cannot be written, the Cognito user is
deleted again.

  --email <e-mail>       the admin's e-mail (stored lower-case)
  --name <full name>     the admin's full name
  --password <password>  at least 12 characters with upper- and lower-case letters, a digit and a
                         symbol; omit it to generate one, printed once

${TARGET_HELP}
`,
  'assign-roles': `Usage: npm run admin -- assign-roles --email <e-mail> --roles <role,role,...>

Makes the user's role groups exactly the given roles plus employee (every user is an employee), and
updates the profile's roles with an audit record in one transaction (actor: the operator — OS user,
host and credentials). This is the only way to grant or remove clinician and auditor: organisation
admins cannot, through the API. Refuses (and audits the refusal) a set that breaks separation of
duties — clinician never with admin, manager or auditor; auditor never with admin, manager or
clinician — and taking admin away from the last enabled admin. Prints the roles before and after.
The user signs up first (POST /auth/register or the hosted sign-up), then:
  npm run admin -- assign-roles --email nurse@example.com --roles clinician
  npm run admin -- assign-roles --email dpo@example.com --roles auditor

  --email <e-mail>       the user's e-mail
  --roles <list>         comma-separated, from: ${GROUPS.join(', ')}
                         (--roles employee removes every other role)

${TARGET_HELP}
`,
  'list-users': `Usage: npm run admin -- list-users [--group <role>]

Lists every user (or the members of one group): e-mail, id (sub), roles, enabled, status.

  --group <role>         only members of this group: ${GROUPS.join(', ')}

${TARGET_HELP}
`,
  'rebuild-rollups': `Usage: npm run admin -- rebuild-rollups

Recomputes every analytics rollup (users: days, ISO weeks, months; departments and the organisation:
months) from the source items with the stream aggregator's own code, deleting stale rollups and
contributor markers, with progress per page of users. Users who opted out of aggregate analytics or
asked for erasure are left out of department and organisation rollups. A closed month that comes out
different is marked revised and withheld from the dashboard (docs/anonymity.md). Run it once after
upgrading to per-statistic contributor counts. In AWS, disable the aggregator's event source mapping
while it runs and enable it again afterwards; locally, run it while nothing writes to the API.

${TARGET_HELP}
`,
  migrate: `Usage: npm run admin -- migrate [--dry-run]

Runs the pending item-shape migrations in order (lib/admin/migrations.ts). Each keeps a ledger item
(MIGRATION#<id>) with its counts and scan position: a finished migration is skipped, an interrupted one
resumes where it stopped, and every write is conditional on the item not having changed meanwhile
(such items are picked up by running again). Progress is printed per page.

  --dry-run              count what would change, write nothing

${TARGET_HELP}
`,
  'reset-password': `Usage: npm run admin -- reset-password --email <e-mail> [--password <password>]

For someone who cannot sign in any more (an admin who lost their password): sets a temporary
password — generated and printed once, unless given — that works for one sign-in, which asks for a
new password (POST /auth/login answers NEW_PASSWORD_REQUIRED; POST /auth/login/new-password). The
old password stops working at once and every sign-in of the user ends. Audited (users.passwordReset,
actor: the operator). Users who still have their e-mail use POST /auth/password/forgot instead.

  --email <e-mail>       the user's e-mail
  --password <password>  the temporary password (policy as for create-admin); omit to generate one

${TARGET_HELP}
`,
  'revoke-tokens': `Usage: npm run admin -- revoke-tokens (--email <e-mail> | --client <client id>)

Ends at once every sign-in of a user (a stolen token, a device lost) — their tokens are refused from
the next request on and their refresh tokens revoked — or every token issued so far to a pipeline
client (the client then gets new ones with its secret; rotate the secret in Cognito first if it
leaked). Audited (users.tokensRevoke, actor: the operator).

  --email <e-mail>       the user
  --client <client id>   the pipeline's app client id

${TARGET_HELP}
`,
  'seed-demo': `Usage: npm run admin -- seed-demo [--personas] [--previous-month]

Creates a demo organisation through the repositories: four departments (12, 10, 7 and 3 people: the
last below the anonymity threshold), their people (profiles only, no sign-in), four analyses and a
PHQ-9, GAD-7 and CBI response per person in the current month. Each run adds a new set (names carry
a run tag). The rollups follow within seconds through the stream aggregator; the dashboard serves the
month once it is closed (locally: restart with npm start -- --clock <an instant after the close>).

  --personas   local runtime only: also one account per role to sign in to the console with
               (employee, manager, clinician, admin, auditor; one generated password, printed),
               the manager managing every demo department, the employee with 90 days of check-ins
  --previous-month
               the same again in the previous month, for the dashboard's trend; only while that
               month is still open (a closed month changed later is withheld as revised): locally,
               start with npm start -- --clock <the first days of a month>

${TARGET_HELP}
`,
};

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  password: { type: 'string' },
  roles: { type: 'string' },
  group: { type: 'string' },
  stage: { type: 'string' },
  'state-file': { type: 'string' },
  'dry-run': { type: 'boolean' },
  personas: { type: 'boolean' },
  'previous-month': { type: 'boolean' },
  yes: { type: 'boolean' },
  client: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type OptionName = keyof typeof OPTIONS;

const TARGET_OPTIONS: OptionName[] = ['stage', 'state-file', 'help'];
/** Commands that write take --yes (the confirmation a deployed stage needs, confirmation.ts). */
const WRITE_OPTIONS: OptionName[] = [...TARGET_OPTIONS, 'yes'];
const ALLOWED: Record<CommandName, OptionName[]> = {
  'create-admin': ['email', 'name', 'password', ...WRITE_OPTIONS],
  'assign-roles': ['email', 'roles', ...WRITE_OPTIONS],
  'list-users': ['group', ...TARGET_OPTIONS],
  'rebuild-rollups': WRITE_OPTIONS,
  'seed-demo': ['personas', 'previous-month', ...WRITE_OPTIONS],
  migrate: ['dry-run', ...WRITE_OPTIONS],
  'reset-password': ['email', 'password', ...WRITE_OPTIONS],
  'revoke-tokens': ['email', 'client', ...WRITE_OPTIONS],
};

const isCommandName = (value: string): value is CommandName =>
  (COMMAND_NAMES as readonly string[]).includes(value);

const seeHelp = (command?: CommandName) => `see \`npm run admin -- ${command ? `${command} ` : ''}--help\``;

/** node:util's messages are written for developers; say the same thing to an operator. */
const parseError = (error: unknown): CliError => {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new CliError(`Unknown option ${option ?? ''}; ${seeHelp()}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new CliError(
        `Option ${option ?? ''} needs a value (a value starting with "-" is written ${option ?? '--option'}=<value>)`,
      );
    default:
      return new CliError(message ?? 'Invalid arguments');
  }
};

const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

const requireValue = (value: string | undefined, option: string, command: CommandName): string => {
  if (value === undefined || value.trim() === '')
    throw new CliError(`${command} needs --${option}; ${seeHelp(command)}`);
  return value;
};

/** E-mails are trimmed and lower-cased, as the API's /auth routes do, so one address is one account. */
export const parseEmail = (value: string | undefined, command: CommandName): string => {
  const raw = requireValue(value, 'email', command);
  const result = EmailSchema.safeParse(raw);
  if (!result.success) throw new CliError(`--email "${raw}" is not a valid e-mail address`);
  return result.data;
};

export const parseFullName = (value: string | undefined): string => {
  const name = requireValue(value, 'name', 'create-admin').trim().replace(/\s+/g, ' ');
  if (name.length > 100) throw new CliError('--name must be at most 100 characters');
  return name;
};

export const checkPassword = (password: string): void => {
  const problems = passwordProblems(password, 'password');
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.message} (${p.code})`).join('\n');
    throw new CliError(`--password does not meet the password policy:\n${lines}`);
  }
};

/** `--roles manager,admin`: known roles only, employee always included, in the canonical order. */
export const parseRoles = (value: string | undefined): Group[] => {
  const raw = requireValue(value, 'roles', 'assign-roles');
  const given = raw
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = given.filter((r) => !isGroup(r));
  if (unknown.length > 0)
    throw new CliError(
      `Unknown role${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; roles are ${GROUPS.join(', ')}`,
    );
  if (given.length === 0) throw new CliError(`--roles needs at least one of ${GROUPS.join(', ')}`);
  return GROUPS.filter((g) => g === 'employee' || given.includes(g));
};

const parseGroup = (value: string | undefined): Group | undefined => {
  if (value === undefined) return undefined;
  const group = value.trim().toLowerCase();
  if (!isGroup(group)) throw new CliError(`Unknown group "${value}"; groups are ${GROUPS.join(', ')}`);
  return group;
};

const parseTarget = (stage: string | undefined, stateFile: string | undefined): TargetSelection => {
  if (stage === undefined) return { kind: 'local', stateFile };
  if (stateFile !== undefined)
    throw new CliError('--stage and --state-file do not go together: one target at a time');
  if (!isStage(stage))
    throw new CliError(`Unknown stage "${stage}"; --stage is one of ${DEPLOYED_STAGES.join(', ')}`);
  if (stage === 'local')
    throw new CliError('For the local runtime omit --stage (it is found through its state file)');
  return { kind: 'stage', stage };
};

/**
 * Parses and validates the whole command line before anything is contacted, so a typo or a weak
 * password is refused without side effects.
 */
export const parseCommandLine = (argv: readonly string[]): Command => {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;

  if (first === undefined || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommandName(topic))
      throw new CliError(`Unknown command "${topic}"; commands are ${COMMAND_NAMES.join(', ')}`);
    if (first === undefined && !values.help) throw new CliError(`Which command?\n\n${HELP.main.trimEnd()}`);
    return { name: 'help', topic };
  }
  if (!isCommandName(first))
    throw new CliError(`Unknown command "${first}"; commands are ${COMMAND_NAMES.join(', ')}`);
  const command = first;
  if (values.help) return { name: 'help', topic: command };
  if (rest.length > 0) throw new CliError(`Unexpected argument "${rest[0]}"; ${seeHelp(command)}`);

  const misplaced = (Object.keys(values) as OptionName[]).filter((o) => !ALLOWED[command].includes(o));
  if (misplaced.length > 0)
    throw new CliError(
      `${command} does not take ${misplaced.map((o) => `--${o}`).join(', ')}; ${seeHelp(command)}`,
    );

  const target = parseTarget(values.stage, values['state-file']);
  const yes = values.yes === true;
  switch (command) {
    case 'create-admin': {
      const email = parseEmail(values.email, command);
      const fullName = parseFullName(values.name);
      if (values.password !== undefined) checkPassword(values.password);
      return { name: command, target, email, fullName, password: values.password, yes };
    }
    case 'assign-roles':
      return {
        name: command,
        target,
        email: parseEmail(values.email, command),
        roles: parseRoles(values.roles),
        yes,
      };
    case 'list-users':
      return { name: command, target, group: parseGroup(values.group) };
    case 'rebuild-rollups':
      return { name: command, target, yes };
    case 'seed-demo':
      return {
        name: command,
        target,
        yes,
        personas: values.personas === true,
        previousMonth: values['previous-month'] === true,
      };
    case 'migrate':
      return { name: command, target, dryRun: values['dry-run'] === true, yes };
    case 'reset-password': {
      const email = parseEmail(values.email, command);
      if (values.password !== undefined) checkPassword(values.password);
      return { name: command, target, email, password: values.password, yes };
    }
    case 'revoke-tokens': {
      if ((values.email === undefined) === (values.client === undefined))
        throw new CliError(`revoke-tokens needs either --email or --client; ${seeHelp(command)}`);
      if (values.client !== undefined) {
        const clientId = values.client.trim();
        if (!/^[A-Za-z0-9]{1,128}$/.test(clientId))
          throw new CliError(`--client "${values.client}" is not an app client id`);
        return { name: command, target, who: { clientId }, yes };
      }
      return { name: command, target, who: { email: parseEmail(values.email, command) }, yes };
    }
  }
};
