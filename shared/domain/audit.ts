import type { Principal } from './principal.ts';

/**
 * Audit records (docs/privacy.md, NIST 800-53 AU-3): who did what to which resource of whom, with what
 * outcome, from where. Ids only — never health values, message text or e-mail addresses, and no reason
 * code that reveals a health state (which instrument, which risk flag, that an alert fired).
 */
export type AuditOutcome = 'allowed' | 'denied';

export interface AuditEvent {
  /** `<area>.<verb>`, e.g. `auth.login`, `users.read`. */
  action: string;
  resourceType: string;
  resourceId?: string;
  /**
   * Several resources changed by one write, all of the same subject (a batch of analyses stored in one
   * transaction): the record names every one of them.
   */
  resourceIds?: readonly string[];
  /** The user whose data is concerned; the record is filed under them so they can see it. */
  subjectId?: string;
  outcome: AuditOutcome;
  status: number;
  /**
   * A short machine-readable reason (`locked`, `wrong_credentials`, `not_owner`), never free text and
   * never a health fact (an instrument id, a risk flag, a band).
   */
  reason?: string;
}

/**
 * The platform operator at a terminal (operator CLI with deployment credentials or the local runtime):
 * not an API caller, so not a Principal. `id` names the person and the credentials used.
 */
export interface Operator {
  readonly kind: 'operator';
  readonly id: string;
}

export interface AuditRequestContext {
  principal: Principal | Operator;
  requestId: string;
  sourceIp: string;
  userAgent: string;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: { type: Principal['kind'] | Operator['kind']; id: string | null; roles: string[] };
  action: string;
  resource: { type: string; id: string | null; ids?: string[] };
  subjectId: string | null;
  outcome: AuditOutcome;
  status: number;
  reason: string | null;
  requestId: string;
  sourceIp: string;
  userAgent: string;
}

const actorOf = (principal: Principal | Operator): AuditRecord['actor'] => {
  switch (principal.kind) {
    case 'operator':
      return { type: 'operator', id: principal.id, roles: [] };
    case 'user':
      return { type: 'user', id: principal.sub, roles: [...principal.roles] };
    case 'machine':
      return { type: 'machine', id: principal.clientId, roles: [] };
    case 'anonymous':
      return { type: 'anonymous', id: null, roles: [] };
  }
};

export const buildAuditRecord = (
  event: AuditEvent,
  context: AuditRequestContext,
  at: Date,
  id: string,
): AuditRecord => ({
  id,
  at: at.toISOString(),
  actor: actorOf(context.principal),
  action: event.action,
  resource: {
    type: event.resourceType,
    id: event.resourceId ?? null,
    ...(event.resourceIds ? { ids: [...event.resourceIds] } : {}),
  },
  subjectId: event.subjectId ?? null,
  outcome: event.outcome,
  status: event.status,
  reason: event.reason ?? null,
  requestId: context.requestId,
  sourceIp: context.sourceIp,
  userAgent: context.userAgent.slice(0, 256),
});

/** Where a record is filed: under its subject, else under the actor, else a system partition. */
export const auditPartitionOf = (record: AuditRecord): string =>
  record.subjectId ?? record.actor.id ?? 'system';
