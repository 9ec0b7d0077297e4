import * as z from 'zod/mini';
import { ConsentState } from '../consents.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';
import { userProfileFields } from '../user-profile.ts';

const Email = /* @__PURE__ */ dropIfUnused(() =>
  z.pipe(
    z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email()),
    z.transform((value) => value),
  ),
);
/** Length is bounded here; the policy rules are checked by the use case so the 400 can name each rule. */
const Password = /* @__PURE__ */ dropIfUnused(() => z.string().check(z.maxLength(256)));

/**
 * No department here: membership is set by admins (PUT /users/{user_id}), never chosen by the
 * registrant (a few accounts registering into a small department would pad it over the anonymity
 * threshold). The body is strict, so `departmentId` is a 400 naming the field.
 */
export const RegisterBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    email: Email,
    password: Password,
    fullName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  }),
);

export const ConfirmBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    email: Email,
    code: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
  }),
);

export const LoginBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    email: Email,
    password: z.string().check(z.minLength(1), z.maxLength(256)),
  }),
);

export const RefreshBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    refreshToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  }),
);

export const LogoutBody = RefreshBody;

/** A sign-in step's session as the API issued it (sealed; it expires with Cognito's, in minutes). */
const ChallengeSession = /* @__PURE__ */ dropIfUnused(() =>
  z.string().check(z.minLength(1), z.maxLength(12_288)),
);
/** A code of the user's authenticator app (RFC 6238: six digits). */
const TotpCode = /* @__PURE__ */ dropIfUnused(() =>
  z.string().check(z.regex(/^\d{6}$/, 'must be the 6 digits the authenticator app shows')),
);

export const LoginMfaBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ session: ChallengeSession, code: TotpCode }),
);

export const LoginNewPasswordBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ session: ChallengeSession, newPassword: Password }),
);

export const ChangePasswordBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    currentPassword: z.string().check(z.minLength(1), z.maxLength(256)),
    newPassword: Password,
  }),
);

export const ForgotPasswordBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ email: Email }));

export const ResetPasswordBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    email: Email,
    code: z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
    newPassword: Password,
  }),
);

export const TotpVerifyBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ code: TotpCode }));

/** The steps a sign-in may need after the password (docs/privacy.md, "Sign-in"). */
export const CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'MFA_SETUP', 'NEW_PASSWORD_REQUIRED'] as const;

/**
 * The answer of a sign-in step that needs another one (200: the step so far succeeded). `session`
 * continues it: SOFTWARE_TOKEN_MFA and MFA_SETUP at POST /auth/login/mfa with a code (for MFA_SETUP, of
 * the authenticator set up with `secretCode` first), NEW_PASSWORD_REQUIRED at POST
 * /auth/login/new-password.
 */
export const Challenge = /* @__PURE__ */ z.lazy(() =>
  z.object({
    challenge: z.enum(CHALLENGES),
    session: z.string(),
    /** Seconds the session is good for. */
    expiresIn: z.int(),
    /** MFA_SETUP: the secret to add to an authenticator app, as text … */
    secretCode: z.optional(z.string()),
    /** … and as the otpauth:// URI a QR code carries. */
    otpauthUri: z.optional(z.string()),
  }),
);

/** A TOTP secret to add to an authenticator app: as text, and as the otpauth:// URI a QR code carries. */
export const TotpEnrolment = /* @__PURE__ */ z.lazy(() =>
  z.object({ secretCode: z.string(), otpauthUri: z.string() }),
);

export const PasswordResetRequested = /* @__PURE__ */ z.lazy(() => z.object({ message: z.string() }));

export const Tokens = /* @__PURE__ */ z.lazy(() =>
  z.object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    idToken: z.string(),
    /** Present on login, and on refresh where the stage rotates refresh tokens. */
    refreshToken: z.optional(z.string()),
    /** Seconds until the access token expires. */
    expiresIn: z.int(),
  }),
);

export const Registration = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    email: z.string(),
    /** `confirmed` where the stage auto-confirms; otherwise a code was e-mailed (POST /auth/confirm). */
    status: z.enum(['confirmed', 'confirmation_required']),
  }),
);

/** The same shape as GET /users/me/consents. */
export const Consents = ConsentState;

export const Me = /* @__PURE__ */ z.lazy(() => z.object({ ...userProfileFields(), consents: Consents }));

/** Tokens, or the next step of the sign-in. */
export const SignInResult = /* @__PURE__ */ z.lazy(() => z.union([Tokens, Challenge]));

const common = { tag: 'auth', throttle: 'auth' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const registerRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.register',
    method: 'POST',
    path: '/auth/register',
    handler: 'functions/auth/register.ts',
    summary:
      'Create an account (employee role, no department: an admin sets it); e-mail domain limited per stage',
    access: { public: true },
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminConfirmSignUp', 'AdminAddUserToGroup', 'AdminDeleteUser'] },
    request: { body: RegisterBody },
  }),
);

export const confirmRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.confirm',
    method: 'POST',
    path: '/auth/confirm',
    handler: 'functions/auth/confirm.ts',
    summary: 'Confirm an account with the e-mailed code (stages that do not auto-confirm)',
    access: { public: true },
    data: 'none',
    identity: 'none',
    request: { body: ConfirmBody },
  }),
);

export const loginRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.login',
    method: 'POST',
    path: '/auth/login',
    handler: 'functions/auth/login.ts',
    summary:
      'Sign in with e-mail and password: tokens, or the next step (TOTP code, TOTP enrolment, new password); 5 failures from one address in 15 minutes lock that address out for 15 minutes',
    access: { public: true },
    data: 'read-write',
    identity: 'none',
    request: { body: LoginBody },
  }),
);

export const loginMfaRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.loginMfa',
    method: 'POST',
    path: '/auth/login/mfa',
    handler: 'functions/auth/login-mfa.ts',
    summary:
      'Continue a sign-in with a TOTP code (SOFTWARE_TOKEN_MFA), or with the first code of the authenticator being set up (MFA_SETUP)',
    access: { public: true },
    data: 'read-write',
    identity: 'none',
    request: { body: LoginMfaBody },
  }),
);

export const loginNewPasswordRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.loginNewPassword',
    method: 'POST',
    path: '/auth/login/new-password',
    handler: 'functions/auth/login-new-password.ts',
    summary:
      'Continue a sign-in that must set a new password (NEW_PASSWORD_REQUIRED: an account made or reset by the operator)',
    access: { public: true },
    data: 'read-write',
    identity: 'none',
    request: { body: LoginNewPasswordBody },
  }),
);

export const refreshRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.refresh',
    method: 'POST',
    path: '/auth/refresh',
    handler: 'functions/auth/refresh.ts',
    summary: 'New access and ID tokens for a refresh token',
    access: { public: true },
    data: 'read',
    identity: 'none',
    request: { body: RefreshBody },
  }),
);

export const logoutRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.logout',
    method: 'POST',
    path: '/auth/logout',
    handler: 'functions/auth/logout.ts',
    summary: 'Revoke the refresh token (and the tokens issued from it)',
    access: { users: 'any' },
    data: 'read-write',
    identity: 'none',
    request: { body: LogoutBody },
  }),
);

export const changePasswordRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.changePassword',
    method: 'POST',
    path: '/auth/password',
    handler: 'functions/auth/change-password.ts',
    summary: 'Change my password (current and new); ends every sign-in of the account, this one included',
    access: { users: 'any' },
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminUserGlobalSignOut'] },
    request: { body: ChangePasswordBody },
  }),
);

export const forgotPasswordRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.forgotPassword',
    method: 'POST',
    path: '/auth/password/forgot',
    handler: 'functions/auth/forgot-password.ts',
    summary:
      'Ask for a password-reset code by e-mail; the same 202 whether or not the address has an account',
    access: { public: true },
    data: 'read-write',
    identity: 'none',
    request: { body: ForgotPasswordBody },
  }),
);

export const resetPasswordRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.resetPassword',
    method: 'POST',
    path: '/auth/password/reset',
    handler: 'functions/auth/reset-password.ts',
    summary:
      'Set a new password with the e-mailed code; ends every sign-in of the account; a wrong code is one 400 for any address',
    access: { public: true },
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminGetUser', 'AdminUserGlobalSignOut'] },
    request: { body: ResetPasswordBody },
  }),
);

export const totpAssociateRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.totpAssociate',
    method: 'POST',
    path: '/auth/mfa/totp',
    handler: 'functions/auth/totp-associate.ts',
    summary: 'Start setting up a TOTP authenticator: a new secret, in force once a code of it is verified',
    access: { users: 'any' },
    data: 'read',
    identity: 'none',
    request: {},
  }),
);

export const totpVerifyRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.totpVerify',
    method: 'POST',
    path: '/auth/mfa/totp/verify',
    handler: 'functions/auth/totp-verify.ts',
    summary: 'Finish setting up TOTP with a code of the authenticator: every later sign-in asks for a code',
    access: { users: 'any' },
    data: 'read-write',
    identity: 'none',
    request: { body: TotpVerifyBody },
  }),
);

export const meRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'auth.me',
    method: 'GET',
    path: '/auth/me',
    handler: 'functions/auth/me.ts',
    summary: 'The caller’s own profile, roles and consents',
    throttle: 'default',
    access: { users: 'any' },
    data: 'read',
    identity: 'none',
    request: {},
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const authRoutes = {
  register: registerRoute,
  confirm: confirmRoute,
  login: loginRoute,
  loginMfa: loginMfaRoute,
  loginNewPassword: loginNewPasswordRoute,
  refresh: refreshRoute,
  logout: logoutRoute,
  changePassword: changePasswordRoute,
  forgotPassword: forgotPasswordRoute,
  resetPassword: resetPasswordRoute,
  totpAssociate: totpAssociateRoute,
  totpVerify: totpVerifyRoute,
  me: meRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const authResponses = {
  register: {
    201: {
      description:
        'Account created — or, for an address that already has one, the same answer (its owner is told by e-mail instead)',
      schema: Registration,
    },
  },
  confirm: { 204: { description: 'Confirmed' } },
  login: {
    200: { description: 'Tokens, or the next step of the sign-in', schema: SignInResult },
    401: { description: 'Wrong e-mail or password (the same answer for an address without an account)' },
    429: { description: 'Too many failures from this address for this e-mail (Retry-After)' },
  },
  loginMfa: {
    200: { description: 'Tokens, or the next step of the sign-in', schema: SignInResult },
    400: { description: 'The session is not one this API issued, or has expired' },
    401: { description: 'A wrong code, or the sign-in step expired' },
  },
  loginNewPassword: {
    200: { description: 'Tokens, or the next step of the sign-in', schema: SignInResult },
    400: { description: 'The new password breaks the policy (each rule named), or the session is not valid' },
  },
  changePassword: {
    204: { description: 'Changed; every sign-in ended: sign in again with the new password' },
    400: { description: 'The new password breaks the policy, or the current one is wrong' },
  },
  forgotPassword: {
    202: {
      description: 'A code is on its way if the address has an account',
      schema: PasswordResetRequested,
    },
  },
  resetPassword: {
    204: { description: 'The password is set; every sign-in of the account ended' },
    400: { description: 'A wrong or expired code, or a new password that breaks the policy' },
  },
  totpAssociate: { 200: { description: 'The new secret', schema: TotpEnrolment } },
  totpVerify: {
    204: { description: 'TOTP is in force for every later sign-in' },
    400: { description: 'A wrong code' },
  },
  refresh: { 200: { description: 'Tokens', schema: Tokens } },
  logout: { 204: { description: 'Signed out' } },
  me: { 200: { description: 'Profile', schema: Me } },
} satisfies ResponsesOf<typeof authRoutes>;
