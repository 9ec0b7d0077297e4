import * as z from 'zod/mini';
import { pageOf, PageQuery, uuid } from '../common.ts';
import { GROUPS } from '../identity.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';
import { UserProfile } from '../user-profile.ts';

const UserIdParams = /* @__PURE__ */ dropIfUnused(() => z.object({ user_id: uuid() }));

/**
 * Profile update. Fields a user may change on their own profile: `fullName`. Fields only an admin may
 * change: `departmentId` (null removes it), `jobTitle`, `isActive`. Anything else (roles, ids, e-mail,
 * timestamps) is not in the schema and is a 400 naming the field. `version` is the one read: a stale
 * version is a 409.
 */
export const UpdateUserBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    fullName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    jobTitle: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(200)))),
    departmentId: z.optional(z.nullable(uuid())),
    isActive: z.optional(z.boolean()),
  }),
);

export const SetRolesBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    /**
     * The complete set of roles; `employee` is always kept. Every role name is valid input, but an
     * organisation admin may only grant and remove employee, manager and admin: a change of clinician
     * or auditor is a 403 and a set that breaks separation of duties a 409 (docs/privacy.md).
     */
    roles: z.array(z.enum(GROUPS)).check(z.maxLength(GROUPS.length)),
  }),
);

/**
 * An entry of the clinician directory: who a clinician is and where they work — nothing else (no
 * e-mail, no roles, nothing about the people they care for).
 */
export const ClinicianEntry = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.string(),
    displayName: z.string(),
    /** The clinician's department (their occupational-health or EAP unit), or null. */
    organisationUnit: z.nullable(z.string()),
  }),
);

const common = { tag: 'users', throttle: 'default', identity: 'none' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const listUsersRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.list',
    method: 'GET',
    path: '/users',
    handler: 'functions/users/list-users.ts',
    summary: 'Users: every user for admins, the users of their departments for managers',
    access: { users: ['admin', 'manager'] },
    data: 'read',
    request: { query: z.strictObject({ ...PageQuery, departmentId: z.optional(uuid()) }) },
  }),
);

export const getUserRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.get',
    method: 'GET',
    path: '/users/{user_id}',
    handler: 'functions/users/get-user.ts',
    summary: 'A profile: self, admin, clinician, or a manager of the user’s department',
    access: { users: 'any' },
    data: 'read',
    request: { params: UserIdParams },
  }),
);

export const updateUserRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.update',
    method: 'PUT',
    path: '/users/{user_id}',
    handler: 'functions/users/update-user.ts',
    summary: 'Update a profile (per-field permissions, optimistic locking with version)',
    access: { users: 'any' },
    data: 'read-write',
    // Admins switching `isActive` also enable or disable the Cognito user (and sign it out).
    identity: { cognitoAdmin: ['AdminEnableUser', 'AdminDisableUser', 'AdminUserGlobalSignOut'] },
    request: { params: UserIdParams, body: UpdateUserBody },
  }),
);

export const setRolesRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.setRoles',
    method: 'PUT',
    path: '/users/{user_id}/roles',
    handler: 'functions/users/set-roles.ts',
    summary:
      'Set a user’s roles (Cognito groups and profile together; a change ends every sign-in of the user): employee, manager, admin only; clinician and auditor are the operator’s (403), exclusive roles never together (409); never the last admin’s own; never on an account pending erasure (409)',
    access: { users: ['admin'] },
    data: 'read-write',
    identity: {
      cognitoAdmin: [
        'AdminListGroupsForUser',
        'ListUsersInGroup',
        'AdminAddUserToGroup',
        'AdminRemoveUserFromGroup',
        'AdminUserGlobalSignOut',
      ],
    },
    request: { params: UserIdParams, body: SetRolesBody },
  }),
);

export const listCliniciansRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.listClinicians',
    method: 'GET',
    path: '/clinicians',
    handler: 'functions/users/list-clinicians.ts',
    summary:
      'The clinician directory, by name: id, display name and unit of each active clinician — to name one in a consent',
    access: { users: 'any' },
    data: 'read',
    request: { query: z.strictObject(PageQuery) },
  }),
);

export const deactivateUserRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'users.deactivate',
    method: 'DELETE',
    path: '/users/{user_id}',
    handler: 'functions/users/deactivate-user.ts',
    summary:
      'Deactivate a user: soft delete, every sign-in ended at once, Cognito user disabled and signed out',
    access: { users: ['admin'] },
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminDisableUser', 'AdminUserGlobalSignOut'] },
    request: { params: UserIdParams },
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const userRoutes = {
  listUsers: listUsersRoute,
  getUser: getUserRoute,
  updateUser: updateUserRoute,
  setRoles: setRolesRoute,
  listClinicians: listCliniciansRoute,
  deactivateUser: deactivateUserRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const userResponses = {
  listUsers: { 200: { description: 'A page of profiles', schema: /* @__PURE__ */ pageOf(UserProfile) } },
  getUser: { 200: { description: 'Profile', schema: UserProfile } },
  updateUser: { 200: { description: 'Updated profile', schema: UserProfile } },
  setRoles: {
    200: { description: 'Updated profile', schema: UserProfile },
    403: { description: 'The change grants or removes clinician or auditor (the platform operator’s roles)' },
    409: { description: 'The set breaks separation of duties, or would remove the last enabled admin' },
  },
  listClinicians: {
    200: { description: 'A page of the directory', schema: /* @__PURE__ */ pageOf(ClinicianEntry) },
  },
  deactivateUser: { 204: { description: 'Deactivated' } },
} satisfies ResponsesOf<typeof userRoutes>;
