import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { auditPartitionOf, type AuditRecord } from '#domain/audit.ts';
import {
  ADMINISTRATIVE_ACTIONS,
  auditVisibilityOf,
  auditVisibleTo,
  planAuditSearch,
  type AuditSource,
  type AuditViewer,
} from '#domain/audit-visibility.ts';

/** Every action the code writes (explicit use-case actions; route ids come from the route table). */
const USE_CASE_ACTIONS = [
  'auth.register',
  'auth.login',
  'auth.logout',
  'auth.changePassword',
  'auth.forgotPassword',
  'auth.resetPassword',
  'auth.totpVerify',
  'users.tokensRevoke',
  'users.passwordReset',
  'users.create',
  'users.list',
  'users.read',
  'users.update',
  'users.roles.update',
  'users.deactivate',
  'departments.create',
  'departments.update',
  'audit.search',
  'privacy.erase',
  'privacy.purge',
  'privacy.export',
  'consents.update',
  'alerts.raise',
  'alerts.read',
  'alerts.acknowledge',
  'alerts.resolve',
  'alerts.update',
  'surveys.submit',
  'surveys.read',
  'surveys.burnoutTrend',
  'analyses.store',
  'analyses.read',
  'analytics.userSummary',
  'emo-buddy.startSession',
  'emo-buddy.postMessage',
  'emo-buddy.endSession',
  'emo-buddy.listMessages',
];
const ACTIONS = [...new Set([...USE_CASE_ACTIONS, ...routeTable.map((r) => r.id), 'some.future.action'])];

const HEALTH_REVEALING =
  /^(alerts|surveys|analyses|emo-buddy|consents|clinicians|privacy\.(export|purge|getConsents|updateConsents)|analytics\.userSummary)/;

const actor = (roles: string[], id: string | null = 'someone'): AuditRecord['actor'] => ({
  type: 'user',
  id,
  roles,
});

describe('audit visibility: one classification', () => {
  it.each(ACTIONS)('%s', (action) => {
    const asEmployee = auditVisibilityOf({ action, actor: actor(['employee']) });
    if (HEALTH_REVEALING.test(action)) expect(asEmployee).toBe('sensitive');
    expect(asEmployee === 'administrative').toBe(ADMINISTRATIVE_ACTIONS.has(action));
  });

  it('keeps every health-revealing action and every unknown one away from admins', () => {
    for (const action of ACTIONS.filter((a) => HEALTH_REVEALING.test(a)))
      expect(ADMINISTRATIVE_ACTIONS.has(action), action).toBe(false);
    expect(auditVisibilityOf({ action: 'some.future.action', actor: actor([]) })).toBe('sensitive');
  });

  it('makes whatever a clinician or an auditor does sensitive (it shows who is in care or looked into)', () => {
    for (const action of ADMINISTRATIVE_ACTIONS) {
      expect(auditVisibilityOf({ action, actor: actor(['employee', 'clinician']) })).toBe('sensitive');
      expect(auditVisibilityOf({ action, actor: actor(['employee', 'auditor']) })).toBe('sensitive');
      expect(auditVisibilityOf({ action, actor: actor(['employee', 'manager', 'admin']) })).toBe(
        'administrative',
      );
    }
  });
});

/** What each source holds: the records its index keys make reachable (shared/data/audit-repository.ts). */
const sourceHolds = (source: AuditSource, record: AuditRecord): boolean => {
  const administrative = auditVisibilityOf(record) === 'administrative';
  switch (source.kind) {
    case 'partition':
      return auditPartitionOf(record) === source.partition;
    case 'administrativePartition':
      return auditPartitionOf(record) === source.partition && administrative;
    case 'days':
      return true;
    case 'administrativeMonths':
      return administrative;
  }
};

/** What the search's filters ask for: records filed under the subject, and by the actor. */
const matches = (r: AuditRecord, query: { subjectId?: string | undefined; actorId?: string | undefined }) =>
  (!query.subjectId || auditPartitionOf(r) === query.subjectId) &&
  (!query.actorId || r.actor.id === query.actorId);

const PEOPLE = ['admin-a', 'admin-b', 'auditor', 'employee-1', 'employee-2', 'clinician'];
const person = fc.constantFrom(...PEOPLE);
const record: fc.Arbitrary<AuditRecord> = fc
  .record({
    action: fc.constantFrom(...ACTIONS),
    actorId: fc.option(person, { nil: null }),
    actorRoles: fc.subarray(['employee', 'manager', 'admin', 'clinician', 'auditor']),
    subjectId: fc.option(person, { nil: null }),
    id: fc.uuid(),
  })
  .map(({ action, actorId, actorRoles, subjectId, id }) => ({
    id,
    at: '2026-11-03T10:00:00.000Z',
    actor: actor(actorRoles, actorId),
    action,
    resource: { type: 'user', id: null },
    subjectId,
    outcome: 'allowed' as const,
    status: 200,
    reason: null,
    requestId: 'r',
    sourceIp: 'ip',
    userAgent: 'ua',
  }));

describe('audit search plans (property: random trails, viewers and filters)', () => {
  const viewer: fc.Arbitrary<AuditViewer> = fc.record({ sub: person, fullTrail: fc.boolean() });
  const filter = fc.record({
    subjectId: fc.option(person, { nil: undefined }),
    actorId: fc.option(person, { nil: undefined }),
  });

  it('returns only records the viewer may see, and every administrative record the filter asks for', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), viewer, filter, (trail, who, query) => {
        const source = planAuditSearch(who, query);
        const returned = trail.filter((r) => sourceHolds(source, r) && matches(r, query));
        for (const r of returned) expect(auditVisibleTo(who, r)).toBe(true);
        for (const r of trail.filter((x) => matches(x, query))) {
          // Nothing an admin may see across the organisation is ever left out of a search for it.
          if (auditVisibilityOf(r) === 'administrative') expect(returned).toContain(r);
          // The auditor, and anyone searching their own partition or their own actions, gets all of it.
          const own = query.subjectId === who.sub || query.actorId === who.sub;
          if (who.fullTrail || own) expect(returned).toContain(r);
        }
      }),
    );
  });

  it('never shows an admin a sensitive record about someone else done by someone else', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), person, filter, (trail, sub, query) => {
        const admin = { sub, fullTrail: false };
        const source = planAuditSearch(admin, query);
        for (const r of trail.filter((x) => sourceHolds(source, x) && matches(x, query)))
          if (auditVisibilityOf(r) === 'sensitive')
            expect(r.subjectId === sub || r.actor.id === sub).toBe(true);
      }),
    );
  });
});
