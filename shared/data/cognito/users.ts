import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Group } from '#contract/identity.ts';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import type { AdminMember } from '#domain/roles.ts';
import { logger } from '#observability/powertools.ts';
import { cognito } from './client.ts';

/**
 * The pool's admin operations on one user, one function per operation: group membership, enabling,
 * disabling and signing out (an account's closure), deleting. Users are addressed by a username the
 * pool accepts: their `sub` (Cognito takes it as the Username of admin calls in pools that sign in by
 * e-mail, and so does cognito-local, so the purge needs no e-mail address after the profile is gone),
 * or the e-mail right after sign-up, before the profile exists.
 *
 * Local difference: cognito-local 5.x does not implement AdminUserGlobalSignOut (HTTP 500
 * `CognitoLocal#Unsupported`); the local runtime's Cognito proxy (lib/local/cognito-shim.ts) does. Should
 * the emulator be reached without it, only that answer, and only when the emulator is in use
 * (COGNITO_ENDPOINT set, never in AWS), is logged and accepted; every other error propagates. Either
 * way the API refuses the account's tokens itself (caller-access.ts), and the emulator ignores `Enabled`
 * at sign-in, which the API's sign-in checks instead.
 */
const pool = () => requireSetting('userPoolId');

const usingEmulator = (): boolean => runtimeEnv().cognitoEndpoint !== undefined;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

/** cognito-local's answer to an operation it does not implement. */
export const isEmulatorUnsupported = (error: unknown): boolean =>
  errorName(error) === 'Unsupported' ||
  (error instanceof Error && /Cognito Local unsupported feature/.test(error.message));

const USER_ABSENT = new Set(['UserNotFoundException', 'UserNotFoundError']);
const isUserAbsent = (error: unknown): boolean => USER_ABSENT.has(errorName(error));

export const groupsOfUser = async (sub: string): Promise<string[]> => {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: sub, NextToken: token }),
    );
    names.push(...(page.Groups ?? []).map((g) => g.GroupName ?? ''));
    token = page.NextToken;
  } while (token);
  return names;
};

export const adminMembers = async (): Promise<AdminMember[]> => {
  const members: AdminMember[] = [];
  let token: string | undefined;
  do {
    const page = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'admin', NextToken: token }),
    );
    // Identified by `sub`: AWS names e-mail-pool users by sub, cognito-local by their e-mail.
    members.push(
      ...(page.Users ?? []).map((u) => ({
        username: u.Attributes?.find((a) => a.Name === 'sub')?.Value ?? u.Username ?? '',
        enabled: u.Enabled !== false,
      })),
    );
    token = page.NextToken;
  } while (token);
  return members;
};

/**
 * Adds the user to one group. `userPoolId` is given only by the post-confirmation trigger, which
 * learns its pool from the event (a pool cannot be named in its own trigger's environment).
 */
export const addToGroup = async (
  username: string,
  group: Group,
  userPoolId: string = pool(),
): Promise<void> => {
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
  );
};

/** Applies a role change; on failure part-way the caller reverts with the inverse change. */
export const changeGroups = async (
  sub: string,
  add: readonly Group[],
  remove: readonly Group[],
): Promise<void> => {
  for (const group of add) await addToGroup(sub, group);
  for (const group of remove) {
    await cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username: sub, GroupName: group }),
    );
  }
};

export const enableUser = async (sub: string): Promise<void> => {
  await cognito.send(new AdminEnableUserCommand({ UserPoolId: pool(), Username: sub }));
};

export type CloseOutcome = 'signed_out' | 'not_supported_by_emulator' | 'already_absent';

/**
 * Cognito's half of a global sign-out: every refresh token of the user is revoked, so Cognito issues
 * no new tokens from them. The API's half is the cut on the profile (caller-access.ts), which already
 * refuses every token of the user's earlier sign-ins; a user already gone has nothing to sign out.
 */
export const signOutEverywhere = async (sub: string): Promise<CloseOutcome> => {
  try {
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool(), Username: sub }));
    return 'signed_out';
  } catch (error) {
    if (isUserAbsent(error)) return 'already_absent';
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
 * Closes the Cognito side of an account (deactivation, erasure): the user is disabled, so sign-in and
 * refresh are refused from now on (access tokens already issued are refused by the API's own check),
 * and signed out everywhere. Safe to repeat; a user already gone from the pool (deleted by an operator,
 * or purged) has nothing left to close.
 */
export const closeCognitoAccount = async (sub: string): Promise<CloseOutcome> => {
  try {
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool(), Username: sub }));
  } catch (error) {
    if (isUserAbsent(error)) return 'already_absent';
    throw error;
  }
  return signOutEverywhere(sub);
};

/** Deletes the Cognito user; one that is already gone is the same outcome. */
export const deleteCognitoUser = async (username: string): Promise<'deleted' | 'already_absent'> => {
  try {
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool(), Username: username }));
    return 'deleted';
  } catch (error) {
    if (isUserAbsent(error)) return 'already_absent';
    throw error;
  }
};
