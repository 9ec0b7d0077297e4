import { createHash } from 'node:crypto';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import {
  addressScope,
  afterFailure,
  afterSuccess,
  attemptsExpireAt,
  type AccountAttempts,
  type LockoutState,
  type LoginAttempts,
} from '#domain/lockout.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import * as keys from './dynamodb/keys.ts';
import { transaction, TransactionFailedError, type TransactAction } from './dynamodb/transaction.ts';

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** A stable pseudonym of a normalised e-mail: the lockout key and the subject of login audit records. */
export const loginSubject = (email: string): string => `login-${hash(email.trim().toLowerCase())}`;

/** Where a sign-in comes from, as the lockout counts it (shared/domain/lockout.ts addressScope). */
export const addressOf = (sourceIp: string): string => hash(addressScope(sourceIp));

/** Both counters of one e-mail from one address, with their optimistic-lock revisions. */
export interface Lockout {
  subject: string;
  address: string;
  state: LockoutState;
  revisions: { account: number | undefined; address: number | undefined };
}

const keysOf = (subject: string, address: string) => ({
  account: keys.loginAttempts(subject),
  address: keys.loginAttemptsFrom(subject, address),
});

const attemptsOf = (item: Record<string, unknown> | undefined): LoginAttempts | undefined =>
  item && typeof item.failures === 'number' && typeof item.windowStart === 'number'
    ? {
        failures: item.failures,
        windowStart: item.windowStart,
        ...(typeof item.lockedUntil === 'number' ? { lockedUntil: item.lockedUntil } : {}),
      }
    : undefined;

/** Both counters in one strongly consistent BatchGetItem. */
export const readLockout = async (subject: string, address: string): Promise<Lockout> => {
  const key = keysOf(subject, address);
  const result = await documentClient.send(
    new BatchGetCommand({
      RequestItems: { [tableName()]: { Keys: [key.account, key.address], ConsistentRead: true } },
    }),
  );
  const items = result.Responses?.[tableName()] ?? [];
  const find = (wanted: keys.Key) => items.find((item) => item.PK === wanted.PK && item.SK === wanted.SK);
  const accountItem = find(key.account);
  const addressItem = find(key.address);
  const account: AccountAttempts | undefined = accountItem
    ? {
        ...attemptsOf(accountItem),
        ...(Array.isArray(accountItem.knownAddresses)
          ? { knownAddresses: accountItem.knownAddresses.map(String) }
          : {}),
      }
    : undefined;
  return {
    subject,
    address,
    state: { account, address: attemptsOf(addressItem) },
    revisions: {
      account: accountItem ? Number(accountItem.revision) : undefined,
      address: addressItem ? Number(addressItem.revision) : undefined,
    },
  };
};

const counterPut = (
  key: keys.Key,
  attempts: AccountAttempts,
  revision: number | undefined,
  nowIso: string,
): TransactAction => {
  const expiresAt = attemptsExpireAt(attempts);
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...key,
        entityType: 'LOGIN_ATTEMPTS',
        ...attempts,
        revision: (revision ?? 0) + 1,
        // The known addresses outlive a counting window: a month after the last sign-in.
        ...(attempts.knownAddresses
          ? { expiresAt: Math.max(expiresAt ?? 0, Math.floor(Date.parse(nowIso) / 1000) + 30 * 86_400) }
          : expiresAt !== undefined
            ? { expiresAt }
            : {}),
        updatedAt: nowIso,
      },
      ConditionExpression: revision === undefined ? 'attribute_not_exists(PK)' : 'revision = :previous',
      ...(revision === undefined ? {} : { ExpressionAttributeValues: { ':previous': revision } }),
    },
  };
};

const MAX_ATTEMPTS = 10;

/**
 * Counts one failure from the address, with its audit record, in one transaction; concurrent failures
 * race on the revisions and the loser re-reads and re-applies, so every failure is counted. Returns the
 * counters after it.
 */
export const countFailure = async (
  lockout: Lockout,
  clock: Clock,
  audit: (state: LockoutState) => AuditRecord,
): Promise<LockoutState> => {
  let current = lockout;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // Back off a little, randomly, so a burst of failures does not keep colliding.
    if (attempt > 0) {
      await conflictBackoff(attempt);
      current = await readLockout(lockout.subject, lockout.address);
    }
    const now = clock.now();
    const next = afterFailure(current.state, Math.floor(now.getTime() / 1000));
    const key = keysOf(lockout.subject, lockout.address);
    try {
      await transaction()
        .add(
          'accountCounter',
          counterPut(key.account, next.account, current.revisions.account, now.toISOString()),
        )
        .add(
          'addressCounter',
          counterPut(key.address, next.address, current.revisions.address, now.toISOString()),
        )
        .add('audit', auditPut(audit(next)))
        .send();
      return next;
    } catch (error) {
      // A counter changed since it was read: read again and count on top of it.
      const failed = error instanceof TransactionFailedError ? error.failedConditions[0] : undefined;
      if (failed !== 'accountCounter' && failed !== 'addressCounter') throw error;
    }
  }
  throw new Error('login attempt counter stayed contended');
};

/**
 * A successful sign-in from the address: its counter goes, the address becomes one the account is
 * known to sign in from, and the sign-in is audited — one transaction. A concurrent change of the
 * account counter wins (the address is simply not remembered this time); the sign-in stands.
 */
export const recordSignIn = async (lockout: Lockout, clock: Clock, audit: AuditRecord): Promise<void> => {
  const key = keysOf(lockout.subject, lockout.address);
  const tx = transaction().add(
    'accountCounter',
    counterPut(
      key.account,
      afterSuccess(lockout.state.account, lockout.address),
      lockout.revisions.account,
      clock.now().toISOString(),
    ),
  );
  if (lockout.state.address) tx.delete('addressCounter', { Key: key.address });
  try {
    await tx.add('audit', auditPut(audit)).send();
  } catch (error) {
    if (!(error instanceof TransactionFailedError && error.failedConditions[0] === 'accountCounter'))
      throw error;
    await transaction().add('audit', auditPut(audit)).send();
  }
};
