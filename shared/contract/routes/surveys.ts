import * as z from 'zod/mini';
import { IsoTimestamp, pageOf, PageQuery, uuid } from '../common.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';
import {
  BurnoutTrend,
  INSTRUMENT_IDS,
  InstrumentCatalogue,
  SubmitSurveyResponseBody,
  SubmitSurveyResponseBodyChecked,
  SubmittedSurveyResponse,
  SurveyResponse,
} from '../survey.ts';

export { SubmitSurveyResponseBody };

const UserIdParams = /* @__PURE__ */ dropIfUnused(() => z.object({ user_id: uuid() }));
const TimeRange = /* @__PURE__ */ dropIfUnused(() => ({
  from: z.optional(IsoTimestamp),
  to: z.optional(IsoTimestamp),
}));

const common = { tag: 'surveys', throttle: 'default', identity: 'none' } as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const instrumentsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'surveys.instruments',
    method: 'GET',
    path: '/surveys/instruments',
    handler: 'functions/surveys/list-instruments.ts',
    summary: 'The instrument catalogue: ids, versions, items, answer scales, scoring, bands, flags, licences',
    access: { users: 'any' },
    data: 'none',
    request: {},
  }),
);

const submitRouteWith = <Body extends z.ZodMiniType>(body: Body) =>
  defineRoute({
    ...common,
    id: 'surveys.submit',
    method: 'POST',
    path: '/surveys/responses',
    handler: 'functions/surveys/submit-response.ts',
    summary:
      'Submit my answers: scored on the server, stored with instrument version, scores, band and flags; Idempotency-Key supported',
    access: { users: 'any' },
    data: 'read-write',
    events: 'risk',
    request: { body },
  });

export const submitRoute = /* @__PURE__ */ dropIfUnused(() => submitRouteWith(SubmitSurveyResponseBody));

/**
 * The submission as its handler runs it: the same route, its body checked by the written-out rules of
 * `SubmitSurveyResponseBodyChecked` (the same parsed body and 400 details) rather than by the zod kinds
 * of the contract's schema, which only the route table (the OpenAPI document, the console) needs.
 */
export const submitCheckedRoute = /* @__PURE__ */ dropIfUnused(() =>
  submitRouteWith(SubmitSurveyResponseBodyChecked),
);

export const listByUserRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'surveys.listByUser',
    method: 'GET',
    path: '/surveys/responses/user/{user_id}',
    handler: 'functions/surveys/list-responses.ts',
    summary: 'A user’s responses, newest first: self, or a clinician the user consented to (audited)',
    access: { users: 'any' },
    // Reads; reads by others and denials are audited (audit puts only).
    data: 'read',
    request: {
      params: UserIdParams,
      query: z.strictObject({ ...PageQuery, ...TimeRange, instrument: z.optional(z.enum(INSTRUMENT_IDS)) }),
    },
  }),
);

export const burnoutTrendRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'surveys.burnoutTrend',
    method: 'GET',
    path: '/surveys/responses/user/{user_id}/burnout-trend',
    handler: 'functions/surveys/get-burnout-trend.ts',
    summary:
      'CBI burnout series, slope per 30 days, latest band, change flag and the transparent risk model (self or consented clinician)',
    access: { users: 'any' },
    data: 'read',
    request: { params: UserIdParams, query: z.strictObject(TimeRange) },
  }),
);

/**
 * Instruments, responses, burnout trend (issue: surveys). The route table reads this; a handler imports
 * its own route's export.
 */
export const surveyRoutes = {
  instruments: instrumentsRoute,
  submit: submitRoute,
  listByUser: listByUserRoute,
  burnoutTrend: burnoutTrendRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const surveyResponses = {
  instruments: {
    200: { description: 'Every instrument at its current version', schema: InstrumentCatalogue },
  },
  submit: {
    201: {
      description: 'The stored response; `crisisResources` when a risk signal fired',
      schema: SubmittedSurveyResponse,
    },
    409: { description: 'A request with the same Idempotency-Key is still in progress' },
    422: { description: 'The Idempotency-Key was used with another body' },
  },
  listByUser: { 200: { description: 'A page of responses', schema: /* @__PURE__ */ pageOf(SurveyResponse) } },
  burnoutTrend: { 200: { description: 'Trend and risk (advice, not a diagnosis)', schema: BurnoutTrend } },
} satisfies ResponsesOf<typeof surveyRoutes>;
