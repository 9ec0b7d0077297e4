import { randomBytes } from 'node:crypto';
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import { logger } from '#observability/powertools.ts';
import { cognito } from './cognito.ts';

/**
 * The Cognito side of an erasure. Users are addressed by their `sub`: Cognito accepts it as the
 * Username of admin calls (pools that sign in by e-mail), and so does cognito-local, so the purge needs
 * no e-mail address after the profile is gone.
 *
 * Local differences (cognito-local 5.x), handled only when the emulator is in use (COGNITO_ENDPOINT set;
 * never in AWS, where every error propagates):
 * - AdminUserGlobalSignOut is not implemented: it answers HTTP 500 `CognitoLocal#Unsupported` (the SDK
 *   names the error `Unsupported`). Locally refresh tokens therefore stay usable after an erasure; the
 *   API refuses closed accounts itself, so they reach nothing.
 * - A disabled user can still sign in (the emulator ignores `Enabled`). So that sign-in is refused
 *   locally as in AWS, the emulator user's password is also replaced by a random one.
 */
const usingEmulator = (): boolean => runtimeEnv().cognitoEndpoint !== undefined;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

/** cognito-local's answer to an operation it does not implement. */
export const isEmulatorUnsupported = (error: unknown): boolean =>
  errorName(error) === 'Unsupported' ||
  (error instanceof Error && /Cognito Local unsupported feature/.test(error.message));

export type SignOutOutcome = 'signed_out' | 'not_supported_by_emulator';

/** Disables the user and revokes its refresh tokens; safe to repeat. */
export const closeCognitoAccount = async (sub: string): Promise<SignOutOutcome> => {
  const UserPoolId = requireSetting('userPoolId');
  if (usingEmulator()) {
    const password = `${randomBytes(24).toString('base64url')}aA1!`;
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId, Username: sub, Password: password, Permanent: true }),
    );
  }
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: sub }));
  try {
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: sub }));
    return 'signed_out';
  } catch (error) {
    if (usingEmulator() && isEmulatorUnsupported(error)) {
      logger.warn(
        'AdminUserGlobalSignOut is not implemented by the Cognito emulator; refresh tokens stay valid',
      );
      return 'not_supported_by_emulator';
    }
    throw error;
  }
};

const USER_ABSENT = new Set(['UserNotFoundException', 'UserNotFoundError']);

/** Deletes the Cognito user; one that is already gone is the same outcome. */
export const deleteCognitoUser = async (sub: string): Promise<'deleted' | 'already_absent'> => {
  try {
    await cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: requireSetting('userPoolId'), Username: sub }),
    );
    return 'deleted';
  } catch (error) {
    if (USER_ABSENT.has(errorName(error))) return 'already_absent';
    throw error;
  }
};
