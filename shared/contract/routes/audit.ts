import * as z from 'zod/mini';
import { AuditEntry } from '../audit-entry.ts';
import { IsoTimestamp, pageOf, PageQuery, pattern } from '../common.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

/** `from`/`to` of an audit query (the access log's too). */
export const TimeRange = /* @__PURE__ */ dropIfUnused(() => ({
  from: z.optional(IsoTimestamp),
  to: z.optional(IsoTimestamp),
}));

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const searchAuditRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    id: 'audit.search',
    method: 'GET',
    path: '/audit',
    handler: 'functions/audit/search-audit.ts',
    summary:
      'Audit search: the auditor sees the full trail; admins only administrative records (users, departments, roles), everything about themselves (subjectId = own id) and everything they did (actorId = own id). By subject (any time range) or across subjects (at most 31 days), optionally by actor; newest first. Every search is audited',
    tag: 'audit',
    access: { users: ['admin', 'auditor'] },
    data: 'read',
    identity: 'none',
    throttle: 'default',
    request: {
      query: z.strictObject({
        ...PageQuery,
        ...TimeRange,
        subjectId: z.optional(
          z
            .string()
            .check(
              z.minLength(1),
              z.maxLength(64),
              pattern(/^[A-Za-z0-9-]+$/, 'a user id: letters, digits and `-`'),
            ),
        ),
        actorId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
      }),
    },
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const auditRoutes = {
  searchAudit: searchAuditRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const auditResponses = {
  searchAudit: {
    200: { description: 'A page of audit records', schema: /* @__PURE__ */ pageOf(AuditEntry) },
  },
} satisfies ResponsesOf<typeof auditRoutes>;
