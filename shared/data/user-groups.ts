import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireSetting } from '#contract/runtime-env.ts';
import type { Group } from '#contract/identity.ts';
import type { AdminMember } from '#domain/roles.ts';
import { cognito } from './cognito.ts';

/**
 * Cognito group membership of one user, addressed by their `sub` (the pool's username for e-mail
 * sign-in pools; cognito-local resolves it too).
 */
const pool = () => requireSetting('userPoolId');

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

/** Applies a role change; on failure part-way the caller reverts with the inverse change. */
export const changeGroups = async (
  sub: string,
  add: readonly Group[],
  remove: readonly Group[],
): Promise<void> => {
  for (const group of add) {
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool(), Username: sub, GroupName: group }),
    );
  }
  for (const group of remove) {
    await cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username: sub, GroupName: group }),
    );
  }
};

/** Sign-in refused from now on; existing access tokens expire within the stage's token validity. */
export const disableUser = async (sub: string): Promise<void> => {
  await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool(), Username: sub }));
};

export const enableUser = async (sub: string): Promise<void> => {
  await cognito.send(new AdminEnableUserCommand({ UserPoolId: pool(), Username: sub }));
};
