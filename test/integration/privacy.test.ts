import { createHash, randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canReadIndividualData } from '#domain/access-policy.ts';
import type { Group } from '#contract/identity.ts';
import type { Principal } from '#domain/principal.ts';
import type * as ConsentRepository from '#data/consent-repository.ts';
import * as keys from '#data/dynamodb/keys.ts';
import * as partitions from '#data/dynamodb/partitions.ts';
import type * as ExportHandler from '../../functions/privacy/export-my-data.ts';
import type * as Jobs from '../../lib/local/jobs.ts';
import { invoke, restEvent, userClaims } from '../unit/support/lambda.ts';
import { pointAtEmulators } from './support/in-process.ts';
import { api, bearer, expectEnvelope } from './support/api.ts';
import { login, post, registerAccount, type Account } from './support/accounts.ts';

/**
 * Consents, export, erasure and the purge job against the real emulators. Routes go through the local
 * gateway; the purge job (a scheduled Lambda) and the export with a small part budget run in-process,
 * with the environment the runtime gives its handlers set before their modules are imported.
 */
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const DAY_MS = 24 * 60 * 60 * 1000;
let restoreEnv: () => void = () => undefined;

let documents: DynamoDBDocumentClient;
let cognito: CognitoIdentityProviderClient;
let jobs: typeof Jobs;
let consentRepository: typeof ConsentRepository;
let exportModule: typeof ExportHandler;

beforeAll(async () => {
  restoreEnv = pointAtEmulators({
    CURSOR_SECRET: randomUUID() + randomUUID(),
    ERASURE_GRACE_DAYS: '1',
  });
  jobs = await import('../../lib/local/jobs.ts');
  consentRepository = await import('#data/consent-repository.ts');
  exportModule = await import('../../functions/privacy/export-my-data.ts');
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region, credentials }),
  );
  cognito = new CognitoIdentityProviderClient({ endpoint: inject('cognitoEndpoint'), region, credentials });
});
afterAll(() => {
  restoreEnv();
  documents.destroy();
  cognito.destroy();
});

type Item = Record<string, unknown>;

const itemsOf = async (pk: string): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: inject('tableName'),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

const getItem = async (key: { PK: string; SK: string }) =>
  (await documents.send(new GetCommand({ TableName: inject('tableName'), Key: key, ConsistentRead: true })))
    .Item;

const putItems = async (items: Item[]) => {
  for (let i = 0; i < items.length; i += 25) {
    await documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [inject('tableName')]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
};

const countTypes = (items: Item[]) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(item.entityType)] = (counts[String(item.entityType)] ?? 0) + 1;
  return counts;
};

const auditActions = async (sub: string) =>
  (await itemsOf(`AUDIT#${sub}`)).map((item) => String(item.action));

/** The partition of an e-mail's lockout counters (the account's, and one per client address). */
const lockoutPartition = (email: string) =>
  partitions.loginAttempts(
    `login-${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`,
  );

/**
 * What other issues will store for a user (analyses, survey responses, an EmoBuddy session with its
 * messages, rollups), put directly in their documented layouts. `marker` is in every item, so a body can
 * be searched for it.
 */
const seedUserData = async (sub: string, marker: string) => {
  const ts = (n: number) => new Date(Date.UTC(2026, 10, 20, 9, 0, n)).toISOString();
  const sessionId = randomUUID();
  const sessionPk = `EMOSESSION#${sessionId}`;
  const items: Item[] = [
    ...[0, 1].map((n) => ({
      ...keys.analysis(sub, 'chat', ts(n), `${randomUUID()}`),
      entityType: 'CHAT_ANALYSIS',
      userId: sub,
      sentiment: { label: 'neutral', score: 0.5 },
      marker,
      createdAt: ts(n),
    })),
    {
      ...keys.surveyResponse(sub, 'phq9', ts(2), randomUUID()),
      entityType: 'SURVEY_RESPONSE',
      instrument: 'phq9',
      scores: { total: 4 },
      marker,
    },
    // Expired (TTL): gone for every read, even before DynamoDB deletes it.
    {
      ...keys.analysis(sub, 'speech', ts(3), randomUUID()),
      entityType: 'SPEECH_ANALYSIS',
      marker: `${marker}-expired`,
      expiresAt: Math.floor(Date.now() / 1000) - 3600,
    },
    {
      PK: `USER#${sub}`,
      SK: `EMOSESSION#${ts(4)}#${sessionId}`,
      GSI1PK: sessionPk,
      GSI1SK: 'META',
      entityType: 'EMO_SESSION',
      id: sessionId,
      marker,
    },
    ...[0, 1, 2].map((n) => ({
      PK: sessionPk,
      SK: `MSG#${ts(10 + n)}#${String(n).padStart(4, '0')}`,
      entityType: 'EMO_MESSAGE',
      sessionId,
      role: n % 2 === 0 ? 'user' : 'assistant',
      content: `message ${n} ${marker}`,
    })),
    ...['MONTH#2026-11', 'WEEK#2026-W47'].map((sk) => ({
      PK: `AGG#USER#${sub}`,
      SK: sk,
      entityType: 'ROLLUP',
      marker,
    })),
  ];
  await putItems(items);
  return { sessionId, sessionPk };
};

const userPrincipal = (sub: string, roles: Group[]): Principal => ({
  kind: 'user',
  sub,
  username: sub,
  roles,
  scopes: [],
  clientId: 'test',
});

const getConsents = (account: Account) => api('/users/me/consents', { headers: bearer(account.accessToken) });
const putConsents = (account: Account, body: unknown) =>
  api('/users/me/consents', {
    method: 'PUT',
    headers: { ...bearer(account.accessToken), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const eraseMe = (account: Account) =>
  api('/users/me', { method: 'DELETE', headers: bearer(account.accessToken) });

describe('consents', () => {
  it('start at the defaults: clinician access off, aggregate analytics on, version 0, never updated', async () => {
    const user = await registerAccount([], 'consent-default');
    const response = await getConsents(user);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      clinicianAccess: { granted: false, clinicianIds: [], version: 0, updatedAt: null },
      aggregateAnalytics: { granted: true, version: 0, updatedAt: null },
    });
    const me = await api('/auth/me', { headers: bearer(user.accessToken) });
    expect(me.json.consents).toEqual(response.json);
  });

  it('are granted and revoked with a version, a history entry and an audit record per change', async () => {
    const user = await registerAccount([], 'consent-change');
    const clinicianA = randomUUID();
    const clinicianB = randomUUID();

    const granted = await putConsents(user, {
      clinicianAccess: { granted: true, clinicianIds: [clinicianB, clinicianA, clinicianB] },
    });
    expect(granted.status).toBe(200);
    expect(granted.json.clinicianAccess).toMatchObject({
      granted: true,
      clinicianIds: [clinicianA, clinicianB].sort(),
      version: 1,
    });
    expect(Date.parse(granted.json.clinicianAccess.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    // A purpose the body leaves out is unchanged.
    expect(granted.json.aggregateAnalytics).toEqual({ granted: true, version: 0, updatedAt: null });

    const optedOut = await putConsents(user, { aggregateAnalytics: { granted: false } });
    expect(optedOut.json.aggregateAnalytics).toMatchObject({ granted: false, version: 1 });
    const revoked = await putConsents(user, { clinicianAccess: { granted: false } });
    expect(revoked.json.clinicianAccess).toMatchObject({ granted: false, clinicianIds: [], version: 2 });

    // The same state again is no change: no version, no history, no audit record.
    const unchanged = await putConsents(user, {
      clinicianAccess: { granted: false },
      aggregateAnalytics: { granted: false },
    });
    expect(unchanged.status).toBe(200);
    expect(unchanged.json).toEqual(revoked.json);

    const read = await getConsents(user);
    expect(read.json).toEqual(revoked.json);
    expect((await api('/auth/me', { headers: bearer(user.accessToken) })).json.consents).toEqual(
      revoked.json,
    );

    const history = (await itemsOf(`USER#${user.id}`)).filter((item) => item.entityType === 'CONSENT_CHANGE');
    expect(history.map((h) => [h.purpose, h.granted, h.version])).toEqual([
      ['clinician_access', true, 1],
      ['aggregate_analytics', false, 1],
      ['clinician_access', false, 2],
    ]);
    expect(history.every((h) => h.changedBy === user.id)).toBe(true);
    const audits = (await itemsOf(`AUDIT#${user.id}`)).filter((a) => a.action === 'privacy.updateConsents');
    expect(audits.map((a) => a.reason)).toEqual([
      'clinician_access=granted',
      'aggregate_analytics=revoked',
      'clinician_access=revoked',
    ]);
    expect(audits.every((a) => (a.actor as { id: string }).id === user.id && a.outcome === 'allowed')).toBe(
      true,
    );
  });

  it('refuses contradictory, empty and unknown input with the fields named', async () => {
    const user = await registerAccount([], 'consent-invalid');
    const contradictory = await putConsents(user, {
      clinicianAccess: { granted: false, clinicianIds: [randomUUID()] },
    });
    expectEnvelope(contradictory, 400, 'VALIDATION_FAILED');
    expectEnvelope(await putConsents(user, {}), 400, 'VALIDATION_FAILED');
    const unknown = await putConsents(user, { marketing: { granted: true } });
    const error = expectEnvelope(unknown, 400, 'VALIDATION_FAILED') as unknown as {
      details: Array<{ field: string }>;
    };
    expect(error.details.map((d) => d.field)).toContain('body.marketing');
    expectEnvelope(
      await putConsents(user, { clinicianAccess: { granted: true, clinicianIds: ['not-a-uuid'] } }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await getConsents(user)).json.clinicianAccess.version).toBe(0);
  });

  it('serialises concurrent changes: every PUT succeeds with its own version, the history has each', async () => {
    const user = await registerAccount([], 'consent-race');
    const clinicians = Array.from({ length: 5 }, () => randomUUID());
    const responses = await Promise.all(
      clinicians.map((id) => putConsents(user, { clinicianAccess: { granted: true, clinicianIds: [id] } })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const versions = responses.map((r) => r.json.clinicianAccess.version as number).sort();
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    // The final state is the change that got version 5.
    const last = responses.find((r) => r.json.clinicianAccess.version === 5)!;
    expect((await getConsents(user)).json.clinicianAccess).toEqual(last.json.clinicianAccess);
    const history = (await itemsOf(`USER#${user.id}`)).filter((item) => item.entityType === 'CONSENT_CHANGE');
    expect(history.map((h) => h.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(history.map((h) => (h.clinicianIds as string[])[0]).sort()).toEqual([...clinicians].sort());
  });

  it('takes effect on the next request: a revoked clinician is refused at once', async () => {
    const [user, clinician, other] = await Promise.all([
      registerAccount([], 'consent-subject'),
      registerAccount(['clinician'], 'consent-clinician'),
      registerAccount(['clinician'], 'consent-other-clinician'),
    ]);
    const asClinician = userPrincipal(clinician.id, ['employee', 'clinician']);
    const asOther = userPrincipal(other.id, ['employee', 'clinician']);
    const decide = async (principal: Principal) =>
      canReadIndividualData(principal, user.id, await consentRepository.getClinicianConsent(user.id)).allowed;

    expect(await decide(asClinician)).toBe(false);
    await putConsents(user, { clinicianAccess: { granted: true, clinicianIds: [clinician.id] } });
    expect(await consentRepository.getClinicianConsent(user.id)).toEqual({
      granted: true,
      clinicianIds: [clinician.id],
    });
    expect(await decide(asClinician)).toBe(true);
    expect(await decide(asOther)).toBe(false);

    await putConsents(user, { clinicianAccess: { granted: true } });
    expect(await decide(asOther)).toBe(true);

    await putConsents(user, { clinicianAccess: { granted: false } });
    expect(await consentRepository.getClinicianConsent(user.id)).toEqual({
      granted: false,
      clinicianIds: [],
    });
    expect(await decide(asClinician)).toBe(false);
    expect(await decide(asOther)).toBe(false);
  });
});

describe('export', () => {
  it('returns everything about the caller in one document, and nothing about anyone else', async () => {
    const [user, other] = await Promise.all([
      registerAccount([], 'export-self'),
      registerAccount([], 'export-other'),
    ]);
    const marker = `mine-${randomUUID()}`;
    const foreign = `theirs-${randomUUID()}`;
    const { sessionId } = await seedUserData(user.id, marker);
    const { sessionId: otherSession } = await seedUserData(other.id, foreign);
    await putConsents(user, { aggregateAnalytics: { granted: false } });

    const response = await api('/users/me/export', { headers: bearer(user.accessToken) });
    expect(response.status).toBe(200);
    const doc = response.json;
    expect(doc).toMatchObject({
      format: 'mha-export/1',
      subjectId: user.id,
      part: 1,
      complete: true,
      nextCursor: null,
      profile: { id: user.id, email: user.email, isActive: true },
      consents: { aggregateAnalytics: { granted: false, version: 1 } },
    });
    expect(doc.consentHistory).toEqual([
      expect.objectContaining({ entityType: 'CONSENT_CHANGE', purpose: 'aggregate_analytics', version: 1 }),
    ]);
    expect(Object.keys(doc.records).sort()).toEqual(['CHAT_ANALYSIS', 'EMO_SESSION', 'SURVEY_RESPONSE']);
    expect(doc.records.CHAT_ANALYSIS).toHaveLength(2);
    expect(doc.records.SURVEY_RESPONSE).toEqual([expect.objectContaining({ instrument: 'phq9', marker })]);
    expect(doc.records.EMO_SESSION).toEqual([expect.objectContaining({ id: sessionId })]);
    expect(Object.keys(doc.emoBuddyMessages)).toEqual([sessionId]);
    expect(doc.emoBuddyMessages[sessionId].map((m: Item) => m.content)).toEqual([
      `message 0 ${marker}`,
      `message 1 ${marker}`,
      `message 2 ${marker}`,
    ]);
    const actions = (doc.accessLog as Item[]).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.register', 'privacy.updateConsents', 'privacy.export']),
    );

    expect(response.text).not.toContain(`${marker}-expired`);
    expect(response.text).not.toMatch(/"(PK|SK|GSI1PK|GSI1SK|GSI2PK|GSI2SK)"/);
    expect(response.text).not.toContain(foreign);
    expect(response.text).not.toContain(other.id);
    expect(response.text).not.toContain(otherSession);
    expect(response.text).not.toContain(other.email);
  });

  it('comes in parts under a byte budget, each item exactly once, the cursor bound to its caller', async () => {
    const [user, other] = await Promise.all([
      registerAccount([], 'export-parts'),
      registerAccount([], 'export-parts-other'),
    ]);
    const { sessionId } = await seedUserData(user.id, 'x'.repeat(200));
    await putItems(
      Array.from({ length: 12 }, (_, n) => ({
        ...keys.surveyResponse(
          user.id,
          'who5',
          new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
          randomUUID(),
        ),
        entityType: 'SURVEY_RESPONSE',
        seq: n,
        padding: 'p'.repeat(300),
      })),
    );
    const budget = 1_500;
    const handler = exportModule.createExportHandler({ maxPartBytes: budget }) as unknown as (
      event: APIGatewayProxyEvent,
      context: Context,
    ) => Promise<APIGatewayProxyResult>;
    const call = (sub: string, cursor?: string) =>
      invoke(
        handler,
        restEvent({
          path: '/users/me/export',
          resource: '/users/me/export',
          claims: userClaims(sub, '[employee]'),
          ...(cursor ? { query: { cursor } } : {}),
        }),
      );

    const parts: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    do {
      const response = await call(user.id, cursor);
      expect(response.statusCode, String(response.body)).toBe(200);
      const part = response.json as Record<string, unknown>;
      parts.push(part);
      // A part holds at most the budget, or one item more than fits (so that every part progresses).
      expect(Buffer.byteLength(response.body)).toBeLessThan(budget + 1_200);
      cursor = (part.nextCursor as string | null) ?? undefined;
      if (cursor && parts.length === 1) {
        // The cursor is the caller's own: another user's cursor and a modified one are refused.
        expect((await call(other.id, cursor)).statusCode).toBe(400);
        const tampered = `${cursor.slice(0, -3)}${cursor.endsWith('AAA') ? 'BBB' : 'AAA'}`;
        expect((await call(user.id, tampered)).statusCode).toBe(400);
      }
    } while (cursor && parts.length < 100);

    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i + 1));
    expect(parts.map((p) => p.complete)).toEqual(parts.map((_, i) => i === parts.length - 1));
    expect(new Set(parts.map((p) => p.exportedAt)).size).toBe(1);
    expect(parts[0]!.profile).toMatchObject({ id: user.id });
    expect(parts.slice(1).every((p) => p.profile === undefined && p.consents === undefined)).toBe(true);

    const all = <T>(pick: (p: Record<string, unknown>) => T[]) => parts.flatMap(pick);
    const surveys = all((p) => ((p.records as Record<string, Item[]>).SURVEY_RESPONSE ?? []) as Item[]);
    expect(surveys.filter((s) => s.instrument === undefined).map((s) => s.seq)).toEqual(
      Array.from({ length: 12 }, (_, n) => n),
    );
    expect(surveys).toHaveLength(13);
    expect(all((p) => ((p.records as Record<string, Item[]>).CHAT_ANALYSIS ?? []) as Item[])).toHaveLength(2);
    expect(
      all((p) => ((p.emoBuddyMessages as Record<string, Item[]>)[sessionId] ?? []) as Item[]),
    ).toHaveLength(3);
    const exportAudits = all((p) => p.accessLog as Item[]).filter((a) => a.action === 'privacy.export');
    // Every part is audited before it is answered; the log section comes last and sees them all.
    expect(exportAudits.length).toBe(parts.length);
    const log = all((p) => p.accessLog as Item[]);
    expect(new Set(log.map((a) => a.id)).size).toBe(log.length);
  });
});

describe('erasure', () => {
  it('closes the account at once and answers 202 with the same purgeAfter while pending', async () => {
    const user = await registerAccount([], 'erase-now');
    const before = Date.now();
    const [first, concurrent] = await Promise.all([eraseMe(user), eraseMe(user)]);
    expect(first.status).toBe(202);
    expect(concurrent.status).toBe(202);
    const requestedAt = Date.parse(first.json.requestedAt);
    expect(requestedAt).toBeGreaterThanOrEqual(before - 1_000);
    // The local stage's grace period is one day.
    expect(Date.parse(first.json.purgeAfter) - requestedAt).toBe(1 * DAY_MS);
    expect(concurrent.json).toEqual(first.json);

    // Repeating the request (with the token that made it) answers the same and leaves it closed; the
    // token itself opens nothing else any more: every sign-in of the account ended with the request.
    const again = await eraseMe(user);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expectEnvelope(await api('/auth/me', { headers: bearer(user.accessToken) }), 401, 'UNAUTHENTICATED');
    expectEnvelope(await getConsents(user), 401, 'UNAUTHENTICATED');
    expectEnvelope(
      await api('/users/me/export', { headers: bearer(user.accessToken) }),
      401,
      'UNAUTHENTICATED',
    );
    expectEnvelope(await login(user.email, user.password), 401, 'UNAUTHENTICATED');
    expectEnvelope(await post('/auth/refresh', { refreshToken: user.refreshToken }), 401, 'UNAUTHENTICATED');

    const profile = await getItem(keys.userProfile(user.id));
    expect(profile).toMatchObject({
      accountState: 'erasure_pending',
      version: 2,
      deletedAt: first.json.requestedAt,
      erasureRequestedAt: first.json.requestedAt,
    });
    expect(profile).not.toHaveProperty('isActive');
    expect(Number(profile!.tokensValidAfter)).toBeGreaterThan(Date.parse(first.json.requestedAt) / 1000);
    const request = await getItem(keys.erasureRequest(user.id));
    expect(request).toMatchObject({
      status: 'pending',
      requestedAt: first.json.requestedAt,
      purgeAfter: first.json.purgeAfter,
      ...keys.erasureDue(first.json.purgeAfter),
    });
    expect((await auditActions(user.id)).filter((a) => a === 'privacy.erase')).toHaveLength(1);
    const cognitoUser = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: inject('userPoolId'), Username: user.email }),
    );
    expect(cognitoUser.Enabled).toBe(false);
  });

  it('is purged after the grace period: every item of the user, nothing of anyone else, audit kept', async () => {
    const [user, other] = await Promise.all([
      registerAccount([], 'purge-self'),
      registerAccount([], 'purge-other'),
    ]);
    const { sessionPk } = await seedUserData(user.id, 'purge-me');
    const { sessionPk: otherSessionPk } = await seedUserData(other.id, 'keep-me');
    await putConsents(user, { clinicianAccess: { granted: true } });
    await putConsents(other, { clinicianAccess: { granted: true } });
    const erased = await eraseMe(user);
    expect(erased.status).toBe(202);
    // A failed sign-in after erasure counts under the e-mail's hash (the account's counter, which
    // knows the addresses of the user's sign-ins, and this address's): they go too.
    expect((await login(user.email, `${user.password}-wrong`)).status).toBe(401);
    const lockout = lockoutPartition(user.email);
    expect(await itemsOf(lockout)).toHaveLength(2);

    const partitions = [`USER#${user.id}`, sessionPk, `AGG#USER#${user.id}`, lockout];
    const expected = countTypes((await Promise.all(partitions.map(itemsOf))).flat());
    expect(expected).toMatchObject({
      USER: 1,
      CONSENT: 1,
      // The grant, and its withdrawal by the erasure request.
      CONSENT_CHANGE: 2,
      CHAT_ANALYSIS: 2,
      SURVEY_RESPONSE: 1,
      SPEECH_ANALYSIS: 1,
      EMO_SESSION: 1,
      EMO_MESSAGE: 3,
      ROLLUP: 2,
      LOGIN_ATTEMPTS: 2,
    });
    const otherBefore = await Promise.all(
      [`USER#${other.id}`, otherSessionPk, `AGG#USER#${other.id}`, `AUDIT#${other.id}`].map(itemsOf),
    );
    const onlySubs = [user.id, other.id];

    // Not due yet: nothing happens.
    const early = await jobs.runPurgeJob(new Date(), { onlySubs });
    expect(early).toMatchObject({ due: 0, purged: 0 });
    expect(await getItem(keys.userProfile(user.id))).toBeDefined();

    const asOf = new Date(Date.parse(erased.json.purgeAfter) + DAY_MS);
    const summary = await jobs.runPurgeJob(asOf, { onlySubs });
    expect(summary).toMatchObject({ due: 1, purged: 1, failed: 0 });

    for (const pk of partitions) expect(await itemsOf(pk), pk).toEqual([]);
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId: inject('userPoolId'), Username: user.email })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });

    const record = await getItem(keys.purgeRecord(user.id));
    expect(record).toMatchObject({
      entityType: 'PURGE_RECORD',
      sub: user.id,
      requestedAt: erased.json.requestedAt,
      counts: expected,
      totalItems: Object.values(expected).reduce((a, n) => a + n, 0),
      cognitoUserDeleted: true,
    });
    expect(Date.parse(String(record!.purgedAt))).toBeGreaterThan(Date.parse(erased.json.requestedAt));
    expect(JSON.stringify(record)).not.toContain(user.email);

    const request = await getItem(keys.erasureRequest(user.id));
    expect(request).toMatchObject({ status: 'purged' });
    expect(request).not.toHaveProperty('GSI1PK');
    expect(request).not.toHaveProperty('loginSubject');
    expect(request).not.toHaveProperty('inFlight');

    // Audit records stay, filed under the now pseudonymous sub, and the purge is one of them.
    const actions = await auditActions(user.id);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.register', 'privacy.updateConsents', 'privacy.erase', 'privacy.purge']),
    );
    expect(JSON.stringify(await itemsOf(`AUDIT#${user.id}`))).not.toContain(user.email);

    // The other user is untouched.
    const otherAfter = await Promise.all(
      [`USER#${other.id}`, otherSessionPk, `AGG#USER#${other.id}`, `AUDIT#${other.id}`].map(itemsOf),
    );
    expect(otherAfter).toEqual(otherBefore);
    expect((await login(other.email, other.password)).status).toBe(200);

    // Done is done: a later run finds nothing due for this user.
    expect(await jobs.runPurgeJob(new Date(asOf.getTime() + DAY_MS), { onlySubs })).toMatchObject({ due: 0 });
    expect((await eraseMe(user)).json).toEqual(erased.json);
  });

  it('resumes an interrupted purge and still counts every item exactly once', async () => {
    const user = await registerAccount([], 'purge-resume');
    const { sessionPk } = await seedUserData(user.id, 'resume');
    await putItems(
      Array.from({ length: 9 }, (_, n) => ({
        ...keys.surveyResponse(
          user.id,
          'gad7',
          new Date(Date.UTC(2026, 1, 1, 0, n)).toISOString(),
          randomUUID(),
        ),
        entityType: 'SURVEY_RESPONSE',
      })),
    );
    const erased = await eraseMe(user);
    const partitions = [`USER#${user.id}`, sessionPk, `AGG#USER#${user.id}`, lockoutPartition(user.email)];
    const expected = countTypes((await Promise.all(partitions.map(itemsOf))).flat());
    const total = Object.values(expected).reduce((a, n) => a + n, 0);
    expect(total).toBeGreaterThan(15);
    const asOf = new Date(Date.parse(erased.json.purgeAfter) + DAY_MS);
    const onlySubs = [user.id];

    // Chunks of 2, "crash" right after the first chunk is deleted, before it is counted.
    const first = await jobs.runPurgeJob(asOf, { onlySubs, chunkSize: 2, interruptAfterDeletes: 2 });
    expect(first).toMatchObject({ due: 1, purged: 0, failed: 1 });
    const midway = await getItem(keys.erasureRequest(user.id));
    expect(midway).toMatchObject({ status: 'purging', deletedItems: 0 });
    expect((midway!.inFlight as { keys: unknown[] }).keys).toHaveLength(2);
    expect((await Promise.all(partitions.map(itemsOf))).flat()).toHaveLength(total - 2);
    expect(await getItem(keys.purgeRecord(user.id))).toBeUndefined();

    // Another interrupted run makes progress from there; a third finishes.
    const second = await jobs.runPurgeJob(asOf, { onlySubs, chunkSize: 2, interruptAfterDeletes: 5 });
    expect(second).toMatchObject({ failed: 1 });
    expect(((await getItem(keys.erasureRequest(user.id)))!.deletedItems as number) > 2).toBe(true);
    const third = await jobs.runPurgeJob(asOf, { onlySubs, chunkSize: 2 });
    expect(third).toMatchObject({ due: 1, purged: 1, failed: 0 });

    for (const pk of partitions) expect(await itemsOf(pk)).toEqual([]);
    expect(await getItem(keys.purgeRecord(user.id))).toMatchObject({ counts: expected, totalItems: total });
    expect((await auditActions(user.id)).filter((a) => a === 'privacy.purge')).toHaveLength(1);
  });
});
