import type { Principal } from './principal.ts';

/**
 * Audit records (docs/privacy.md, NIST 800-53 AU-3): who did what to which resource of whom, with what
 * outcome, from where. Ids only — never health values, message text or e-mail addresses, and no reason
 * code that reveals a health state (which instrument, which risk flag, that an alert fired).
 */
export type AuditOutcome = 'allowed' | 'denied';

export interface AuditEvent {
  /**
   * What happened. A route's record is named by the route's id (`users.get`, `privacy.updateConsents`);
   * a record of another event names that event (`alerts.raise`, `privacy.purge`, `users.create` by the
   * operator CLI). docs/data-layer.md, "Audit records", states the rule.
   */
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

/** The target of a record about one user's account: the user, filed under them (their access log). */
export const userTarget = (sub: string) =>
  ({ resourceType: 'user', resourceId: sub, subjectId: sub }) satisfies Partial<AuditEvent>;

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
  /** The route being served, when there is one: its id is the action of the route's own records. */
  routeId?: string;
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

/**
 * Action names records were written under before a route's record was named by its route id. Audit
 * items are never updated (IAM denies it, and a changed record would no longer prove anything), so
 * stored records keep these names; records are shown under the current one (`currentAuditAction`), and
 * the admin classification lists both (audit-visibility.ts).
 */
const RENAMED_ACTIONS: Readonly<Record<string, string>> = {
  'users.read': 'users.get',
  'users.roles.update': 'users.setRoles',
  'consents.update': 'privacy.updateConsents',
  'alerts.read': 'alerts.list',
  'surveys.read': 'surveys.listByUser',
};

/** `chat_analysis` → `Chat`: the analysis routes' ids end in the analysis type. */
const analysisRouteSuffix = (resourceType: string): string | undefined => {
  const type = /^(chat|speech|video)_analysis$/.exec(resourceType)?.[1];
  return type ? type[0]!.toUpperCase() + type.slice(1) : undefined;
};

/**
 * The current name of a stored record's action. The old analysis names covered several routes, which
 * the record itself tells apart: a batch store carries the reason `batch`, and the resource type names
 * the analysis type.
 */
export const currentAuditAction = (
  record: Pick<AuditRecord, 'action' | 'reason'> & { resource: Pick<AuditRecord['resource'], 'type'> },
): string => {
  const renamed = RENAMED_ACTIONS[record.action];
  if (renamed) return renamed;
  if (record.action !== 'analyses.store' && record.action !== 'analyses.read') return record.action;
  const suffix = analysisRouteSuffix(record.resource.type);
  if (!suffix) return record.action;
  if (record.action === 'analyses.read') return `analyses.list${suffix}`;
  return record.reason?.split(',').includes('batch') ? 'analyses.storeBatch' : `analyses.store${suffix}`;
};
