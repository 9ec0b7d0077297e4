import * as z from 'zod/mini';
import { uuid } from '../common.ts';
import { DashboardOverview, DashboardQuery, PeriodQuery, UserSummary } from '../analytics.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

const common = { tag: 'analytics', throttle: 'default', identity: 'none' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const userSummaryRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'analytics.userSummary',
    method: 'GET',
    path: '/analytics/user/{user_id}/summary',
    handler: 'functions/analytics/get-user-summary.ts',
    summary:
      'A user’s period summary from their rollups: counts, sentiment and emotions, latest scores, burnout risk, EmoBuddy use (self or consented clinician, audited)',
    access: { users: 'any' },
    // Reads; reads by others and denials are audited (audit puts only).
    data: 'read',
    request: { params: z.object({ user_id: uuid() }), query: PeriodQuery },
  }),
);

export const overviewRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'analytics.overview',
    method: 'GET',
    path: '/analytics/dashboard/overview',
    handler: 'functions/analytics/get-dashboard-overview.ts',
    summary:
      'Organisation (admins) and department aggregates of a closed calendar month: every number on at least k contributors to it, with complementary suppression audited against insiders, and the trend',
    access: { users: ['admin', 'manager'] },
    data: 'read',
    request: { query: DashboardQuery },
  }),
);

/**
 * A user's summary and the dashboard overview, read from rollups (issue: analytics). The route table
 * reads this; a handler imports its own route's export.
 */
export const analyticsRoutes = {
  userSummary: userSummaryRoute,
  overview: overviewRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const analyticsResponses = {
  userSummary: {
    200: { description: 'The summary (default period: the current month)', schema: UserSummary },
  },
  overview: {
    200: {
      description:
        'Default period: the latest closed month. A withheld number is null; a cell with nothing shown carries no numbers',
      schema: DashboardOverview,
    },
  },
} satisfies ResponsesOf<typeof analyticsRoutes>;
