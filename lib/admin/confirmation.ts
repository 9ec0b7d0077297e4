import type { Command } from './command-line.ts';
import type { Target } from './target.ts';

type RunnableCommand = Exclude<Command, { name: 'help' }>;

/**
 * Commands that only read. Every other command writes, so it needs --yes on a deployed stage: a command
 * added later is guarded until it is listed here, never the other way round.
 */
const READ_ONLY: ReadonlySet<RunnableCommand['name']> = new Set(['list-users']);

/** Whether the command must print its plan and stop: it writes, to a deployed stage, without --yes. */
export const needsConfirmation = (command: RunnableCommand): boolean =>
  command.target.kind === 'stage' &&
  !READ_ONLY.has(command.name) &&
  !(command.name === 'migrate' && command.dryRun) &&
  !('yes' in command && command.yes);

/** What the command would change, in the operator's words (counts where they are known up front). */
const changes = async (command: RunnableCommand, target: Target): Promise<string[]> => {
  switch (command.name) {
    case 'create-admin':
      return [
        `create the Cognito user ${command.email} (confirmed; ${command.password === undefined ? 'a generated temporary password, replaced at the first sign-in' : 'the given password'}) in the groups employee, admin`,
        'write 1 profile and 1 audit record',
      ];
    case 'assign-roles':
      return [
        `set the role groups of ${command.email} to exactly ${command.roles.join(', ')}`,
        "update that user's profile and write 1 audit record",
      ];
    case 'seed-demo': {
      const { ANALYSES_PER_PERSON, DEMO_DEPARTMENTS, DEMO_INSTRUMENTS } = await import('./seed-demo.ts');
      const people = DEMO_DEPARTMENTS.reduce((sum, d) => sum + d.people, 0);
      const months = command.previousMonth ? 2 : 1;
      return [
        `write ${DEMO_DEPARTMENTS.length} departments (${DEMO_DEPARTMENTS.map((d) => `${d.name} ${d.people}`).join(', ')})`,
        `write ${people} demo profiles, ${people * ANALYSES_PER_PERSON * months} analyses and ${people * DEMO_INSTRUMENTS.length * months} survey responses, each with its audit record`,
      ];
    }
    case 'rebuild-rollups':
      return [
        `rewrite every analytics rollup and contributor marker in ${target.tableName} from the source items, deleting stale ones`,
        "rewrite every user's survey state",
      ];
    case 'migrate': {
      // The dry run reads and counts; it writes nothing.
      const { runMigrations } = await import('./migrations.ts');
      const lines: string[] = [];
      const ledgers = await runMigrations({
        now: () => new Date(),
        progress: (l) => lines.push(l),
        dryRun: true,
      });
      const pending = ledgers.filter((l) => l.status !== 'done');
      return pending.length === 0
        ? ['nothing: every migration is complete']
        : [
            `run the migrations ${pending.map((l) => l.id).join(', ')}; the dry run found:`,
            ...lines.map((l) => `  ${l}`),
          ];
    }
    case 'reset-password':
      return [
        `set a temporary password for ${command.email} (${command.password === undefined ? 'generated' : 'the one given'}; replaced at the next sign-in)`,
        'end every sign-in of that user and write 1 audit record',
      ];
    case 'revoke-tokens':
      return 'email' in command.who
        ? [`end every sign-in of ${command.who.email} and write 1 audit record`]
        : [
            `cut every token of the app client ${command.who.clientId} issued before now, and write 1 audit record`,
          ];
    case 'list-users':
      return [];
  }
};

/** The plan a writing command prints for a deployed stage before anything is written. */
export const describePlan = async (command: RunnableCommand, target: Target): Promise<string[]> => [
  `${command.name} would write to stage ${target.stage}:`,
  `  account   ${target.account ?? 'the one of your current AWS credentials (not pinned in the stage config)'}`,
  `  region    ${target.region ?? 'your default region'}`,
  `  table     ${target.tableName}`,
  `  user pool ${target.userPoolId}`,
  '  it would:',
  ...(await changes(command, target)).map((line) => `    - ${line}`),
];
