import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EmoMessage, EmoSession, type EndSessionBody } from '#contract/emo-buddy.ts';
import type { RiskAlert } from '#contract/risk-alert.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { sessionDurationSec, sessionStartOf } from '#domain/emo-buddy.ts';
import { epochSeconds, isLive, isoOfEpoch, LIVE_FILTER } from '#domain/retention.ts';
import { userState } from './analysis-repository.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { transaction, TransactionFailedError } from './dynamodb/transaction.ts';
import { activeAccountCheck, foldCallerCheckIntoBatchGets } from './caller-access.ts';
import type { alertTransactItems } from './risk-alerts.ts';

/**
 * EmoBuddy sessions (in the user's partition, keys.emoSession), the active-session pointer
 * (keys.emoActiveSession) and messages (keys.emoMessage, in the session's own partition).
 *
 * - One active session per user: a new session is put together with the pointer, conditional on the
 *   pointer not existing, so concurrent starts make exactly one session.
 * - Message order: the session's `messageCount` is the sequence; a message is put together with an
 *   update of the count conditional on its previous value and on the session being active, so
 *   concurrent messages get distinct consecutive numbers and an ended session takes none.
 * - Ownership: a session is read by the caller's own key (derived from the UUIDv7 id), so another
 *   user's session is simply not found.
 */
type Item = Record<string, unknown>;

/** The session does not exist among the caller's sessions (another user's session included). */
export class SessionNotFoundError extends Error {
  override name = 'SessionNotFoundError';
}
export class SessionEndedError extends Error {
  override name = 'SessionEndedError';
}
/** The caller's profile is missing or closed: no new data is accepted. */
export class AccountClosedError extends Error {
  override name = 'AccountClosedError';
  constructor(readonly state: 'missing' | 'inactive') {
    super(`account ${state}`);
  }
}
/** Concurrent writers kept winning (the client may retry). */
export class SessionContentionError extends Error {
  override name = 'SessionContentionError';
}

const toSession = (item: Item, now: Date): EmoSession => {
  const {
    entityType: _type,
    summaryExpiresAt,
    summary,
    createdAt: _created,
    version: _version,
    ...rest
  } = keys.stripKeys(item);
  const summaryLive = typeof summaryExpiresAt === 'number' && summaryExpiresAt > epochSeconds(now);
  return EmoSession.parse({ ...rest, ...(summaryLive ? { summary: String(summary) } : {}) });
};

const toMessage = (item: Item): EmoMessage => {
  const { entityType: _type, userId: _user, expiresAt, content, ...rest } = keys.stripKeys(item);
  return EmoMessage.parse({
    ...rest,
    content: typeof content === 'string' ? content : null,
    ...(typeof expiresAt === 'number' ? { expiresAt: isoOfEpoch(expiresAt) } : {}),
  });
};

const MAX_ATTEMPTS = 8;

const closedAccount = async (sub: string): Promise<AccountClosedError> => {
  const state = await userState(sub);
  return new AccountClosedError(state === 'missing' ? 'missing' : 'inactive');
};

/** The active pointer and the newest session in one strongly consistent Query (the pointer sorts last). */
const activeSession = async (sub: string, now: Date): Promise<EmoSession | undefined> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': partitions.user(sub),
        ':lo': keys.emoSessionRange.from,
        ':hi': keys.emoActiveSession(sub).SK,
      },
      ScanIndexForward: false,
      Limit: 2,
      ConsistentRead: true,
    }),
  );
  const [pointer, newest] = Items;
  if (pointer?.SK !== keys.emoActiveSession(sub).SK || !newest || newest.id !== pointer.sessionId) {
    return undefined;
  }
  return toSession(newest, now);
};

/**
 * The caller's active session, or a new one. `created` says which (201 vs 200). Two concurrent calls
 * race for the pointer's conditional put; the loser reads the winner's session.
 */
export const startSession = async (input: {
  sub: string;
  newId: () => string;
  audit: (sessionId: string) => AuditRecord;
  now: Date;
}): Promise<{ created: boolean; session: EmoSession }> => {
  const { sub, now } = input;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await conflictBackoff(attempt);
    const active = await activeSession(sub, now);
    if (active) return { created: false, session: active };
    const id = input.newId();
    const startedAt = sessionStartOf(id);
    if (!startedAt) throw new Error('session ids must be UUIDv7');
    const session: EmoSession = {
      id,
      userId: sub,
      status: 'active',
      startedAt,
      messageCount: 0,
      updatedAt: now.toISOString(),
    };
    try {
      await transaction()
        .add('account', activeAccountCheck(sub))
        .put('activePointer', {
          Item: {
            ...keys.emoActiveSession(sub),
            entityType: 'EMO_SESSION_ACTIVE',
            sessionId: id,
            createdAt: startedAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        })
        .put('session', {
          Item: {
            ...keys.emoSession(sub, startedAt, id),
            ...keys.emoSessionById(id),
            entityType: 'EMO_SESSION',
            ...session,
            createdAt: startedAt,
            version: 1,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        })
        .add('audit', auditPut(input.audit(id)))
        .send();
      return { created: true, session };
    } catch (error) {
      if (!(error instanceof TransactionFailedError)) throw error;
      if (error.failed('account')) throw await closedAccount(sub);
      // Another start won the pointer, or the transactions collided: read again.
    }
  }
  throw new SessionContentionError('session start kept colliding');
};

const sessionKeyOf = (sub: string, sessionId: string) => {
  const startedAt = sessionStartOf(sessionId);
  return startedAt ? keys.emoSession(sub, startedAt, sessionId.toLowerCase()) : undefined;
};

/** The caller's session by id, strongly consistent; undefined when it is not theirs or does not exist. */
const ownSessionItem = async (sub: string, sessionId: string): Promise<Item | undefined> => {
  const key = sessionKeyOf(sub, sessionId);
  if (!key) return undefined;
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return Item;
};

/**
 * Whose session this is, by id alone (GSI1 EMOSESSION#<id>), or undefined when there is none. Only for
 * auditing a refused call: the owner's access log must show that someone tried their session.
 */
export const sessionOwner = async (sessionId: string): Promise<string | undefined> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
      ExpressionAttributeValues: {
        ':pk': keys.emoSessionById(sessionId.toLowerCase()).GSI1PK,
        ':sk': keys.emoSessionById(sessionId.toLowerCase()).GSI1SK,
      },
      ProjectionExpression: 'userId',
    }),
  );
  const owner = Items[0]?.userId;
  return typeof owner === 'string' ? owner : undefined;
};

/**
 * The caller's session, for reading its messages: a BatchGetItem of the one key, so the request's
 * caller check (caller-access.ts) rides along and the session and the caller's account cost one round
 * trip together. Throttled (left unprocessed), it is read on its own.
 */
export const getOwnSession = async (sub: string, sessionId: string, now: Date) => {
  const key = sessionKeyOf(sub, sessionId);
  if (!key) return undefined;
  foldCallerCheckIntoBatchGets();
  const result = await documentClient.send(
    new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: [key], ConsistentRead: true } } }),
  );
  const item = result.UnprocessedKeys?.[tableName()]?.Keys?.length
    ? await ownSessionItem(sub, sessionId)
    : result.Responses?.[tableName()]?.[0];
  return item ? toSession(item, now) : undefined;
};

export interface NewMessage {
  id: string;
  role: 'user' | 'assistant';
  /** Omitted where the stage stores no raw text. */
  content?: string;
  /** TTL of the raw text (epoch seconds). */
  expiresAt?: number;
  detectedEmotion?: string;
  riskFlags: string[];
}

/**
 * Appends a message to the caller's active session with the next sequence number, its audit record and
 * (when flagged) its alert, in one transaction. The alert is built once the sequence is known.
 */
export const appendMessage = async (input: {
  sub: string;
  sessionId: string;
  message: NewMessage;
  audit: () => AuditRecord;
  alert: (() => RiskAlert) | undefined;
  /** The alert's items for the message's transaction (risk-alerts.ts alertTransactItems). */
  alertItems: (alert: RiskAlert) => ReturnType<typeof alertTransactItems>;
  now: Date;
}): Promise<{ message: EmoMessage; alert: RiskAlert | undefined }> => {
  const { sub, sessionId, message, now } = input;
  const key = sessionKeyOf(sub, sessionId);
  if (!key) throw new SessionNotFoundError('not found');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    await conflictBackoff(attempt);
    const session = await ownSessionItem(sub, sessionId);
    if (!session) throw new SessionNotFoundError('not found');
    if (session.status !== 'active') throw new SessionEndedError('ended');
    const previous = Number(session.messageCount ?? 0);
    const seq = previous + 1;
    const alert = input.alert?.();
    const stored = {
      id: message.id,
      sessionId: String(session.id),
      seq,
      role: message.role,
      ...(message.content !== undefined ? { content: message.content } : {}),
      contentStored: message.content !== undefined,
      ...(message.detectedEmotion ? { detectedEmotion: message.detectedEmotion } : {}),
      riskFlags: message.riskFlags,
      alertRaised: alert !== undefined,
      createdAt: now.toISOString(),
    };
    try {
      await transaction()
        .add('account', activeAccountCheck(sub))
        .update('session', {
          Key: key,
          UpdateExpression: 'SET messageCount = :seq, lastMessageAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :active AND messageCount = :previous',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':seq': seq,
            ':previous': previous,
            ':active': 'active',
            ':now': now.toISOString(),
          },
        })
        .put('message', {
          Item: {
            ...keys.emoMessage(String(session.id), seq),
            entityType: 'EMO_MESSAGE',
            userId: sub,
            ...stored,
            ...(message.expiresAt !== undefined ? { expiresAt: message.expiresAt } : {}),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        })
        .add('audit', auditPut(input.audit()))
        .addAll('alert', alert ? input.alertItems(alert) : [])
        .send();
      return {
        message: {
          ...(stored as unknown as EmoMessage),
          content: message.content ?? null,
          ...(message.expiresAt !== undefined ? { expiresAt: isoOfEpoch(message.expiresAt) } : {}),
        },
        alert,
      };
    } catch (error) {
      if (!(error instanceof TransactionFailedError)) throw error;
      if (error.failed('account')) throw await closedAccount(sub);
      // Another message took this number, the session ended, or the transactions collided: read again.
    }
  }
  throw new SessionContentionError('message append kept colliding');
};

/** Ends the caller's active session: status, duration, count, summary, mood; the pointer is removed. */
export const endSession = async (input: {
  sub: string;
  sessionId: string;
  body: EndSessionBody;
  /** TTL for the summary (raw text), or undefined where the stage stores none. */
  summaryExpiresAt: number | undefined;
  audit: () => AuditRecord;
  now: Date;
}): Promise<EmoSession> => {
  const { sub, sessionId, now } = input;
  const key = sessionKeyOf(sub, sessionId);
  if (!key) throw new SessionNotFoundError('not found');
  const session = await ownSessionItem(sub, sessionId);
  if (!session) throw new SessionNotFoundError('not found');
  if (session.status !== 'active') throw new SessionEndedError('ended');
  const endedAt = now.toISOString();
  const keepSummary = input.body.summary !== undefined && input.summaryExpiresAt !== undefined;
  const values: Item = {
    ':ended': 'ended',
    ':active': 'active',
    ':endedAt': endedAt,
    ':duration': sessionDurationSec(String(session.startedAt), endedAt),
    ...(keepSummary ? { ':summary': input.body.summary, ':summaryExpiresAt': input.summaryExpiresAt } : {}),
    ...(input.body.moodAfter !== undefined ? { ':mood': input.body.moodAfter } : {}),
  };
  const sets = [
    '#status = :ended',
    'endedAt = :endedAt',
    'durationSec = :duration',
    'updatedAt = :endedAt',
    ...(keepSummary ? ['summary = :summary', 'summaryExpiresAt = :summaryExpiresAt'] : []),
    ...(input.body.moodAfter !== undefined ? ['moodAfter = :mood'] : []),
  ];
  try {
    await transaction()
      .update('session', {
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')} ADD version :one`,
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':one': 1 },
      })
      .delete('activePointer', {
        Key: keys.emoActiveSession(sub),
        ConditionExpression: 'sessionId = :id',
        ExpressionAttributeValues: { ':id': session.id },
      })
      .add('audit', auditPut(input.audit()))
      .send();
  } catch (error) {
    if (!(error instanceof TransactionFailedError)) throw error;
    if (error.failed('session')) throw new SessionEndedError('ended');
    if (error.failures.some((f) => f.code === 'TransactionConflict'))
      throw new SessionContentionError('end collided');
    throw error;
  }
  const ended = await ownSessionItem(sub, sessionId);
  return toSession(ended ?? session, now);
};

export interface Page<T> {
  items: T[];
  lastEvaluatedKey: Record<string, unknown> | undefined;
}

/** The caller's sessions, newest first (the pointer is outside the queried range). */
export const listSessions = async (
  sub: string,
  options: { limit: number; startKey?: Record<string, unknown>; now: Date },
): Promise<Page<EmoSession>> => {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': partitions.user(sub),
        ':lo': keys.emoSessionRange.from,
        ':hi': keys.emoSessionRange.to,
      },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return {
    items: (page.Items ?? []).map((item) => toSession(item, options.now)),
    lastEvaluatedKey: page.LastEvaluatedKey,
  };
};

/** A session's live messages in order (expired ones filtered; the page filled with up to 4 queries). */
export const listMessages = async (
  sessionId: string,
  options: { limit: number; startKey?: Record<string, unknown>; now: Date },
): Promise<Page<EmoMessage>> => {
  const items: EmoMessage[] = [];
  let startKey = options.startKey;
  for (let round = 0; round < 4 && items.length < options.limit; round++) {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: LIVE_FILTER,
        ExpressionAttributeValues: {
          ':pk': partitions.emoMessages(sessionId),
          ':nowEpoch': epochSeconds(options.now),
        },
        Limit: options.limit - items.length,
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []).filter((item) => isLive(item, options.now)).map(toMessage));
    startKey = page.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, lastEvaluatedKey: startKey };
};
