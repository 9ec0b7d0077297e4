import { tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import type { TransactAction } from './dynamodb/transaction.ts';

/**
 * The request that starts withdrawing a user's aggregate contributions; shared/data/rollup-withdrawal.ts
 * does the work, page by page, from its stream records. Kept apart from that work, so the consent and
 * erasure routes, which put the request, carry no rollup code.
 */

export type WithdrawalReason = 'consent_revoked' | 'erasure_requested';

/**
 * The Put that (re)starts a user's withdrawal, for the transaction of the consent change or the erasure
 * request. A second revocation restarts it from the first ledger (already withdrawn ones are skipped).
 */
export const withdrawalRequestPut = (sub: string, reason: WithdrawalReason, now: Date): TransactAction => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.aggregateWithdrawal(sub),
      entityType: 'AGG_WITHDRAWAL',
      sub,
      reason,
      status: 'pending',
      requestedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      withdrawn: 0,
      pages: 0,
      // A fresh value per request: the records of an earlier request never continue this one.
      rev: now.getTime(),
    },
  },
});
