import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UserNotFoundException,
  type AttributeType,
  type UserPoolDescriptionType,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognito } from '../../shared/data/cognito/client.ts';
import { collectPages } from './pages.ts';

/**
 * The Cognito admin calls of the operator CLI, on the shared client (cognito-local's endpoint locally).
 * Users are addressed by their Cognito user name (a UUID in a pool that signs in with e-mail), which
 * cognito-local needs for group calls; AWS accepts it everywhere too.
 */
export interface PoolUser {
  username: string;
  sub: string;
  email: string;
  enabled: boolean;
  status: string;
}

/** AWS pages by at most 60 for these calls. */
const PAGE = 60;

const attribute = (attributes: AttributeType[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

const poolUser = (user: UserType): PoolUser => ({
  username: user.Username ?? '',
  sub: attribute(user.Attributes, 'sub') ?? user.Username ?? '',
  email: attribute(user.Attributes, 'email') ?? '',
  enabled: user.Enabled ?? true,
  status: user.UserStatus ?? 'UNKNOWN',
});

/** The region the client resolved (the default chain: AWS_REGION, then the profile). */
export const cognitoRegion = (): Promise<string> => cognito.config.region();

export const listUserPools = (): Promise<UserPoolDescriptionType[]> =>
  collectPages(async (NextToken) => {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: PAGE, NextToken }));
    return { items: page.UserPools, next: page.NextToken };
  });

/** The user signing in with this e-mail, or undefined. */
export const findUserByEmail = async (userPoolId: string, email: string): Promise<PoolUser | undefined> => {
  try {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }));
    return poolUser({ ...user, Attributes: user.UserAttributes });
  } catch (error) {
    if (error instanceof UserNotFoundException) return undefined;
    throw error;
  }
};

/** A user with a verified e-mail and no invitation message (the operator hands the password over). */
export const createUser = async (userPoolId: string, email: string): Promise<PoolUser> => {
  const { User } = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  if (!User?.Username || !attribute(User.Attributes, 'sub'))
    throw new Error('AdminCreateUser returned no user name or sub');
  return poolUser(User);
};

export const setPermanentPassword = async (userPoolId: string, username: string, password: string) => {
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
};

/**
 * A password the user must replace at their next sign-in (Cognito's FORCE_CHANGE_PASSWORD: the sign-in
 * answers NEW_PASSWORD_REQUIRED, POST /auth/login/new-password); their old one stops working now.
 */
export const setTemporaryPassword = async (userPoolId: string, username: string, password: string) => {
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: password,
      Permanent: false,
    }),
  );
};

export const addToGroup = async (userPoolId: string, username: string, group: string) => {
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
  );
};

export const removeFromGroup = async (userPoolId: string, username: string, group: string) => {
  await cognito.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
  );
};

export const deleteUser = async (userPoolId: string, username: string) => {
  await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
};

export const groupsOfUser = (userPoolId: string, username: string): Promise<string[]> =>
  collectPages(async (NextToken) => {
    const page = await cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        Limit: PAGE,
        NextToken,
      }),
    );
    return { items: page.Groups?.map((g) => g.GroupName ?? ''), next: page.NextToken };
  });

export const membersOfGroup = (userPoolId: string, group: string): Promise<PoolUser[]> =>
  collectPages(async (NextToken) => {
    const page = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, Limit: PAGE, NextToken }),
    );
    return { items: page.Users?.map(poolUser), next: page.NextToken };
  });

export const allUsers = (userPoolId: string): Promise<PoolUser[]> =>
  collectPages(async (PaginationToken) => {
    const page = await cognito.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Limit: PAGE, PaginationToken }),
    );
    return { items: page.Users?.map(poolUser), next: page.PaginationToken };
  });
