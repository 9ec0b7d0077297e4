import * as z from 'zod/mini';
import { pageOf, PageQuery, uuid } from '../common.ts';
import { EmoMessage, EmoSession, EndSessionBody, PostedEmoMessage, PostMessageBody } from '../emo-buddy.ts';
import { dropIfUnused } from '../lazy.ts';
import { defineRoute, type ResponsesOf } from '../route.ts';

/** EmoBuddy sessions and messages (issue: wellbeing data). Every route acts on the caller's own sessions. */
const common = { tag: 'emo-buddy', throttle: 'default', identity: 'none', access: { users: 'any' } } as const;

const SessionParams = /* @__PURE__ */ dropIfUnused(() => z.object({ session_uuid: uuid() }));
const notFound = { description: 'No such session of yours (another user’s session is not found either)' };

// Each route is its own export, built by a call marked pure, so a function's bundle keeps the route it
// imports and drops its siblings with their request schemas (docs/build.md).
export const startSessionRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'emo-buddy.startSession',
    method: 'POST',
    path: '/emo-buddy/sessions',
    handler: 'functions/emo-buddy/start-session.ts',
    summary: 'Start my EmoBuddy session, or return the one that is active (one per user)',
    data: 'read-write',
    request: {},
  }),
);

export const listSessionsRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'emo-buddy.listSessions',
    method: 'GET',
    path: '/emo-buddy/sessions',
    handler: 'functions/emo-buddy/list-sessions.ts',
    summary: 'My EmoBuddy sessions, newest first',
    data: 'read',
    request: { query: z.strictObject({ ...PageQuery }) },
  }),
);

export const postMessageRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'emo-buddy.postMessage',
    method: 'POST',
    path: '/emo-buddy/sessions/{session_uuid}/messages',
    handler: 'functions/emo-buddy/post-message.ts',
    summary: 'Add a message to my active session (ordered by a per-session sequence number)',
    data: 'read-write',
    // Risk flags raise alerts, announced on the stage's event bus.
    events: 'risk',
    request: { params: SessionParams, body: PostMessageBody },
  }),
);

export const listMessagesRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'emo-buddy.listMessages',
    method: 'GET',
    path: '/emo-buddy/sessions/{session_uuid}/messages',
    handler: 'functions/emo-buddy/list-messages.ts',
    summary: 'The messages of my session, in order',
    data: 'read',
    request: { params: SessionParams, query: z.strictObject({ ...PageQuery }) },
  }),
);

export const endSessionRoute = /* @__PURE__ */ dropIfUnused(() =>
  defineRoute({
    ...common,
    id: 'emo-buddy.endSession',
    method: 'PUT',
    path: '/emo-buddy/sessions/{session_uuid}/end',
    handler: 'functions/emo-buddy/end-session.ts',
    summary: 'End my session (summary, mood after); message count and duration are stored',
    data: 'read-write',
    request: { params: SessionParams, body: z.optional(EndSessionBody) },
  }),
);

/** The area's routes: the route table reads this; a handler imports its own route's export. */
export const emoBuddyRoutes = {
  startSession: startSessionRoute,
  listSessions: listSessionsRoute,
  postMessage: postMessageRoute,
  listMessages: listMessagesRoute,
  endSession: endSessionRoute,
};

/** What each route answers: documentation for the OpenAPI document (see RouteDefinition.responses). */
export const emoBuddyResponses = {
  startSession: {
    200: { description: 'The active session that already existed', schema: EmoSession },
    201: { description: 'A new session', schema: EmoSession },
  },
  listSessions: { 200: { description: 'A page of sessions', schema: /* @__PURE__ */ pageOf(EmoSession) } },
  postMessage: {
    201: {
      description: 'The stored message (with the crisis resources when it raised a risk alert)',
      schema: PostedEmoMessage,
    },
    404: notFound,
    409: { description: 'The session has ended' },
  },
  listMessages: {
    200: { description: 'A page of messages', schema: /* @__PURE__ */ pageOf(EmoMessage) },
    404: notFound,
  },
  endSession: {
    200: { description: 'The ended session', schema: EmoSession },
    404: notFound,
    409: { description: 'Already ended' },
  },
} satisfies ResponsesOf<typeof emoBuddyRoutes>;
