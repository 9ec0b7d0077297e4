import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { requireSetting, runtimeEnv } from '#contract/runtime-env.ts';
import { cognito } from './client.ts';
import { addToGroup } from './users.ts';

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
  await addToGroup(input.email, 'employee', userPoolId);
  return { kind: 'created', sub, confirmed };
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

/** The next steps of a sign-in the API can carry a user through (docs/privacy.md, "Sign-in"). */
export const SIGN_IN_CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED'] as const;
export type SignInChallenge = (typeof SIGN_IN_CHALLENGES)[number];

export type SignInOutcome =
  | { kind: 'signed_in'; tokens: IssuedTokens }
  | { kind: 'wrong_credentials' }
  /** Another step is due: `session` continues it (Cognito's, valid a few minutes), `username` names the user. */
  | { kind: 'challenge'; challenge: SignInChallenge; session: string; username: string }
  /** A step the API does not carry (custom challenges, SMS): only the managed login can. */
  | { kind: 'unsupported_challenge'; challenge: string };

const isSupported = (challenge: string | undefined): challenge is SignInChallenge =>
  (SIGN_IN_CHALLENGES as readonly string[]).includes(challenge ?? '');

/** A step's answer: tokens, or the next step. SELECT_MFA_TYPE is answered here: TOTP is our one factor. */
const nextStep = async (
  result: Pick<
    InitiateAuthCommandOutput,
    'AuthenticationResult' | 'ChallengeName' | 'Session' | 'ChallengeParameters'
  >,
  username: string,
): Promise<SignInOutcome> => {
  const tokens = toTokens(result.AuthenticationResult);
  if (tokens) return { kind: 'signed_in', tokens };
  const challenge = result.ChallengeName;
  if (challenge === 'SELECT_MFA_TYPE' && result.Session) {
    const chosen = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: requireSetting('apiClientId'),
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: result.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: 'SOFTWARE_TOKEN_MFA' },
      }),
    );
    return nextStep(chosen, username);
  }
  if (isSupported(challenge) && result.Session)
    return {
      kind: 'challenge',
      challenge,
      session: result.Session,
      // Cognito wants the user's own name in every answer (the sub in AWS, the e-mail locally).
      username: result.ChallengeParameters?.USER_ID_FOR_SRP ?? username,
    };
  return { kind: 'unsupported_challenge', challenge: challenge ?? 'UNKNOWN' };
};

export const signIn = async (email: string, password: string): Promise<SignInOutcome> => {
  try {
    const result = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: requireSetting('apiClientId'),
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return await nextStep(result, email);
  } catch (error) {
    // cognito-local answers a wrong password with InvalidPasswordException.
    const name = errorName(error);
    if (WRONG_CREDENTIALS.has(name) || name === 'InvalidPasswordException')
      return { kind: 'wrong_credentials' };
    throw error;
  }
};

export type ChallengeOutcome =
  SignInOutcome | { kind: 'wrong_code' } | { kind: 'session_expired' } | { kind: 'rejected_password' };

const CODE_REFUSED = new Set([
  'CodeMismatchException',
  'EnableSoftwareTokenMFAException',
  // Verifying before any secret was associated: no code can be right.
  'SoftwareTokenMFANotFoundException',
  'InvalidParameterException',
]);

/** Maps Cognito's answers to a challenge step onto the outcomes the API distinguishes. */
const challengeFailure = (error: unknown): ChallengeOutcome => {
  const name = errorName(error);
  if (CODE_REFUSED.has(name)) return { kind: 'wrong_code' };
  if (name === 'InvalidPasswordException') return { kind: 'rejected_password' };
  // An expired or already used session, a session for someone else.
  if (name === 'NotAuthorizedException' || name === 'ExpiredCodeException')
    return { kind: 'session_expired' };
  throw error;
};

/** Answers a TOTP step (SOFTWARE_TOKEN_MFA) or a forced new password (NEW_PASSWORD_REQUIRED). */
export const answerChallenge = async (
  step:
    | { challenge: 'SOFTWARE_TOKEN_MFA'; code: string }
    | { challenge: 'NEW_PASSWORD_REQUIRED'; newPassword: string }
    | { challenge: 'MFA_SETUP' },
  context: { session: string; username: string },
): Promise<ChallengeOutcome> => {
  const responses: Record<string, string> = { USERNAME: context.username };
  if (step.challenge === 'SOFTWARE_TOKEN_MFA') responses.SOFTWARE_TOKEN_MFA_CODE = step.code;
  if (step.challenge === 'NEW_PASSWORD_REQUIRED') responses.NEW_PASSWORD = step.newPassword;
  try {
    const result = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: requireSetting('apiClientId'),
        ChallengeName: step.challenge,
        Session: context.session,
        ChallengeResponses: responses,
      }),
    );
    return await nextStep(result, context.username);
  } catch (error) {
    return challengeFailure(error);
  }
};

/** Who is enrolling a TOTP authenticator: a signed-in user, or a sign-in in its MFA_SETUP step. */
export type TotpHolder = { accessToken: string } | { session: string };

const holderOf = (holder: TotpHolder) =>
  'accessToken' in holder ? { AccessToken: holder.accessToken } : { Session: holder.session };

/** A new TOTP secret for the holder (not in force until verified); the step's next session, if any. */
export const associateTotp = async (holder: TotpHolder): Promise<{ secret: string; session?: string }> => {
  const result = await cognito.send(new AssociateSoftwareTokenCommand(holderOf(holder)));
  if (!result.SecretCode) throw new Error('AssociateSoftwareToken returned no secret');
  return { secret: result.SecretCode, ...(result.Session ? { session: result.Session } : {}) };
};

/** Checks a code of the new authenticator; a session holder gets the session that continues sign-in. */
export const verifyTotp = async (
  holder: TotpHolder,
  code: string,
): Promise<{ kind: 'verified'; session?: string } | { kind: 'wrong_code' } | { kind: 'session_expired' }> => {
  try {
    const result = await cognito.send(
      new VerifySoftwareTokenCommand({
        ...holderOf(holder),
        UserCode: code,
        FriendlyDeviceName: 'authenticator',
      }),
    );
    if (result.Status !== 'SUCCESS') return { kind: 'wrong_code' };
    return { kind: 'verified', ...(result.Session ? { session: result.Session } : {}) };
  } catch (error) {
    const outcome = challengeFailure(error);
    if (outcome.kind === 'wrong_code' || outcome.kind === 'session_expired') return outcome;
    throw error;
  }
};

/** TOTP becomes the user's factor: Cognito asks for it at every sign-in from now on, on every client. */
export const preferTotp = async (accessToken: string): Promise<void> => {
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
};

export type PasswordChangeOutcome =
  { kind: 'changed' } | { kind: 'wrong_password' } | { kind: 'rejected_password' } | { kind: 'limited' };

/**
 * A signed-in user's password change. A wrong current password is NotAuthorizedException in AWS; the
 * emulator says InvalidPasswordException instead (it checks no policy, so that can only mean the old
 * one was wrong), while in AWS that name is the pool's refusal of the new one (e.g. reused).
 */
export const changePassword = async (
  accessToken: string,
  previous: string,
  proposed: string,
): Promise<PasswordChangeOutcome> => {
  try {
    await cognito.send(
      new ChangePasswordCommand({
        AccessToken: accessToken,
        PreviousPassword: previous,
        ProposedPassword: proposed,
      }),
    );
    return { kind: 'changed' };
  } catch (error) {
    const name = errorName(error);
    if (name === 'NotAuthorizedException') return { kind: 'wrong_password' };
    if (name === 'InvalidPasswordException')
      return runtimeEnv().cognitoEndpoint ? { kind: 'wrong_password' } : { kind: 'rejected_password' };
    if (name === 'LimitExceededException' || name === 'TooManyFailedAttemptsException')
      return { kind: 'limited' };
    throw error;
  }
};

/**
 * Sends a password-reset code to the address, if it has an account; the same outcome either way (the
 * pool's preventUserExistenceErrors answers an unknown address like a known one; the emulator does not,
 * so its "not found" is taken here). `purpose` tells the message trigger (and locally the outbox) which
 * e-mail this is: a reset the user asked for, or a notice that someone tried to register the address.
 */
export const requestPasswordReset = async (
  email: string,
  purpose: 'password_reset' | 'registration_attempt',
): Promise<void> => {
  try {
    await cognito.send(
      new ForgotPasswordCommand({
        ClientId: requireSetting('apiClientId'),
        Username: email,
        ClientMetadata: { purpose },
      }),
    );
  } catch (error) {
    const name = errorName(error);
    // No account, no verified address, too many codes: nothing is sent, and the caller cannot tell.
    if (
      WRONG_CREDENTIALS.has(name) ||
      name === 'InvalidParameterException' ||
      name === 'LimitExceededException' ||
      name === 'Unsupported'
    )
      return;
    throw error;
  }
};

export type PasswordResetOutcome =
  { kind: 'reset' } | { kind: 'invalid_code' } | { kind: 'rejected_password' };

/** Sets a new password with the e-mailed code; a wrong, expired or unknown code is one outcome. */
export const confirmPasswordReset = async (
  email: string,
  code: string,
  newPassword: string,
): Promise<PasswordResetOutcome> => {
  try {
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: requireSetting('apiClientId'),
        Username: email,
        ConfirmationCode: code,
        Password: newPassword,
      }),
    );
    return { kind: 'reset' };
  } catch (error) {
    const name = errorName(error);
    if (name === 'InvalidPasswordException') return { kind: 'rejected_password' };
    if (
      WRONG_CREDENTIALS.has(name) ||
      [
        'CodeMismatchException',
        'ExpiredCodeException',
        'LimitExceededException',
        'TooManyFailedAttemptsException',
      ].includes(name)
    )
      return { kind: 'invalid_code' };
    throw error;
  }
};

/** The `sub` of the account signing in with this e-mail (after it proved to be theirs). */
export const subOfEmail = async (email: string): Promise<string | undefined> => {
  try {
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: requireSetting('userPoolId'), Username: email }),
    );
    return user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
  } catch (error) {
    if (WRONG_CREDENTIALS.has(errorName(error))) return undefined;
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
