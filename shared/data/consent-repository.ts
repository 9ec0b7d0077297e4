import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentState, UpdateConsents } from '#contract/consents.ts';
import type { ClinicianConsent } from '#domain/access-policy.ts';
import { NO_CLINICIAN_CONSENT } from '#domain/access-policy.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import type { Clock } from '#domain/clock.ts';
import {
  applyConsentChanges,
  CONSENT_PURPOSES,
  consentAuditReason,
  consentStateOf,
  planConsentChanges,
  type ConsentPurpose,
  type PlannedConsentChange,
  type StoredConsent,
} from '#domain/consents.ts';
import { auditPut, auditRecord } from './audit-repository.ts';
import { activeAccountCheck } from './caller-access.ts';
import { documentClient, tableName } from './client.ts';
import { conflictBackoff } from './dynamodb/backoff.ts';
import { transaction, TransactionFailedError } from './dynamodb/transaction.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { withdrawalRequestPut } from './withdrawal-request.ts';
import type { AccessCondition } from './versioned-write.ts';

/**
 * Consents: one current item per purpose (keys.consent) with `version` and `updatedAt`, and one history
 * item per change (keys.consentChange). A change writes the current item, its history item and the
 * audit record in ONE transaction, conditional on the version it read, so concurrent changes are
 * serialised: the loser re-reads and re-applies its update (a PUT states the desired value), and only
 * a change that keeps losing is a ConsentConflictError (409).
 *
 * Reads are strongly consistent: a revocation is effective on the very next request. Revoking
 * `aggregate_analytics` also puts the user's aggregate withdrawal request in the same transaction: every
 * past contribution leaves the department and organisation aggregates within the stated bound
 * (shared/data/rollup-withdrawal.ts), with no operator step.
 */

/** Concurrent changes kept winning over this one. */
export class ConsentConflictError extends Error {
  override name = 'ConsentConflictError';
}

const isPurpose = (value: unknown): value is ConsentPurpose =>
  typeof value === 'string' && (CONSENT_PURPOSES as readonly string[]).includes(value);

const toStored = (item: Record<string, unknown>): StoredConsent | undefined =>
  isPurpose(item.purpose)
    ? {
        purpose: item.purpose,
        granted: item.granted === true,
        clinicianIds: Array.isArray(item.clinicianIds) ? item.clinicianIds.map(String) : [],
        version: Number(item.version),
        updatedAt: String(item.updatedAt),
      }
    : undefined;

/** The caller's consents; purposes never changed have their defaults. One strongly consistent Query. */
export const getConsentState = async (sub: string): Promise<ConsentState> => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :consent)',
      ExpressionAttributeValues: { ':pk': partitions.user(sub), ':consent': keys.consentPrefix },
      ConsistentRead: true,
    }),
  );
  return consentStateOf(Items.map(toStored).filter((s): s is StoredConsent => s !== undefined));
};

/**
 * The user's consent to clinician access, for other handlers' access decisions (canReadIndividualData).
 * Strongly consistent, so a revocation applies to the next request.
 */
export const getClinicianConsent = async (sub: string): Promise<ClinicianConsent> => {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.consent(sub, 'clinician_access'),
      ConsistentRead: true,
    }),
  );
  const stored = Item ? toStored(Item) : undefined;
  if (!stored?.granted) return NO_CLINICIAN_CONSENT;
  return { granted: true, clinicianIds: stored.clinicianIds ?? [] };
};

/**
 * The condition under which `clinicianId` may read `sub`'s individual data, as a check of the consent
 * item: the same rule as the policy's consentCovers (granted, and either no clinician named or this one
 * among those named), evaluated by DynamoDB inside the transaction that records the read
 * (auditIfPermitted), so a revocation committed before it always wins.
 */
export const clinicianConsentCondition = (sub: string, clinicianId: string): AccessCondition => ({
  Key: keys.consent(sub, 'clinician_access'),
  ConditionExpression:
    'granted = :granted AND (attribute_not_exists(clinicianIds) OR size(clinicianIds) = :none OR contains(clinicianIds, :clinician))',
  ExpressionAttributeValues: { ':granted': true, ':none': 0, ':clinician': clinicianId },
});

const transactItemsFor = (sub: string, change: PlannedConsentChange, changedBy: string) => {
  const state = {
    purpose: change.purpose,
    granted: change.granted,
    ...(change.clinicianIds ? { clinicianIds: change.clinicianIds } : {}),
    version: change.version,
  };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.consent(sub, change.purpose),
          entityType: 'CONSENT',
          ...state,
          updatedAt: change.changedAt,
        },
        ...(change.previousVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'version = :previous',
              ExpressionAttributeValues: { ':previous': change.previousVersion },
            }),
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.consentChange(sub, change.changedAt, change.purpose),
          entityType: 'CONSENT_CHANGE',
          ...state,
          changedAt: change.changedAt,
          changedBy,
          createdAt: change.changedAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
  ];
};

/**
 * Withdrawing clinician access as part of another change (an erasure request): the consent items and
 * their audit record, for that change's transaction; none when no clinician has access. The items are
 * conditional on the version read, so a concurrent consent change fails the whole transaction.
 */
export const clinicianAccessRevocation = async (
  sub: string,
  context: AuditRequestContext,
  clock: Clock,
  reason: string,
) => {
  const current = await getConsentState(sub);
  const changes = planConsentChanges(
    current,
    { clinicianAccess: { granted: false } },
    clock.now().toISOString(),
  );
  if (changes.length === 0) return [];
  const audit = consentChangeAudit(sub, changes, `${consentAuditReason(changes)};${reason}`, context, clock);
  return [...changes.flatMap((c) => transactItemsFor(sub, c, sub)), auditPut(audit)];
};

/** The audit record of a change of the subject's consents (one record for every purpose changed). */
const consentChangeAudit = (
  sub: string,
  changes: readonly { purpose: string }[],
  reason: string,
  context: AuditRequestContext,
  clock: Clock,
) =>
  auditRecord(
    {
      action: 'privacy.updateConsents',
      resourceType: 'consent',
      resourceId: changes.map((c) => c.purpose).join(','),
      subjectId: sub,
      status: 200,
      reason,
    },
    context,
    clock,
  );

/** A lost race: a condition failed or another transaction held one of the items. */
const isContention = (error: unknown): boolean =>
  error instanceof TransactionFailedError &&
  error.failures.some((f) => f.code === 'ConditionalCheckFailed' || f.code === 'TransactionConflict');

const MAX_ATTEMPTS = 6;

/**
 * Applies the update as the subject itself and returns the new state. Purposes whose value does not
 * change are not written (no version bump); an update that changes nothing writes nothing.
 */
export const updateConsents = async (
  sub: string,
  update: UpdateConsents,
  context: AuditRequestContext,
  clock: Clock,
): Promise<ConsentState> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // Random, growing pause after a lost race so colliding writers do not collide again.
    await conflictBackoff(attempt);
    const current = await getConsentState(sub);
    const now = clock.now();
    const changes = planConsentChanges(current, update, now.toISOString());
    if (changes.length === 0) return current;
    const audit = consentChangeAudit(sub, changes, consentAuditReason(changes), context, clock);
    const revokesAggregates = changes.some((c) => c.purpose === 'aggregate_analytics' && !c.granted);
    try {
      await transaction()
        .addAll(
          'consent',
          changes.flatMap((c) => transactItemsFor(sub, c, sub)),
        )
        .addAll('withdrawal', revokesAggregates ? [withdrawalRequestPut(sub, 'consent_revoked', now)] : [])
        .add('audit', auditPut(audit))
        .add('account', activeAccountCheck(sub))
        .send();
    } catch (error) {
      if (isContention(error)) continue;
      throw error;
    }
    return applyConsentChanges(current, changes);
  }
  throw new ConsentConflictError('consent changes kept colliding');
};
