import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { liveRevocations, revocationExpiry, sessionCutAt } from '#domain/account-access.ts';
import type { AuditRecord } from '#domain/audit.ts';
import { auditPut } from './audit-repository.ts';
import { documentClient, tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import { transaction, TransactionFailedError } from './dynamodb/transaction.ts';

/**
 * Ending sign-ins: the writes behind the per-request check of shared/data/caller-access.ts. Each goes
 * with its audit record in one transaction. A whole-account cut that comes with a profile change (role
 * change, deactivation, erasure) is part of that change's profile write instead (user-repository.ts
 * `cutSessionsAt`).
 */

const MAX_ATTEMPTS = 5;

/**
 * Logout: the sign-in (its origin id) is recorded on the user's profile until its access tokens have
 * expired; entries whose tokens have all expired are dropped in the same write, so the record stays a
 * handful of entries. Concurrent logouts of one user are applied one after the other.
 */
export const endSignIn = async (
  sub: string,
  originId: string,
  now: Date,
  accessTokenMinutes: number,
  audit: AuditRecord,
): Promise<void> => {
  const key = keys.userProfile(sub);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName(),
        Key: key,
        ProjectionExpression: 'revokedSessions',
        ConsistentRead: true,
      }),
    );
    if (!Item) {
      // No profile (erased, or never made): no session to record, the logout itself is recorded.
      await transaction().add('audit', auditPut(audit)).send();
      return;
    }
    const before = Item.revokedSessions as Record<string, number> | undefined;
    const next = {
      ...liveRevocations(before ?? {}, now),
      [originId]: revocationExpiry(now, accessTokenMinutes),
    };
    try {
      await transaction()
        .update('profile', {
          Key: key,
          UpdateExpression: 'SET revokedSessions = :next',
          ConditionExpression: before
            ? 'revokedSessions = :before'
            : 'attribute_exists(PK) AND attribute_not_exists(revokedSessions)',
          ExpressionAttributeValues: { ':next': next, ...(before ? { ':before': before } : {}) },
        })
        .add('audit', auditPut(audit))
        .send();
      return;
    } catch (error) {
      // Another logout changed the revocations since they were read: read again.
      if (!(error instanceof TransactionFailedError && error.failedConditions[0] === 'profile')) throw error;
    }
  }
  throw new Error('the sign-ins of this account kept changing');
};

/**
 * A global sign-out without a profile change (password change or reset): every sign-in up to now is
 * refused from the next request on. The Cognito side (AdminUserGlobalSignOut) is the caller's.
 */
export const cutAllSignIns = async (sub: string, now: Date, audit: AuditRecord): Promise<void> => {
  await transaction()
    .update('profile', {
      Key: keys.userProfile(sub),
      UpdateExpression: 'SET tokensValidAfter = :cut REMOVE revokedSessions',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':cut': sessionCutAt(now) },
    })
    .add('audit', auditPut(audit))
    .send();
};

/** The operator's cut of a pipeline client's tokens: those issued before now are refused. */
export const cutClientTokens = async (clientId: string, now: Date, audit: AuditRecord): Promise<number> => {
  const cut = sessionCutAt(now);
  await transaction()
    .put('clientAccess', {
      Item: {
        ...keys.machineClientAccess(clientId),
        entityType: 'CLIENT_ACCESS',
        clientId,
        tokensValidAfter: cut,
        updatedAt: now.toISOString(),
      },
    })
    .add('audit', auditPut(audit))
    .send();
  return cut;
};
