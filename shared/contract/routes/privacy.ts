import * as z from 'zod/mini';
import { AuditEntry } from '../audit-entry.ts';
import { pageOf, PageQuery } from '../common.ts';
import { ConsentState, UpdateConsentsBody } from '../consents.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';
import { TimeRange } from './audit.ts';

export { ConsentState, UpdateConsentsBody };

const Item = /* @__PURE__ */ dropIfUnused(() => z.record(z.string(), z.unknown()));

export const ExportQuery = /* @__PURE__ */ dropIfUnused(() =>
  z.strictObject({
    /** The `nextCursor` of the previous part; absent for the first part. */
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  }),
);

/**
 * Everything the service holds about the caller (GDPR Art. 15/20). A Lambda response is limited to
 * 6 MB, so a large export comes in parts of at most ~5 MB: each part says which it is, and `nextCursor`
 * (sealed, bound to the caller) fetches the next one until `complete` is true. Part 1 carries the
 * profile and current consents; the other sections continue across parts in order: items of the user's
 * partition by entity type, EmoBuddy messages by session, then the access log.
 */
export const ExportDocument = /* @__PURE__ */ z.lazy(() =>
  z.object({
    format: z.literal('mha-export/1'),
    subjectId: z.string(),
    /** When the export started (the same in every part). */
    exportedAt: z.string(),
    part: z.int(),
    complete: z.boolean(),
    nextCursor: z.nullable(z.string()),
    profile: z.optional(Item),
    consents: z.optional(ConsentState),
    consentHistory: z.array(Item),
    /** Items of the user's own partition (analyses, survey responses, sessions, …) by entity type. */
    records: z.record(z.string(), z.array(Item)),
    /** EmoBuddy messages by session id. */
    emoBuddyMessages: z.record(z.string(), z.array(Item)),
    /** Audit records about the user: every access to their data, and their own actions. */
    accessLog: z.array(Item),
  }),
);
export type ExportDocument = z.infer<typeof ExportDocument>;

export const ErasureScheduled = /* @__PURE__ */ z.lazy(() =>
  z.object({
    requestedAt: z.string(),
    /** Every item of the user is purged after this time (the stage's grace period). */
    purgeAfter: z.string(),
  }),
);

const common = { tag: 'privacy', throttle: 'default', access: { users: 'any' }, identity: 'none' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const getConsentsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'privacy.getConsents',
    method: 'GET',
    path: '/users/me/consents',
    handler: 'functions/privacy/get-consents.ts',
    summary: 'My consents: clinician access and aggregate analytics',
    data: 'read',
    request: {},
  }),
);

export const updateConsentsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'privacy.updateConsents',
    method: 'PUT',
    path: '/users/me/consents',
    handler: 'functions/privacy/update-consents.ts',
    summary: 'Grant or revoke consents; effective on the next request; every change versioned',
    data: 'read-write',
    request: { body: UpdateConsentsBody },
  }),
);

export const exportMyDataRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'privacy.export',
    method: 'GET',
    path: '/users/me/export',
    handler: 'functions/privacy/export-my-data.ts',
    summary: 'All my data as one JSON document, in parts of at most ~5 MB (GDPR Art. 15/20)',
    // Reads only; the audit record of the export is an audit put, which every function may make.
    data: 'read',
    request: { query: ExportQuery },
  }),
);

export const accessLogRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'privacy.accessLog',
    method: 'GET',
    path: '/users/me/access-log',
    handler: 'functions/privacy/get-access-log.ts',
    summary: 'Who read or changed my data, when and why; newest first',
    data: 'read',
    request: { query: z.strictObject({ ...PageQuery, ...TimeRange }) },
  }),
);

export const eraseMeRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'privacy.erase',
    method: 'DELETE',
    path: '/users/me',
    handler: 'functions/privacy/erase-me.ts',
    summary: 'Erase my account: access ends now, every item is purged after the grace period (GDPR Art. 17)',
    data: 'read-write',
    identity: { cognitoAdmin: ['AdminDisableUser', 'AdminUserGlobalSignOut'] },
    request: {},
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const privacyRoutes = {
  getConsents: getConsentsRoute,
  updateConsents: updateConsentsRoute,
  exportMyData: exportMyDataRoute,
  accessLog: accessLogRoute,
  eraseMe: eraseMeRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const privacyResponses = {
  getConsents: { 200: { description: 'Consents', schema: ConsentState } },
  updateConsents: {
    200: { description: 'Consents', schema: ConsentState },
    409: { description: 'Concurrent changes kept colliding; retry' },
  },
  exportMyData: {
    200: { description: 'Everything the service holds about me (one part)', schema: ExportDocument },
  },
  accessLog: {
    200: { description: 'A page of audit records about me', schema: /* @__PURE__ */ pageOf(AuditEntry) },
  },
  eraseMe: {
    202: {
      description: 'Erasure scheduled (the same answer while it is pending)',
      schema: ErasureScheduled,
    },
  },
} satisfies ResponsesOf<typeof privacyRoutes>;
