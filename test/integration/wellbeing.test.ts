import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as keys from '#data/dynamodb/keys.ts';
import { loadStageConfig } from '../../lib/config/index.ts';
import { api, bearer, expectEnvelope, type ApiResponse } from './support/api.ts';
import { machineToken, registerAccount, type Account } from './support/accounts.ts';
import { outboxItemOf, publishedRiskEvent } from './support/risk-events.ts';

/**
 * Analyses, batch ingestion, Idempotency-Key and EmoBuddy through the local gateway on the real
 * emulators. Storage-level facts (exactly one record, the alert item, TTL'd items) are checked in the
 * table itself, with the key builders the repositories use.
 */
const region = 'us-east-1';
let documents: DynamoDBDocumentClient;
let pipeline = '';

beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  pipeline = await machineToken();
});
afterAll(() => documents.destroy());

type Item = Record<string, unknown>;

const queryAll = async (pk: string, skPrefix: string): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: inject('tableName'),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};
const analysesInTable = (userId: string, type: 'chat' | 'speech' | 'video') =>
  queryAll(`USER#${userId}`, keys.analysisPrefix(type));

const HOUR_MS = 3_600_000;

const send = (method: string, path: string, token: string, body?: unknown, headers: Item = {}) =>
  api(path, {
    method,
    headers: {
      ...bearer(token),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(headers as Record<string, string>),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const chat = (overrides: Item = {}): Item => ({
  sentiment: { label: 'negative', score: 0.81 },
  emotions: { sadness: 0.6, fear: 0.2, neutral: 0.2 },
  model: { name: 'distilroberta-emotion', version: '2.1.0' },
  analyzedAt: new Date().toISOString(),
  sourceId: `chat-message-${randomUUID()}`,
  ...overrides,
});
const speech = (overrides: Item = {}): Item => ({
  ...chat(),
  durationSec: 42.5,
  voiceFeatures: { pitch_mean_hz: 180.2, energy: 0.4 },
  ...overrides,
});
const video = (overrides: Item = {}): Item => ({
  ...chat(),
  facialEmotions: { joy: 0.1, sadness: 0.7 },
  framesAnalysed: 1200,
  durationSec: 40,
  ...overrides,
});

const errorFields = (response: ApiResponse) =>
  ((response.json as { error: { details?: Array<{ field: string }> } }).error.details ?? []).map(
    (d) => d.field,
  );

describe('POST /analyses/{type}: validation', () => {
  let user: Account;
  beforeAll(async () => {
    user = await registerAccount([], 'analyses-validation');
  });

  it('names every invalid field of a chat analysis in one 400', async () => {
    const response = await send('POST', '/analyses/chat', user.accessToken, {
      sentiment: { label: 'happy', score: 1.5 },
      emotions: { happiness: 0.3, joy: 2 },
      analyzedAt: 'yesterday',
      riskFlags: ['panic'],
      mentalState: { stress: -0.1 },
      audio: 'base64…',
    });
    expectEnvelope(response, 400, 'VALIDATION_FAILED');
    expect(errorFields(response).sort()).toEqual(
      [
        'body.sentiment.label',
        'body.sentiment.score',
        'body.emotions.happiness',
        'body.emotions.joy',
        'body.model',
        'body.analyzedAt',
        'body.riskFlags.0',
        'body.mentalState.stress',
        'body.audio',
      ].sort(),
    );
  });

  it('names the type-specific fields of speech and video analyses', async () => {
    const badSpeech = await send('POST', '/analyses/speech', user.accessToken, {
      ...speech({ durationSec: -1, voiceFeatures: { pitch: 'high' } }),
      transcription: '',
    });
    expectEnvelope(badSpeech, 400, 'VALIDATION_FAILED');
    expect(errorFields(badSpeech).sort()).toEqual(
      ['body.durationSec', 'body.transcription', 'body.voiceFeatures.pitch'].sort(),
    );
    const { durationSec: _omit, ...withoutDuration } = video({
      framesAnalysed: 0,
      facialEmotions: { smile: 1 },
    });
    const badVideo = await send('POST', '/analyses/video', user.accessToken, withoutDuration);
    expectEnvelope(badVideo, 400, 'VALIDATION_FAILED');
    expect(errorFields(badVideo).sort()).toEqual(
      // `smile` is not a label, and so the map names no emotion at all.
      ['body.durationSec', 'body.facialEmotions', 'body.facialEmotions.smile', 'body.framesAnalysed'].sort(),
    );
  });

  it('refuses an analyzedAt outside the window around its receipt, naming the field and the window', async () => {
    const writer = await registerAccount([], 'analyses-window');
    const tooOld = await send(
      'POST',
      '/analyses/chat',
      writer.accessToken,
      chat({ analyzedAt: new Date(Date.now() - 49 * HOUR_MS).toISOString() }),
    );
    expectEnvelope(tooOld, 400, 'VALIDATION_FAILED');
    const [detail] = (tooOld.json as { error: { details: Item[] } }).error.details;
    expect(detail).toMatchObject({ field: 'body.analyzedAt', code: 'too_old' });
    expect(String(detail?.message)).toMatch(/at most 48 h before and 5 min after the time it is received/);
    const ahead = await send(
      'POST',
      '/analyses/chat',
      writer.accessToken,
      chat({ analyzedAt: new Date(Date.now() + 10 * 60_000).toISOString() }),
    );
    expectEnvelope(ahead, 400, 'VALIDATION_FAILED');
    expect(errorFields(ahead)).toEqual(['body.analyzedAt']);
    const inside = await send(
      'POST',
      '/analyses/chat',
      writer.accessToken,
      chat({ analyzedAt: new Date(Date.now() - 47 * HOUR_MS).toISOString() }),
    );
    expect(inside.status, inside.text).toBe(201);
    expect(await analysesInTable(writer.id, 'chat')).toHaveLength(1);
  });

  it('requires userId from a pipeline, an empty emotions map nowhere, and a sane Idempotency-Key', async () => {
    const noUser = await send('POST', '/analyses/chat', pipeline, chat());
    expectEnvelope(noUser, 400, 'VALIDATION_FAILED');
    expect(errorFields(noUser)).toEqual(['body.userId']);
    const noEmotion = await send('POST', '/analyses/chat', user.accessToken, chat({ emotions: {} }));
    expect(errorFields(noEmotion)).toEqual(['body.emotions']);
    const longKey = await send('POST', '/analyses/chat', user.accessToken, chat(), {
      'Idempotency-Key': 'k'.repeat(256),
    });
    expectEnvelope(longKey, 400, 'VALIDATION_FAILED');
    expect(errorFields(longKey)).toEqual(['headers.Idempotency-Key']);
    expect(await analysesInTable(user.id, 'chat')).toHaveLength(0);
  });
});

describe('POST /analyses/{type}: who may store', () => {
  it('stores a user’s own analysis and refuses one for another user (403, audited)', async () => {
    const [self, other] = await Promise.all([
      registerAccount([], 'analyses-self'),
      registerAccount([], 'analyses-other'),
    ]);
    const own = await send('POST', '/analyses/chat', self.accessToken, chat());
    expect(own.status, own.text).toBe(201);
    expect(own.json).toMatchObject({ type: 'chat', userId: self.id, riskFlags: [], alertRaised: false });
    expect(own.text).not.toMatch(/"(PK|SK)"/);

    const forOther = await send('POST', '/analyses/chat', self.accessToken, chat({ userId: other.id }));
    expectEnvelope(forOther, 403, 'FORBIDDEN');
    expect(await analysesInTable(other.id, 'chat')).toHaveLength(0);
    const log = await send('GET', '/users/me/access-log', other.accessToken);
    expect(log.json.items).toContainEqual(
      expect.objectContaining({ action: 'analyses.storeChat', outcome: 'denied', status: 403 }),
    );
  });

  it('lets a pipeline store for any user, 404 for an unknown one and 409 for a closed account', async () => {
    const [user, leaving] = await Promise.all([
      registerAccount([], 'analyses-pipeline'),
      registerAccount([], 'analyses-leaving'),
    ]);
    const stored = await send('POST', '/analyses/video', pipeline, video({ userId: user.id }));
    expect(stored.status, stored.text).toBe(201);
    expect(stored.json).toMatchObject({ userId: user.id, type: 'video', framesAnalysed: 1200 });

    const unknown = await send('POST', '/analyses/chat', pipeline, chat({ userId: randomUUID() }));
    expectEnvelope(unknown, 404, 'NOT_FOUND');

    expect((await send('DELETE', '/users/me', leaving.accessToken)).status).toBe(202);
    const closed = await send('POST', '/analyses/chat', pipeline, chat({ userId: leaving.id }));
    expectEnvelope(closed, 409, 'CONFLICT');
    expect(await analysesInTable(leaving.id, 'chat')).toHaveLength(0);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, 422 for another body', async () => {
    const user = await registerAccount([], 'idem-replay');
    const key = randomUUID();
    const body = chat({ userId: user.id });
    const first = await send('POST', '/analyses/chat', pipeline, body, { 'Idempotency-Key': key });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Same body with its keys in another order: the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const replay = await send('POST', '/analyses/chat', pipeline, reordered, { 'Idempotency-Key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(first.json);

    const changed = await send(
      'POST',
      '/analyses/chat',
      pipeline,
      { ...body, sourceId: 'other' },
      {
        'Idempotency-Key': key,
      },
    );
    expectEnvelope(changed, 422, 'IDEMPOTENCY_KEY_REUSED');
    const onAnotherRoute = await send('POST', '/analyses/speech', pipeline, speech({ userId: user.id }), {
      'Idempotency-Key': key,
    });
    expectEnvelope(onAnotherRoute, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await analysesInTable(user.id, 'chat')).toHaveLength(1);
  });

  it('gives the key of a failed request back: the same key runs again, with the same body or another', async () => {
    const user = await registerAccount([], 'idem-released');
    const key = randomUUID();
    // The claim is taken, then the use case fails (no such user): the key is released, not completed.
    const missingUser = chat({ userId: randomUUID() });
    const failed = await send('POST', '/analyses/chat', pipeline, missingUser, { 'Idempotency-Key': key });
    expectEnvelope(failed, 404, 'NOT_FOUND');
    const again = await send('POST', '/analyses/chat', pipeline, missingUser, { 'Idempotency-Key': key });
    expectEnvelope(again, 404, 'NOT_FOUND');
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    // Another body under the released key is a first request, not a reused key.
    const fixed = await send('POST', '/analyses/chat', pipeline, chat({ userId: user.id }), {
      'Idempotency-Key': key,
    });
    expect(fixed.status, fixed.text).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const reused = await send('POST', '/analyses/chat', pipeline, chat({ userId: user.id }), {
      'Idempotency-Key': key,
    });
    expectEnvelope(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await analysesInTable(user.id, 'chat')).toHaveLength(1);
  });

  it('scopes keys per caller: the same key from two callers is two requests', async () => {
    const [a, b] = await Promise.all([registerAccount([], 'idem-a'), registerAccount([], 'idem-b')]);
    const key = `shared-${randomUUID()}`;
    const fromA = await send('POST', '/analyses/chat', a.accessToken, chat(), { 'Idempotency-Key': key });
    const fromB = await send('POST', '/analyses/chat', b.accessToken, chat(), { 'Idempotency-Key': key });
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fromB.headers.get('idempotent-replayed')).toBeNull();
    expect(fromA.json.id).not.toBe(fromB.json.id);
    expect(await analysesInTable(a.id, 'chat')).toHaveLength(1);
    expect(await analysesInTable(b.id, 'chat')).toHaveLength(1);
  });

  it('answers 409 to a duplicate sent while the first is in flight, and stores one record', async () => {
    const user = await registerAccount([], 'idem-race');
    let conflicts = 0;
    // Concurrent duplicates: each round, one request claims the key and the others arrive while it is in
    // flight (409) or after it completed (replay). Rounds repeat until the in-flight case was seen.
    for (let round = 0; round < 10 && conflicts === 0; round++) {
      const key = randomUUID();
      const body = chat({ userId: user.id, sourceId: `race-${round}` });
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          send('POST', '/analyses/chat', pipeline, body, { 'Idempotency-Key': key }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(
        statuses.every((s) => s === 201 || s === 409),
        statuses.join(),
      ).toBe(true);
      const fresh = responses.filter(
        (r) => r.status === 201 && r.headers.get('idempotent-replayed') === null,
      );
      expect(fresh).toHaveLength(1);
      for (const r of responses.filter((r) => r.status === 409)) expectEnvelope(r, 409, 'CONFLICT');
      conflicts += statuses.filter((s) => s === 409).length;
      const stored = (await analysesInTable(user.id, 'chat')).filter((i) => i.sourceId === `race-${round}`);
      expect(stored).toHaveLength(1);
    }
    expect(conflicts).toBeGreaterThan(0);
  });

  it('answers 409 while a claim on the key is held, and runs the request once the lease is gone', async () => {
    const user = await registerAccount([], 'idem-held');
    const key = randomUUID();
    const { idempotencyRecordKey } = await import('#data/idempotency-store.ts');
    const recordKey = idempotencyRecordKey(`user:${user.id}`, key);
    const body = chat();
    const first = await send('POST', '/analyses/chat', user.accessToken, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    // The same key claimed by a request still in flight (lease valid) with this body's fingerprint.
    const { Item: completed } = await documents.send(
      new GetCommand({ TableName: inject('tableName'), Key: recordKey, ConsistentRead: true }),
    );
    expect(completed).toMatchObject({ status: 'COMPLETED' });
    await documents.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: { ...completed, status: 'IN_PROGRESS', response: undefined, leaseUntil: Date.now() + 20_000 },
        ...{},
      }),
    );
    const held = await send('POST', '/analyses/chat', user.accessToken, body, { 'Idempotency-Key': key });
    expectEnvelope(held, 409, 'CONFLICT');
    // A crashed claim (lease run out): the retry runs again and, with its deterministic id, finds the
    // first write instead of storing a second record.
    await documents.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: { ...completed, status: 'IN_PROGRESS', response: undefined, leaseUntil: Date.now() - 1 },
      }),
    );
    const retried = await send('POST', '/analyses/chat', user.accessToken, body, { 'Idempotency-Key': key });
    expect(retried.status).toBe(201);
    // The stored analysis, read back (its createdAt is the first write's, not the re-run's).
    expect(retried.json).toEqual(first.json);
    expect(await analysesInTable(user.id, 'chat')).toHaveLength(1);
  });
});

describe('GET /analyses/{type}/user/{user_id}', () => {
  // Five analyses 8 h apart, the first 40 h ago (whole seconds).
  const base = Math.floor((Date.now() - 40 * HOUR_MS) / 1000) * 1000;
  const at = (day: number) => new Date(base + (day - 1) * 8 * HOUR_MS);
  let subject: Account;
  let clinician: Account;
  let ids: string[] = [];

  beforeAll(async () => {
    [subject, clinician] = await Promise.all([
      registerAccount([], 'analyses-reader'),
      registerAccount(['clinician'], 'analyses-clinician'),
    ]);
    ids = [];
    for (let day = 1; day <= 5; day++) {
      // Within the analysis time window (48 h back), written with a +01:00 offset the API normalises.
      const local = new Date(at(day).getTime() + HOUR_MS).toISOString().replace(/\.000Z$/, '+01:00');
      const stored = await send(
        'POST',
        '/analyses/speech',
        subject.accessToken,
        speech({ analyzedAt: local, transcription: `day ${day}` }),
      );
      expect(stored.status, stored.text).toBe(201);
      ids.push(stored.json.id);
    }
  });

  it('lists the user’s own analyses newest first, in pages, within from/to', async () => {
    const first = await send('GET', `/analyses/speech/user/${subject.id}?limit=2`, subject.accessToken);
    expect(first.status, first.text).toBe(200);
    expect(first.json.items.map((a: Item) => a.id)).toEqual([ids[4], ids[3]]);
    expect(first.json.items[0]).toMatchObject({
      analyzedAt: at(5).toISOString(),
      transcription: 'day 5',
      transcriptionStored: true,
    });
    const second = await send(
      'GET',
      `/analyses/speech/user/${subject.id}?limit=2&cursor=${first.json.nextCursor}`,
      subject.accessToken,
    );
    expect(second.json.items.map((a: Item) => a.id)).toEqual([ids[2], ids[1]]);
    const ranged = await send(
      'GET',
      `/analyses/speech/user/${subject.id}?from=${at(2).toISOString()}&to=${at(4).toISOString()}`,
      subject.accessToken,
    );
    expect(ranged.json.items.map((a: Item) => a.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(ranged.json.nextCursor).toBeNull();
    const chats = await send('GET', `/analyses/chat/user/${subject.id}`, subject.accessToken);
    expect(chats.json.items).toEqual([]);
  });

  it('refuses a cursor issued for another list (400)', async () => {
    const page = await send('GET', `/analyses/speech/user/${subject.id}?limit=1`, subject.accessToken);
    const ranged = await send(
      'GET',
      `/analyses/speech/user/${subject.id}?limit=1&from=2026-01-01T00:00:00Z&cursor=${page.json.nextCursor}`,
      subject.accessToken,
    );
    expectEnvelope(ranged, 400, 'VALIDATION_FAILED');
  });

  it('gives a clinician access exactly while the user consents, and audits every attempt', async () => {
    const path = `/analyses/speech/user/${subject.id}`;
    expectEnvelope(await send('GET', path, clinician.accessToken), 403, 'FORBIDDEN');
    const grant = await send('PUT', '/users/me/consents', subject.accessToken, {
      clinicianAccess: { granted: true, clinicianIds: [clinician.id] },
    });
    expect(grant.status).toBe(200);
    const allowed = await send('GET', path, clinician.accessToken);
    expect(allowed.status).toBe(200);
    expect(allowed.json.items).toHaveLength(5);
    const revoke = await send('PUT', '/users/me/consents', subject.accessToken, {
      clinicianAccess: { granted: false },
    });
    expect(revoke.status).toBe(200);
    expectEnvelope(await send('GET', path, clinician.accessToken), 403, 'FORBIDDEN');

    const log = await send('GET', '/users/me/access-log?limit=100', subject.accessToken);
    const reads = (log.json.items as Item[]).filter((r) => r.action === 'analyses.listSpeech');
    expect(reads.map((r) => r.outcome)).toEqual(['denied', 'allowed', 'denied']);
    expect(reads.every((r) => (r.actor as Item).id === clinician.id)).toBe(true);
  });

  it('filters out expired items before DynamoDB deletes them', async () => {
    const user = await registerAccount([], 'analyses-expired');
    const live = await send('POST', '/analyses/chat', user.accessToken, chat());
    const expiredId = randomUUID();
    await documents.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: {
          ...keys.analysis(user.id, 'chat', new Date().toISOString(), expiredId),
          ...(chat() as object),
          id: expiredId,
          type: 'chat',
          userId: user.id,
          entityType: 'CHAT_ANALYSIS',
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        },
      }),
    );
    const listed = await send('GET', `/analyses/chat/user/${user.id}`, user.accessToken);
    expect(listed.json.items.map((a: Item) => a.id)).toEqual([live.json.id]);
  });

  it('keeps a transcription only until the stage’s retention period ends', async () => {
    const before = Date.now();
    const stored = await send(
      'POST',
      '/analyses/speech',
      subject.accessToken,
      speech({ transcription: 'hello' }),
    );
    expect(stored.status).toBe(201);
    const [item] = (await analysesInTable(subject.id, 'speech')).filter((i) => i.id === stored.json.id);
    const days = (Number(item?.expiresAt) * 1000 - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.9); // local stage: retention.rawTextDays = 30
    expect(days).toBeLessThan(30.1);
    expect(stored.json.expiresAt).toBe(new Date(Number(item?.expiresAt) * 1000).toISOString());
  });
});

describe('risk flags', () => {
  it('raise an open alert in the same write as the analysis, and its event', async () => {
    const user = await registerAccount([], 'analyses-risk');
    const stored = await send(
      'POST',
      '/analyses/chat',
      pipeline,
      chat({ userId: user.id, riskFlags: ['crisis', 'self_harm'] }),
    );
    expect(stored.status, stored.text).toBe(201);
    expect(stored.json.alertRaised).toBe(true);
    const alerts = await queryAll(`USER#${user.id}`, 'ALERT#');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      entityType: 'RISK_ALERT',
      status: 'open',
      userId: user.id,
      reasons: ['crisis', 'self_harm'],
      source: { type: 'chat_analysis', id: stored.json.id },
      GSI1PK: 'ALERTS#OPEN',
    });
    const alert = alerts[0] as { id: string; createdAt: string };
    expect(await outboxItemOf(alert.id)).toMatchObject({
      entityType: 'OUTBOX',
      reasons: new Set(['crisis', 'self_harm']),
    });
    expect(((await publishedRiskEvent(alert)).detail as Item).alertId).toBe(alert.id);
    const unflagged = await send('POST', '/analyses/chat', pipeline, chat({ userId: user.id }));
    expect(unflagged.json.alertRaised).toBe(false);
    expect(await queryAll(`USER#${user.id}`, 'ALERT#')).toHaveLength(1);
  });
});

describe('POST /analyses/{type}/batch', () => {
  it('answers per item: stored, invalid, unknown user, closed account', async () => {
    const [user, leaving] = await Promise.all([
      registerAccount([], 'batch-user'),
      registerAccount([], 'batch-leaving'),
    ]);
    expect((await send('DELETE', '/users/me', leaving.accessToken)).status).toBe(202);
    const response = await send('POST', '/analyses/chat/batch', pipeline, {
      items: [
        chat({ userId: user.id }),
        chat({ userId: user.id, sentiment: { label: 'negative', score: 7 } }),
        chat({ userId: randomUUID() }),
        chat({ userId: leaving.id }),
        chat({ userId: user.id, riskFlags: ['self_harm'] }),
        chat(),
        chat({ userId: user.id, analyzedAt: new Date(Date.now() - 72 * HOUR_MS).toISOString() }),
        // A value zod's length checks cannot compare (they throw on it): this item's 400, not a 500.
        chat({ userId: user.id, model: { name: { length: { toString: false, valueOf: false } } } }),
      ],
    });
    expect(response.status, response.text).toBe(200);
    const results = response.json.results as Array<Item & { error?: Item & { details?: Item[] } }>;
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 404],
      [3, 409],
      [4, 201],
      [5, 400],
      [6, 400],
      [7, 400],
    ]);
    expect(results[1]?.error?.details?.map((d) => d.field)).toEqual(['body.items.1.sentiment.score']);
    expect(results[5]?.error?.details?.map((d) => d.field)).toEqual(['body.items.5.userId']);
    // Back-dated beyond the window: refused on its own, naming the field.
    expect(results[6]?.error?.details).toEqual([
      expect.objectContaining({ field: 'body.items.6.analyzedAt', code: 'too_old' }),
    ]);
    expect(results[7]?.error?.details).toEqual([
      { field: 'body.items.7.model.name', code: 'invalid_type', message: 'is invalid' },
    ]);
    expect(response.json).toMatchObject({ stored: 2, failed: 6 });
    const stored = await analysesInTable(user.id, 'chat');
    expect(stored.map((i) => i.id).sort()).toEqual([results[0]?.id, results[4]?.id].sort());
    const alerts = await queryAll(`USER#${user.id}`, 'ALERT#');
    expect(alerts.map((a) => (a.source as Item).id)).toEqual([results[4]?.id]);
    // One audit record for the user's analyses of the transaction, naming each of them.
    const audits = (await queryAll(`AUDIT#${user.id}`, '20')).filter(
      (a) => a.action === 'analyses.storeBatch',
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      subjectId: user.id,
      reason: 'batch',
      resource: { type: 'chat_analysis' },
    });
    expect(((audits[0]?.resource as Item).ids as string[]).sort()).toEqual(
      [results[0]?.id, results[4]?.id].sort(),
    );
  });

  it('is for pipelines only, rejects more than 100 items and an unknown type', async () => {
    const user = await registerAccount([], 'batch-denied');
    const asUser = await send('POST', '/analyses/chat/batch', user.accessToken, { items: [chat()] });
    expect(asUser.status).toBe(401);
    const tooMany = await send('POST', '/analyses/chat/batch', pipeline, {
      items: Array.from({ length: 101 }, () => chat({ userId: user.id })),
    });
    expectEnvelope(tooMany, 400, 'VALIDATION_FAILED');
    expect(errorFields(tooMany)).toEqual(['body.items']);
    const badType = await send('POST', '/analyses/audio/batch', pipeline, { items: [chat()] });
    expectEnvelope(badType, 400, 'VALIDATION_FAILED');
    expect(errorFields(badType)).toEqual(['params.type']);
  });

  it('ingests 1,000 analyses with retries under the same keys: exactly 1,000 records', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, (_, i) => registerAccount([], `ingest-${i}`)));
    const batches = Array.from({ length: 10 }, (_, b) => ({
      key: `ingest-${randomUUID()}`,
      items: Array.from({ length: 100 }, (_, i) =>
        video({ userId: users[(b * 100 + i) % users.length]?.id, sourceId: `clip-${b}-${i}` }),
      ),
    }));
    const post = (batch: (typeof batches)[number]) =>
      send(
        'POST',
        '/analyses/video/batch',
        pipeline,
        { items: batch.items },
        { 'Idempotency-Key': batch.key },
      );
    const started = performance.now();
    // Every batch is sent twice at once (a pipeline retrying a request it thinks was lost), then again.
    const firstRound = await Promise.all(batches.flatMap((batch) => [post(batch), post(batch)]));
    expect(
      firstRound.every((r) => r.status === 200 || r.status === 409),
      firstRound.map((r) => r.status).join(),
    ).toBe(true);
    const retries = await Promise.all(batches.map(post));
    expect(retries.map((r) => r.status)).toEqual(batches.map(() => 200));
    for (const r of retries) expect(r.json).toMatchObject({ stored: 100, failed: 0 });
    // A batch whose completion was lost (its record gone): re-run under the same key, same ids.
    const { idempotencyRecordKey } = await import('#data/idempotency-store.ts');
    const clientId = JSON.parse(Buffer.from(pipeline.split('.')[1] ?? '', 'base64url').toString()).client_id;
    await documents.send(
      new DeleteCommand({
        TableName: inject('tableName'),
        Key: idempotencyRecordKey(`client:${clientId}`, batches[0]?.key ?? ''),
      }),
    );
    const rerun = await post(batches[0]!);
    expect(rerun.status).toBe(200);
    expect(rerun.headers.get('idempotent-replayed')).toBeNull();
    expect(rerun.json.results.map((r: Item) => r.id)).toEqual(
      retries[0]?.json.results.map((r: Item) => r.id),
    );
    const elapsed = performance.now() - started;

    const counts = await Promise.all(users.map((u) => analysesInTable(u.id, 'video')));
    expect(counts.reduce((sum, items) => sum + items.length, 0)).toBe(1000);
    expect(new Set(counts.flat().map((i) => i.sourceId)).size).toBe(1000);
    console.info(
      `[wellbeing] 1,000 analyses (+ duplicates and retries) ingested in ${Math.round(elapsed)} ms`,
    );
  }, 120_000);
});

describe('EmoBuddy', () => {
  const startSession = (account: Account) => send('POST', '/emo-buddy/sessions', account.accessToken);
  const postMessage = (account: Account, sessionId: string, body: Item) =>
    send('POST', `/emo-buddy/sessions/${sessionId}/messages`, account.accessToken, body);

  it('creates one active session under concurrent starts: one 201, the others 200 with it', async () => {
    const user = await registerAccount([], 'emo-race');
    const responses = await Promise.all(Array.from({ length: 8 }, () => startSession(user)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses, responses.map((r) => r.text.slice(0, 120)).join('\n')).toEqual([
      200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    const ids = new Set(responses.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    const sessions = (await queryAll(`USER#${user.id}`, 'EMOSESSION#')).filter(
      (i) => i.entityType === 'EMO_SESSION',
    );
    expect(sessions).toHaveLength(1);
    const listed = await send('GET', '/emo-buddy/sessions', user.accessToken);
    expect(listed.json.items.map((s: Item) => s.id)).toEqual([...ids]);
  });

  it('runs a full session: ordered messages, paging, end with count and duration, 409 afterwards', async () => {
    const user = await registerAccount([], 'emo-session');
    const started = await startSession(user);
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ status: 'active', messageCount: 0, userId: user.id });
    const sessionId = started.json.id as string;

    const first = await postMessage(user, sessionId, {
      role: 'user',
      content: 'I feel tired',
      detectedEmotion: 'sadness',
    });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ seq: 1, role: 'user', content: 'I feel tired', contentStored: true });
    const concurrent = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postMessage(user, sessionId, { role: i % 2 ? 'user' : 'assistant', content: `message ${i}` }),
      ),
    );
    expect(concurrent.map((r) => r.status)).toEqual(concurrent.map(() => 201));
    expect(concurrent.map((r) => r.json.seq as number).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);

    const page1 = await send('GET', `/emo-buddy/sessions/${sessionId}/messages?limit=4`, user.accessToken);
    const page2 = await send(
      'GET',
      `/emo-buddy/sessions/${sessionId}/messages?limit=4&cursor=${page1.json.nextCursor}`,
      user.accessToken,
    );
    const listed = [...page1.json.items, ...page2.json.items] as Item[];
    expect(listed.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(page2.json.nextCursor).toBeNull();
    const bySeq = new Map(concurrent.map((r) => [r.json.seq, r.json.content]));
    for (const message of listed.slice(1)) expect(message.content).toBe(bySeq.get(message.seq));

    const ended = await send('PUT', `/emo-buddy/sessions/${sessionId}/end`, user.accessToken, {
      summary: 'Talked about sleep',
      moodAfter: 6,
    });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json).toMatchObject({
      status: 'ended',
      messageCount: 7,
      moodAfter: 6,
      summary: 'Talked about sleep',
    });
    expect(ended.json.durationSec).toBeGreaterThanOrEqual(0);
    expect(typeof ended.json.endedAt).toBe('string');

    expectEnvelope(
      await send('PUT', `/emo-buddy/sessions/${sessionId}/end`, user.accessToken),
      409,
      'CONFLICT',
    );
    expectEnvelope(
      await postMessage(user, sessionId, { role: 'user', content: 'still there?' }),
      409,
      'CONFLICT',
    );
    const next = await startSession(user);
    expect(next.status).toBe(201);
    expect(next.json.id).not.toBe(sessionId);
    const sessions = await send('GET', '/emo-buddy/sessions', user.accessToken);
    expect(sessions.json.items.map((s: Item) => [s.id, s.status])).toEqual([
      [next.json.id, 'active'],
      [sessionId, 'ended'],
    ]);
  });

  it('answers 404 for another user’s session and for one that does not exist, without touching it', async () => {
    const [owner, intruder] = await Promise.all([
      registerAccount([], 'emo-owner'),
      registerAccount([], 'emo-intruder'),
    ]);
    const session = (await startSession(owner)).json.id as string;
    const ghost = randomUUID();
    for (const id of [session, ghost]) {
      expectEnvelope(
        await send('GET', `/emo-buddy/sessions/${id}/messages`, intruder.accessToken),
        404,
        'NOT_FOUND',
      );
      expectEnvelope(await postMessage(intruder, id, { role: 'user', content: 'hi' }), 404, 'NOT_FOUND');
      expectEnvelope(
        await send('PUT', `/emo-buddy/sessions/${id}/end`, intruder.accessToken),
        404,
        'NOT_FOUND',
      );
    }
    const own = await send('GET', `/emo-buddy/sessions/${session}/messages`, owner.accessToken);
    expect(own.json.items).toEqual([]);
    const { Item } = await documents.send(
      new GetCommand({
        TableName: inject('tableName'),
        Key: keys.emoActiveSession(owner.id),
        ConsistentRead: true,
      }),
    );
    expect(Item?.sessionId).toBe(session);
  });

  it('filters expired messages and raises alerts for flagged ones', async () => {
    const user = await registerAccount([], 'emo-retention');
    const session = (await startSession(user)).json.id as string;
    const flagged = await postMessage(user, session, {
      role: 'user',
      content: 'I want to hurt myself',
      riskFlags: ['self_harm'],
    });
    expect(flagged.status).toBe(201);
    expect(flagged.json.alertRaised).toBe(true);
    // The writer gets the stage's crisis resources with the message that raised the alert, and only then.
    expect(flagged.json.crisisResources).toEqual(loadStageConfig('local').safety.crisisResources);
    const calm = await postMessage(user, session, { role: 'assistant', content: 'I am here with you.' });
    expect(calm.status).toBe(201);
    expect(calm.json).not.toHaveProperty('crisisResources');
    const alerts = await queryAll(`USER#${user.id}`, 'ALERT#');
    expect(alerts.map((a) => [a.reasons, (a.source as Item).type, (a.source as Item).id])).toEqual([
      [['self_harm'], 'emo_buddy_message', flagged.json.id],
    ]);
    // A message whose text expired (TTL not yet applied by DynamoDB).
    await documents.send(
      new PutCommand({
        TableName: inject('tableName'),
        Item: {
          ...keys.emoMessage(session, 99),
          entityType: 'EMO_MESSAGE',
          id: randomUUID(),
          sessionId: session,
          seq: 99,
          role: 'user',
          content: 'expired text',
          expiresAt: Math.floor(Date.now() / 1000) - 1,
        },
      }),
    );
    const listed = await send('GET', `/emo-buddy/sessions/${session}/messages`, user.accessToken);
    expect(listed.json.items.map((m: Item) => m.seq)).toEqual([1, 2]);
    expect(listed.text).not.toContain('expired text');
  });
});
