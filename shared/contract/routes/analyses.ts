import * as z from 'zod/mini';
import {
  Analysis,
  AnalysisBatchBody,
  AnalysisBatchBodyChecked,
  AnalysisBatchParams,
  AnalysisBatchParamsChecked,
  AnalysisBatchResult,
  ANALYSIS_INPUTS_CHECKED,
  ChatAnalysisInput,
  type AnalysisType,
  SpeechAnalysisInput,
  VideoAnalysisInput,
} from '../analysis.ts';
import { IsoTimestamp, pageOf, PageQuery, uuid } from '../common.ts';
import { MACHINE_SCOPES } from '../identity.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf, type RouteRequest } from '../route.ts';

/** Chat, speech and video analyses (issue: wellbeing data). */
const common = { tag: 'analyses', throttle: 'default', identity: 'none' } as const;

const writeResponses = {
  201: {
    description: 'Stored (a replay of the same Idempotency-Key and body answers the same)',
    schema: Analysis,
  },
  403: { description: 'A user storing an analysis for someone else' },
  404: { description: 'No such user' },
  409: { description: 'The user’s account is closed, or the same Idempotency-Key is in flight' },
  422: { description: 'Idempotency-Key reused with a different body' },
} as const;

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
const ListQuery = /* @__PURE__ */ dropIfUnused(() =>
  z.strictObject({ ...PageQuery, from: z.optional(IsoTimestamp), to: z.optional(IsoTimestamp) }),
);
const UserIdParams = /* @__PURE__ */ dropIfUnused(() => z.object({ user_id: uuid() }));

const postRoute = <Id extends string, Body extends z.ZodMiniType>(type: AnalysisType, id: Id, body: Body) =>
  defineRoute({
    ...common,
    id,
    method: 'POST',
    path: `/analyses/${type}`,
    handler: `functions/analyses/store-${type}-analysis.ts`,
    summary: `Store a ${type} analysis (the user, or a pipeline for any user); Idempotency-Key supported`,
    // The user themselves, or an analysis pipeline holding analyses.write (any user it names).
    access: { users: 'any', machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'read-write',
    // Risk flags raise alerts, announced on the stage's event bus.
    events: 'risk',
    request: { body },
  });

const listRoute = (type: AnalysisType, id: string) =>
  defineRoute({
    ...common,
    id,
    method: 'GET',
    path: `/analyses/${type}/user/{user_id}`,
    handler: `functions/analyses/list-${type}-analyses.ts`,
    summary: `A user’s ${type} analyses, newest first: the user, or a clinician they consented to`,
    access: { users: 'any' },
    data: 'read',
    request: { params: UserIdParams, query: ListQuery },
  });

export const storeChatRoute = /* @__PURE__ */ postRoute('chat', 'analyses.storeChat', ChatAnalysisInput);
export const storeSpeechRoute = /* @__PURE__ */ postRoute(
  'speech',
  'analyses.storeSpeech',
  SpeechAnalysisInput,
);
export const storeVideoRoute = /* @__PURE__ */ postRoute('video', 'analyses.storeVideo', VideoAnalysisInput);

/**
 * The stores as their handlers run them: the same routes, each body checked by the written-out rules of
 * `ANALYSIS_INPUTS_CHECKED` (the same parsed body and 400 details) rather than by the zod kinds of the
 * contract's schemas, which only the route table (the OpenAPI document, the console) needs.
 */
export const storeChatCheckedRoute = /* @__PURE__ */ dropIfUnused(() =>
  postRoute('chat', 'analyses.storeChat', ANALYSIS_INPUTS_CHECKED.chat),
);
export const storeSpeechCheckedRoute = /* @__PURE__ */ dropIfUnused(() =>
  postRoute('speech', 'analyses.storeSpeech', ANALYSIS_INPUTS_CHECKED.speech),
);
export const storeVideoCheckedRoute = /* @__PURE__ */ dropIfUnused(() =>
  postRoute('video', 'analyses.storeVideo', ANALYSIS_INPUTS_CHECKED.video),
);
const storeBatchRouteWith = <Params extends RouteRequest['params'], Body extends z.ZodMiniType>(
  params: Params,
  body: Body,
) =>
  defineRoute({
    ...common,
    id: 'analyses.storeBatch',
    method: 'POST',
    path: '/analyses/{type}/batch',
    handler: 'functions/analyses/store-analysis-batch.ts',
    summary: 'Store up to 100 analyses of one type (pipelines): per-item results, partial success',
    access: { users: 'none', machineScopes: [MACHINE_SCOPES.analysesWrite] },
    data: 'read-write',
    events: 'risk',
    request: { params, body },
  });
export const storeBatchRoute = /* @__PURE__ */ dropIfUnused(() =>
  storeBatchRouteWith(AnalysisBatchParams, AnalysisBatchBody),
);
/** The batch as its handler runs it: its type and body checked by their written-out rules. */
export const storeBatchCheckedRoute = /* @__PURE__ */ dropIfUnused(() =>
  storeBatchRouteWith(AnalysisBatchParamsChecked, AnalysisBatchBodyChecked),
);
export const listChatRoute = /* @__PURE__ */ listRoute('chat', 'analyses.listChat');
export const listSpeechRoute = /* @__PURE__ */ listRoute('speech', 'analyses.listSpeech');
export const listVideoRoute = /* @__PURE__ */ listRoute('video', 'analyses.listVideo');

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const analysisRoutes = {
  storeChat: storeChatRoute,
  storeSpeech: storeSpeechRoute,
  storeVideo: storeVideoRoute,
  storeBatch: storeBatchRoute,
  listChat: listChatRoute,
  listSpeech: listSpeechRoute,
  listVideo: listVideoRoute,
};

const listResponses = {
  200: { description: 'A page of analyses', schema: /* @__PURE__ */ pageOf(Analysis) },
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const analysisResponses = {
  storeChat: writeResponses,
  storeSpeech: writeResponses,
  storeVideo: writeResponses,
  storeBatch: {
    200: { description: 'Per-item results in request order', schema: AnalysisBatchResult },
    409: { description: 'The same Idempotency-Key is in flight' },
    422: { description: 'Idempotency-Key reused with a different body' },
  },
  listChat: listResponses,
  listSpeech: listResponses,
  listVideo: listResponses,
} satisfies ResponsesOf<typeof analysisRoutes>;
