import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminDeleteUserCommand,
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import { cognito } from './cognito.ts';

/**
 * Cognito account operations for the /auth routes, with Cognito's many error names reduced to the few
 * outcomes the API distinguishes. Everything that means "wrong credentials" is one outcome, so the
 * API cannot leak whether an e-mail is registered.
 */

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

const WRONG_CREDENTIALS = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  // cognito-local's names for the same answers
  'NotAuthorizedError',
  'UserNotFoundError',
  'UserNotConfirmedException',
]);

export interface IssuedTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

const toTokens = (result: AuthenticationResultType | undefined): IssuedTokens | undefined =>
  result?.AccessToken && result.IdToken
    ? {
        accessToken: result.AccessToken,
        idToken: result.IdToken,
        ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
        expiresIn: result.ExpiresIn ?? 3600,
      }
    : undefined;

export type SignUpOutcome =
  | { kind: 'created'; sub: string; confirmed: boolean }
  | { kind: 'exists' }
  | { kind: 'rejected_password'; message: string };

/**
 * Creates the Cognito user through the public SignUp (so hosted and API sign-ups follow one path and
 * the stage's e-mail verification), confirms it where the stage auto-confirms, and adds it to `employee`.
 */
export const signUpAccount = async (input: {
  email: string;
  password: string;
  fullName: string;
}): Promise<SignUpOutcome> => {
  const env = runtimeEnv();
  const clientId = requireSetting('apiClientId');
  let sub: string;
  let confirmed: boolean;
  try {
    const result = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: input.email,
        Password: input.password,
        UserAttributes: [
          { Name: 'email', Value: input.email },
          { Name: 'name', Value: input.fullName },
        ],
      }),
    );
    if (!result.UserSub) throw new Error('SignUp returned no user id');
    sub = result.UserSub;
    confirmed = result.UserConfirmed === true;
  } catch (error) {
    const name = errorName(error);
    if (name === 'UsernameExistsException') return { kind: 'exists' };
    if (name === 'InvalidPasswordException')
      return { kind: 'rejected_password', message: 'does not meet the password policy' };
    throw error;
  }
  const userPoolId = requireSetting('userPoolId');
  if (!confirmed && env.autoConfirm) {
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: input.email }));
    confirmed = true;
  }
  await cognito.send(
    new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: input.email, GroupName: 'employee' }),
  );
  return { kind: 'created', sub, confirmed };
};

/** Compensation when the profile cannot be written: no Cognito user without a profile. */
export const deleteAccount = async (email: string): Promise<void> => {
  await cognito.send(
    new AdminDeleteUserCommand({ UserPoolId: requireSetting('userPoolId'), Username: email }),
  );
};

export type ConfirmOutcome = { kind: 'confirmed' } | { kind: 'invalid_code' };

export const confirmAccount = async (email: string, code: string): Promise<ConfirmOutcome> => {
  try {
    await cognito.send(
      new ConfirmSignUpCommand({
        ClientId: requireSetting('apiClientId'),
        Username: email,
        ConfirmationCode: code,
      }),
    );
    return { kind: 'confirmed' };
  } catch (error) {
    const name = errorName(error);
    // Unknown user, wrong or expired code, already confirmed: one answer, no account enumeration.
    if (
      [
        'CodeMismatchException',
        'ExpiredCodeException',
        'UserNotFoundException',
        'NotAuthorizedException',
      ].includes(name) ||
      WRONG_CREDENTIALS.has(name)
    ) {
      return { kind: 'invalid_code' };
    }
    throw error;
  }
};

export type SignInOutcome =
  | { kind: 'signed_in'; tokens: IssuedTokens }
  | { kind: 'wrong_credentials' }
  | { kind: 'challenge'; challenge: string };

export const signIn = async (email: string, password: string): Promise<SignInOutcome> => {
  try {
    const result = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: requireSetting('apiClientId'),
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const tokens = toTokens(result.AuthenticationResult);
    if (tokens) return { kind: 'signed_in', tokens };
    return { kind: 'challenge', challenge: result.ChallengeName ?? 'UNKNOWN' };
  } catch (error) {
    // cognito-local answers a wrong password with InvalidPasswordException.
    const name = errorName(error);
    if (WRONG_CREDENTIALS.has(name) || name === 'InvalidPasswordException')
      return { kind: 'wrong_credentials' };
    throw error;
  }
};

export type RefreshOutcome = { kind: 'refreshed'; tokens: IssuedTokens } | { kind: 'invalid_token' };

/**
 * New tokens for a refresh token. Stages with refresh-token rotation must use GetTokensFromRefreshToken
 * (Cognito disables REFRESH_TOKEN_AUTH for rotating clients) and get a new refresh token back.
 */
export const refreshTokens = async (refreshToken: string): Promise<RefreshOutcome> => {
  const clientId = requireSetting('apiClientId');
  try {
    const result = runtimeEnv().refreshTokenRotation
      ? await cognito.send(
          new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }),
        )
      : await cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            ClientId: clientId,
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        );
    const tokens = toTokens(result.AuthenticationResult);
    return tokens ? { kind: 'refreshed', tokens } : { kind: 'invalid_token' };
  } catch (error) {
    if (WRONG_CREDENTIALS.has(errorName(error)) || errorName(error) === 'RefreshTokenReuseException') {
      return { kind: 'invalid_token' };
    }
    throw error;
  }
};

/** Revokes a refresh token; an unknown or already revoked one is not an error (logout is idempotent). */
export const revokeRefreshToken = async (refreshToken: string): Promise<void> => {
  try {
    await cognito.send(
      new RevokeTokenCommand({ ClientId: requireSetting('apiClientId'), Token: refreshToken }),
    );
  } catch (error) {
    if (WRONG_CREDENTIALS.has(errorName(error)) || errorName(error) === 'UnsupportedTokenTypeException')
      return;
    throw error;
  }
};
