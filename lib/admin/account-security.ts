import { signOutEverywhere } from '../../shared/data/cognito/users.ts';
import { cutAllSignIns, cutClientTokens } from '../../shared/data/account-sessions.ts';
import { auditRecord } from '../../shared/data/audit-repository.ts';
import { getProfile } from '../../shared/data/user-repository.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import { userTarget } from '../../shared/domain/audit.ts';
import { findUserByEmail, setTemporaryPassword } from './cognito-users.ts';
import { CliError } from './errors.ts';
import { operatorContext } from './operator.ts';
import { generatePassword } from './password.ts';
import type { Target } from './target.ts';

/**
 * The operator's account-security commands: a new temporary password for someone locked out of their
 * account (an admin who lost theirs), and ending every token of a user or of a pipeline client. Each
 * ends the sign-ins it concerns at once (the per-request check, shared/data/caller-access.ts) and is
 * audited with the operator as actor.
 */

const userOf = async (target: Target, email: string) => {
  const user = await findUserByEmail(target.userPoolId, email);
  if (!user) throw new CliError(`No user with e-mail ${email} in ${target.description}`);
  return user;
};

/** Ends every sign-in of the user: the profile's cut (with its audit record), then Cognito's tokens. */
const endSignIns = async (sub: string, action: string, reason: string, target: Target, clock: Clock) => {
  const audit = auditRecord(
    {
      action,
      ...userTarget(sub),
      status: 200,
      reason,
    },
    await operatorContext(target),
    clock,
  );
  if (await getProfile(sub)) await cutAllSignIns(sub, clock.now(), audit);
  await signOutEverywhere(sub);
};

/**
 * Sets a temporary password (generated unless given) that must be replaced at the next sign-in, and
 * ends every sign-in of the user; prints a generated one once.
 */
export const resetPassword = async (
  input: { email: string; password: string | undefined },
  target: Target,
  clock: Clock,
  log: (line: string) => void,
): Promise<void> => {
  const user = await userOf(target, input.email);
  const password = input.password ?? generatePassword();
  log(`Resetting the password of ${input.email} (id ${user.sub}) in ${target.description}`);
  await setTemporaryPassword(target.userPoolId, user.username, password);
  log('  ✓ temporary password set: the old one no longer works, the next sign-in asks for a new one');
  await endSignIns(user.sub, 'users.passwordReset', 'operator', target, clock);
  log('  ✓ every sign-in of the user ended');
  if (input.password === undefined) {
    log('');
    log('Temporary password (shown only this once; hand it over securely):');
    log(`  ${password}`);
  }
};

/** Ends every token of a user (by e-mail) or of a pipeline client (by client id). */
export const revokeTokens = async (
  input: { email: string } | { clientId: string },
  target: Target,
  clock: Clock,
  log: (line: string) => void,
): Promise<void> => {
  if ('email' in input) {
    const user = await userOf(target, input.email);
    await endSignIns(user.sub, 'users.tokensRevoke', 'operator', target, clock);
    log(`Every sign-in of ${input.email} (id ${user.sub}) ended; their tokens are refused from now on.`);
    return;
  }
  const audit = auditRecord(
    {
      action: 'users.tokensRevoke',
      resourceType: 'machine_client',
      resourceId: input.clientId,
      status: 200,
      reason: 'operator',
    },
    await operatorContext(target),
    clock,
  );
  await cutClientTokens(input.clientId, clock.now(), audit);
  log(`Every token issued to client ${input.clientId} until now is refused; new ones work.`);
};
