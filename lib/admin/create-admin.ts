import { UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import type { Group } from '../../shared/contract/identity.ts';
import { auditRecord } from '../../shared/data/audit-repository.ts';
import { createProfile, newProfile } from '../../shared/data/user-repository.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import { userTarget } from '../../shared/domain/audit.ts';
import {
  addToGroup,
  createUser,
  deleteUser,
  findUserByEmail,
  setPermanentPassword,
  setTemporaryPassword,
} from './cognito-users.ts';
import { CliError } from './errors.ts';
import { operatorContext } from './operator.ts';
import { generatePassword } from './password.ts';
import type { Target } from './target.ts';

export interface CreateAdminInput {
  email: string;
  fullName: string;
  password: string | undefined;
}

const ADMIN_ROLES: Group[] = ['employee', 'admin'];

const exists = (email: string) =>
  new CliError(`A user with e-mail ${email} already exists; use assign-roles to make them admin.`);

/**
 * Cognito user → password → groups → profile + audit (one transaction). A failure after the Cognito
 * user exists deletes it again, so a retry starts from nothing. A generated password is temporary: the
 * new admin must choose their own at the first sign-in (NEW_PASSWORD_REQUIRED); one the operator gives
 * with --password is kept.
 */
export const createAdmin = async (
  input: CreateAdminInput,
  target: Target,
  clock: Clock,
  log: (line: string) => void,
): Promise<void> => {
  const { email, fullName } = input;
  const password = input.password ?? generatePassword();
  log(
    `Creating admin ${email} in ${target.description}: pool ${target.userPoolId}, table ${target.tableName}`,
  );

  if (await findUserByEmail(target.userPoolId, email)) throw exists(email);

  const user = await createUser(target.userPoolId, email).catch((error: unknown) => {
    throw error instanceof UsernameExistsException ? exists(email) : error;
  });
  log(`  ✓ Cognito user created (id ${user.sub})`);
  try {
    if (input.password === undefined) {
      await setTemporaryPassword(target.userPoolId, user.username, password);
      log('  ✓ password set (temporary: to be changed at the first sign-in)');
    } else {
      await setPermanentPassword(target.userPoolId, user.username, password);
      log('  ✓ password set (permanent)');
    }
    for (const group of ADMIN_ROLES) await addToGroup(target.userPoolId, user.username, group);
    log(`  ✓ added to groups ${ADMIN_ROLES.join(', ')}`);

    const now = clock.now().toISOString();
    const audit = auditRecord(
      {
        action: 'users.create',
        ...userTarget(user.sub),
        status: 201,
      },
      await operatorContext(target),
      clock,
    );
    await createProfile(newProfile({ id: user.sub, email, fullName, roles: ADMIN_ROLES, at: now }), audit);
    log(`  ✓ profile and audit record written (audit ${audit.id})`);
  } catch (error) {
    log('  ✗ a step failed after the Cognito user was created: deleting it so nothing is half-written');
    try {
      await deleteUser(target.userPoolId, user.username);
      log(`  ✓ Cognito user ${email} deleted again; nothing was created`);
    } catch (cleanup) {
      log(
        `  ✗ could not delete the Cognito user (${(cleanup as Error).message}); delete ${email} (user name ${user.username}) by hand`,
      );
    }
    throw error;
  }

  log('');
  log(`Admin created: ${email} (id ${user.sub}, roles ${ADMIN_ROLES.join(', ')})`);
  if (input.password === undefined) {
    log('Generated password (shown only this once; hand it over securely):');
    log(`  ${password}`);
    log('It works for one sign-in, which asks for a new password (POST /auth/login answers');
    log('NEW_PASSWORD_REQUIRED; POST /auth/login/new-password sets it).');
  }
};
