import * as z from 'zod/mini';
import { ConsentState } from '../consents.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';
import { userProfileFields } from '../user-profile.ts';

const Email = z.pipe(
  z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email()),
  z.transform((value) => value),
);
/** Length is bounded here; the policy rules are checked by the use case so the 400 can name each rule. */
const Password = z.string().check(z.maxLength(256));

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

const common = { tag: 'auth', throttle: 'auth' } as const;

export const authRoutes = {
  register: defineRoute({
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
  confirm: defineRoute({
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
  login: defineRoute({
    ...common,
    id: 'auth.login',
    method: 'POST',
    path: '/auth/login',
    handler: 'functions/auth/login.ts',
    summary: 'Sign in with e-mail and password; 5 failures in 15 minutes lock the account for 15 minutes',
    access: { public: true },
    data: 'read-write',
    identity: 'none',
    request: { body: LoginBody },
  }),
  refresh: defineRoute({
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
  logout: defineRoute({
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
  me: defineRoute({
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
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const authResponses = {
  register: {
    201: { description: 'Account created', schema: Registration },
    409: { description: 'The e-mail is already registered' },
  },
  confirm: { 204: { description: 'Confirmed' } },
  login: { 200: { description: 'Tokens', schema: Tokens } },
  refresh: { 200: { description: 'Tokens', schema: Tokens } },
  logout: { 204: { description: 'Signed out' } },
  me: { 200: { description: 'Profile', schema: Me } },
} satisfies ResponsesOf<typeof authRoutes>;
