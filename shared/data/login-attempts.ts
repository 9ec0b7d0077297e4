import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/clock.ts';
import { attemptsExpireAt, recordFailure, type LoginAttempts } from '#domain/lockout.ts';
import { documentClient, tableName } from './client.ts';
import { keys } from './keys.ts';

/** A stable pseudonym of a normalised e-mail: the lockout key and the subject of login audit records. */
export const loginSubject = (email: string): string =>
  `login-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32)}`;

export interface StoredAttempts {
  attempts: LoginAttempts;
  /** Optimistic-lock counter: concurrent failures are all counted. */
  revision: number;
}

export const getLoginAttempts = async (subject: string): Promise<StoredAttempts | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.loginAttempts(subject), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    attempts: {
      failures: Number(Item.failures),
      windowStart: Number(Item.windowStart),
      ...(Item.lockedUntil ? { lockedUntil: Number(Item.lockedUntil) } : {}),
    },
    revision: Number(Item.revision),
  };
};

/**
 * Saves the counter if nobody else changed it since `previousRevision` was read; returns false on a
 * lost race so the caller re-reads and re-applies its failure.
 */
export const saveLoginAttempts = async (
  subject: string,
  attempts: LoginAttempts,
  previousRevision: number | undefined,
  nowIso: string,
): Promise<boolean> => {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.loginAttempts(subject),
          entityType: 'LOGIN_ATTEMPTS',
          ...attempts,
          revision: (previousRevision ?? 0) + 1,
          expiresAt: attemptsExpireAt(attempts),
          updatedAt: nowIso,
        },
        ConditionExpression:
          previousRevision === undefined ? 'attribute_not_exists(PK)' : 'revision = :previous',
        ...(previousRevision === undefined
          ? {}
          : { ExpressionAttributeValues: { ':previous': previousRevision } }),
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/** A successful sign-in resets the count. */
export const clearLoginAttempts = async (subject: string): Promise<void> => {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: keys.loginAttempts(subject) }));
};

/**
 * Counts one failed sign-in and returns the new state. Concurrent failures race on the revision;
 * the loser re-reads and re-applies, so every failure is counted.
 */
export const countLoginFailure = async (subject: string, clock: Clock): Promise<LoginAttempts> => {
  for (let attempt = 0; attempt < 10; attempt++) {
    // Back off a little, randomly, so a burst of failures does not keep colliding.
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    const stored = await getLoginAttempts(subject);
    const now = clock.now();
    const next = recordFailure(stored?.attempts, Math.floor(now.getTime() / 1000));
    if (await saveLoginAttempts(subject, next, stored?.revision, now.toISOString())) return next;
  }
  throw new Error('login attempt counter stayed contended');
};
