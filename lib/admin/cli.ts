import { systemClock } from '../../shared/domain/clock.ts';
import { HELP, parseCommandLine, type Command } from './command-line.ts';
import { CliError, EXIT, operatorErrorFrom } from './errors.ts';
import type { Target } from './target.ts';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * The operator CLI: parse and validate everything first, then find the target (which sets the
 * environment shared/data reads once), then load and run the command. Returns the exit code.
 */
export const runAdminCli = async (argv: readonly string[], io: CliIo = consoleIo): Promise<number> => {
  let target: Target | undefined;
  try {
    const command: Command = parseCommandLine(argv);
    if (command.name === 'help') {
      io.out(HELP[command.topic ?? 'main'].trimEnd());
      return EXIT.ok;
    }
    // Only now may modules that create AWS clients from process.env be imported.
    const { resolveTarget } = await import('./target.ts');
    target = await resolveTarget(command.target);
    // Only a deployed stage may need a confirmation: the local runtime loads nothing for it.
    if (command.target.kind === 'stage') {
      const { describePlan, needsConfirmation } = await import('./confirmation.ts');
      if (needsConfirmation(command)) {
        for (const line of await describePlan(command, target)) io.out(line);
        io.err(`Nothing written. Run it again with --yes to write to stage ${target.stage}.`);
        return EXIT.needsConfirmation;
      }
    }
    switch (command.name) {
      case 'create-admin': {
        const { createAdmin } = await import('./create-admin.ts');
        await createAdmin(command, target, systemClock, io.out);
        break;
      }
      case 'assign-roles': {
        const { assignRoles } = await import('./assign-roles.ts');
        await assignRoles(command, target, systemClock, io.out);
        break;
      }
      case 'list-users': {
        const { listUsers } = await import('./list-users.ts');
        await listUsers(command, target, io.out);
        break;
      }
      case 'rebuild-rollups': {
        const { runRebuildRollups } = await import('./rebuild-rollups.ts');
        await runRebuildRollups(target, systemClock, io.out);
        break;
      }
      case 'migrate': {
        const { runMigrations } = await import('./migrations.ts');
        const started = Date.now();
        io.out(
          `Migrating ${target.description} (table ${target.tableName})${command.dryRun ? ' — dry run, nothing written' : ''}…`,
        );
        const ledgers = await runMigrations({
          now: () => systemClock.now(),
          progress: io.out,
          dryRun: command.dryRun,
        });
        const pending = ledgers.filter((l) => l.status !== 'done');
        io.out(
          `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${ledgers.length - pending.length} of ${ledgers.length} migrations complete` +
            (pending.length > 0 ? `; run again for ${pending.map((l) => l.id).join(', ')}` : '.'),
        );
        break;
      }
      case 'reset-password': {
        const { resetPassword } = await import('./account-security.ts');
        await resetPassword(command, target, systemClock, io.out);
        break;
      }
      case 'revoke-tokens': {
        const { revokeTokens } = await import('./account-security.ts');
        await revokeTokens(command.who, target, systemClock, io.out);
        break;
      }
      case 'seed-demo': {
        const { seedDemo } = await import('./seed-demo.ts');
        await seedDemo(target, systemClock, io.out, {
          personas: command.personas,
          previousMonth: command.previousMonth,
        });
        break;
      }
    }
    return EXIT.ok;
  } catch (error) {
    const operatorError =
      error instanceof CliError
        ? error
        : operatorErrorFrom(error, target?.description ?? 'the target', target?.unreachableHint);
    if (operatorError) {
      io.err(`Error: ${operatorError.message}`);
      return EXIT.userError;
    }
    io.err(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.unexpected;
  }
};
