/**
 * `npm run admin -- <command> [options]`: the operator CLI (create the first admin, assign roles, list
 * users) against the local runtime or a deployed stage. See lib/admin/ and `npm run admin -- --help`.
 */
import { runAdminCli } from '../lib/admin/cli.ts';

process.exitCode = await runAdminCli(process.argv.slice(2));
