import { randomUUID } from 'node:crypto';
import { api, bearer } from './api.ts';
import type { Account } from './accounts.ts';
import { registerAccount } from './accounts.ts';
import { json, only, signedInUsers, type Scenario, type ScenarioContext } from './scenario-kit.ts';

const analysis = (userId: string, type: 'chat' | 'speech' | 'video') => ({
  userId,
  sentiment: { label: 'neutral', score: 0.5 },
  emotions: { neutral: 0.9, joy: 0.1 },
  model: { name: 'matrix-model', version: '1' },
  analyzedAt: new Date().toISOString(),
  ...(type === 'speech' ? { durationSec: 3 } : {}),
  ...(type === 'video' ? { facialEmotions: { neutral: 0.8 }, framesAnalysed: 10, durationSec: 3 } : {}),
});

/**
 * Storing an analysis for the subject: the subject themselves and a pipeline (analyses.write) may; any
 * other user is refused (403) whatever their role — a clinician or admin cannot write health data.
 */
const storeFor = (type: 'chat' | 'speech' | 'video'): Scenario => ({
  request: ({ subject }) => ({ path: `/analyses/${type}`, init: json('POST', analysis(subject.id, type)) }),
  expected: { ...only({ employeeSelf: 201 }, 403), machine: 201 },
  // The stored analysis names its user: the pipeline sees the user it wrote for.
  reveals: { machine: 'subject' },
});

/**
 * Reading the subject's analyses: the subject, and the clinician the subject consented to (the matrix's
 * subject granted clinicianWithConsent); everyone else 403 — managers and admins included.
 */
const listOf = (type: 'chat' | 'speech' | 'video'): Scenario => ({
  request: ({ subject }) => ({ path: `/analyses/${type}/user/${subject.id}` }),
  expected: only({ employeeSelf: 200, clinicianWithConsent: 200 }, 403),
  reveals: { clinicianWithConsent: 'subject' },
});

/**
 * The subject's own active session, for the routes that act on one. A scenario's `request` is built
 * before its `prepare`, so each scenario's first actor (anonymous, refused whatever the path) makes sure
 * the subject has an active session, and the following actors address it. Each scenario keeps its own,
 * so the order of the scenarios does not matter (ending one makes the next `ensure` start a new one).
 */
const subjectSessions = new Map<string, string>();
const ensureSubjectSession = async (scenarioId: string, subject: Account): Promise<void> => {
  const response = await api('/emo-buddy/sessions', { method: 'POST', headers: bearer(subject.accessToken) });
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`session start failed: ${response.status} ${response.text}`);
  subjectSessions.set(scenarioId, (response.json as { id: string }).id);
};
const sessionOf = (scenarioId: string): string => subjectSessions.get(scenarioId) ?? randomUUID();

/** Owner-only routes on the subject's session: another user's session is 404, never 403. */
const onSubjectSession = (
  scenarioId: string,
  build: (sessionId: string) => { path: string; init?: RequestInit },
  ownerStatus: number,
): Scenario => ({
  request: () => build(sessionOf(scenarioId)),
  prepare: async ({ actor, subject }: ScenarioContext) => {
    if (actor === 'anonymous') await ensureSubjectSession(scenarioId, subject);
    return {};
  },
  expected: only({ employeeSelf: ownerStatus }, 404),
});

/**
 * Starting a session acts on the caller's own data only, so the role does not matter: a fresh account per
 * call makes every allowed answer a new session (201) whatever ran before.
 */
const freshAccount = async ({ actor }: ScenarioContext): Promise<{ token?: string }> =>
  actor === 'anonymous' || actor === 'machine'
    ? {}
    : { token: (await registerAccount([], `matrix-emo-${actor.toLowerCase()}`)).accessToken };

/** Expectations for the analyses and EmoBuddy routes. */
export const WELLBEING_SCENARIOS: Record<string, Scenario> = {
  'analyses.storeChat': storeFor('chat'),
  'analyses.storeSpeech': storeFor('speech'),
  'analyses.storeVideo': storeFor('video'),
  'analyses.storeBatch': {
    // Pipelines only: a user's access token lacks the machine scope the method demands (401 at the gateway).
    request: ({ subject }) => ({
      path: '/analyses/chat/batch',
      init: json('POST', { items: [analysis(subject.id, 'chat')] }),
    }),
    expected: { ...signedInUsers(401), machine: 200 },
  },
  'analyses.listChat': listOf('chat'),
  'analyses.listSpeech': listOf('speech'),
  'analyses.listVideo': listOf('video'),
  'emo-buddy.startSession': {
    // Each caller starts a session of their own, on a fresh account so it is always a new one (201).
    request: () => ({ path: '/emo-buddy/sessions', init: { method: 'POST' } }),
    prepare: freshAccount,
    expected: signedInUsers(201),
  },
  'emo-buddy.listSessions': {
    request: () => ({ path: '/emo-buddy/sessions' }),
    expected: signedInUsers(200),
  },
  'emo-buddy.postMessage': onSubjectSession(
    'emo-buddy.postMessage',
    (id) => ({
      path: `/emo-buddy/sessions/${id}/messages`,
      init: json('POST', { role: 'user', content: 'matrix message' }),
    }),
    201,
  ),
  'emo-buddy.listMessages': onSubjectSession(
    'emo-buddy.listMessages',
    (id) => ({ path: `/emo-buddy/sessions/${id}/messages` }),
    200,
  ),
  'emo-buddy.endSession': onSubjectSession(
    'emo-buddy.endSession',
    (id) => ({ path: `/emo-buddy/sessions/${id}/end`, init: json('PUT', { moodAfter: 5 }) }),
    200,
  ),
};
