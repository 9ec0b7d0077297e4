import * as z from 'zod/mini';
import { pageOf, PageQuery, uuid } from '../common.ts';
import { RiskAlert } from '../risk-alert.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

/** `unresolved` (default) = open and acknowledged, oldest first; `resolved` = most recently resolved first. */
export const ALERT_LIST_STATUSES = ['unresolved', 'open', 'acknowledged', 'resolved'] as const;

export const UpdateAlertBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    /** acknowledge an open alert, or resolve an acknowledged one. */
    status: z.enum(['acknowledged', 'resolved']),
    /** The version read; a stale one is a 409. */
    version: z.int().check(z.minimum(1)),
    note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
  }),
);

const common = {
  tag: 'alerts',
  throttle: 'default',
  identity: 'none',
  // Clinicians only: managers and admins are refused at the route (403) and never see an alert.
  access: { users: ['clinician'] },
} as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const listRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'alerts.list',
    method: 'GET',
    path: '/alerts',
    handler: 'functions/alerts/list-alerts.ts',
    summary: 'Risk alerts for clinicians: unresolved oldest first, or by status; every alert read is audited',
    // Reads, plus the audit record of each alert shown (audit puts only).
    data: 'read',
    request: {
      query: z.strictObject({ ...PageQuery, status: z._default(z.enum(ALERT_LIST_STATUSES), 'unresolved') }),
    },
  }),
);

export const updateRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'alerts.update',
    method: 'PUT',
    path: '/alerts/{alert_id}',
    handler: 'functions/alerts/update-alert.ts',
    summary: 'Acknowledge an open alert or resolve an acknowledged one (who and when recorded; audited)',
    data: 'read-write',
    request: { params: z.object({ alert_id: uuid() }), body: UpdateAlertBody },
  }),
);

/**
 * Risk alerts for clinicians (issue: surveys, safety pipeline). The route table reads this; a handler
 * imports its own route's export.
 */
export const alertRoutes = {
  list: listRoute,
  update: updateRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const alertResponses = {
  list: { 200: { description: 'A page of alerts', schema: /* @__PURE__ */ pageOf(RiskAlert) } },
  update: {
    200: { description: 'The alert after the change', schema: RiskAlert },
    409: { description: 'Stale version, or a transition the alert’s status does not allow' },
  },
} satisfies ResponsesOf<typeof alertRoutes>;
