import * as z from 'zod/mini';
import { tableName } from './client.ts';
import * as keys from './dynamodb/keys.ts';
import type { TransactAction } from './dynamodb/transaction.ts';

/**
 * The request that starts withdrawing a user's aggregate contributions; shared/data/rollup-withdrawal.ts
 * does the work, page by page, from its stream records. Kept apart from that work, so the consent and
 * erasure routes, which put the request, carry no rollup code.
 */

export const WITHDRAWAL_REASONS = ['consent_revoked', 'erasure_requested'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/**
 * The Put that (re)starts a user's withdrawal, for the transaction of the consent change or the erasure
 * request. A second revocation restarts it from the first ledger (already withdrawn ones are skipped).
 */
export const withdrawalRequestPut = (sub: string, reason: WithdrawalReason, now: Date): TransactAction => ({
  Put: { TableName: tableName(), Item: withdrawalRequestItem(sub, reason, now) },
});

/** The request as it is put: pending, nothing withdrawn yet. */
export const withdrawalRequestItem = (sub: string, reason: WithdrawalReason, now: Date) => ({
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
});

const StoredWithdrawalRequest = /* @__PURE__ */ z.lazy(() =>
  z.object({
    sub: z.string(),
    reason: z.enum(WITHDRAWAL_REASONS),
    status: z.enum(['pending', 'done']),
    requestedAt: z.string(),
    completedAt: z.optional(z.string()),
    withdrawn: z.int().check(z.minimum(0)),
    pages: z.int().check(z.minimum(0)),
    rev: z.number(),
    /** The sort key of the last ledger withdrawn (absent before the first page, null after an empty one). */
    cursor: z.optional(z.nullable(z.string())),
  }),
);
export type WithdrawalRequest = z.infer<typeof StoredWithdrawalRequest>;

/**
 * A stored withdrawal request, parsed: its status, reason, cursor and `rev` steer the aggregator's next
 * page, so an item that is not a request throws instead of being acted on half-read.
 */
export const withdrawalRequestOf = (item: Readonly<Record<string, unknown>>): WithdrawalRequest =>
  StoredWithdrawalRequest.parse(item);
