import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
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
 * Local difference: cognito-local 5.x does not implement AdminUserGlobalSignOut (HTTP 500
 * `CognitoLocal#Unsupported`); the local runtime's Cognito proxy (lib/local/cognito-shim.ts) does. Should
 * the emulator be reached without it, only that answer, and only when the emulator is in use
 * (COGNITO_ENDPOINT set, never in AWS), is logged and accepted; every other error propagates. Either
 * way the API refuses the account's tokens itself (caller-access.ts), and the emulator ignores `Enabled`
 * at sign-in, which the API's sign-in checks instead.
 */
const usingEmulator = (): boolean => runtimeEnv().cognitoEndpoint !== undefined;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

/** cognito-local's answer to an operation it does not implement. */
export const isEmulatorUnsupported = (error: unknown): boolean =>
  errorName(error) === 'Unsupported' ||
  (error instanceof Error && /Cognito Local unsupported feature/.test(error.message));

export type CloseOutcome = 'signed_out' | 'not_supported_by_emulator' | 'already_absent';

const USER_ABSENT = new Set(['UserNotFoundException', 'UserNotFoundError']);

/**
 * Disables the user and revokes its refresh tokens; safe to repeat. A user already gone from the pool
 * (deleted by an operator, or purged) has nothing left to close.
 */
export const closeCognitoAccount = async (sub: string): Promise<CloseOutcome> => {
  const UserPoolId = requireSetting('userPoolId');
  try {
    await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: sub }));
  } catch (error) {
    if (USER_ABSENT.has(errorName(error))) return 'already_absent';
    throw error;
  }
  try {
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: sub }));
    return 'signed_out';
  } catch (error) {
    if (USER_ABSENT.has(errorName(error))) return 'already_absent';
    // Only the emulator's own "not implemented" answer, and only against the emulator.
    if (usingEmulator() && isEmulatorUnsupported(error)) {
      logger.warn(
        'AdminUserGlobalSignOut is not implemented by the Cognito emulator; refresh tokens stay valid',
      );
      return 'not_supported_by_emulator';
    }
    throw error;
  }
};

/**
 * Cognito's half of a global sign-out: every refresh token of the user is revoked, so Cognito issues
 * no new tokens from them. The API's half is the cut on the profile (caller-access.ts), which already
 * refuses every token of the user's earlier sign-ins; a user already gone has nothing to sign out.
 */
export const signOutEverywhere = async (sub: string): Promise<void> => {
  try {
    await cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: requireSetting('userPoolId'), Username: sub }),
    );
  } catch (error) {
    if (USER_ABSENT.has(errorName(error))) return;
    if (usingEmulator() && isEmulatorUnsupported(error)) return;
    throw error;
  }
};

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
