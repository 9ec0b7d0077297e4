import './support/test-env.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeTable } from '#contract/routes.ts';
import { currentAuditAction, type AuditRecord } from '#domain/audit.ts';
import type { Principal } from '#domain/principal.ts';
import { auditVisibilityOf } from '#domain/audit-visibility.ts';
import { auditEntryOf, auditItem, auditRecord } from '#data/audit-repository.ts';

const ROUTE_IDS = new Set(routeTable.map((route) => route.id));
const context = { requestId: 'r-1', sourceIp: '192.0.2.1', userAgent: 'test' };
const employee: Principal = {
  kind: 'user',
  sub: 'u-1',
  username: 'u-1',
  roles: ['employee'],
  scopes: [],
  clientId: 'test',
};

const stored = (action: string, type: string, reason: string | null = null) => ({
  action,
  reason,
  resource: { type },
});

describe('audit records: a route’s record is named by its route id', () => {
  it('takes the action from the route being served, the outcome allowed unless said', () => {
    const record = auditRecord(
      { resourceType: 'user', resourceId: 'u-2', subjectId: 'u-2', status: 200 },
      { ...context, principal: employee, routeId: 'users.get' },
    );
    expect(record).toMatchObject({
      action: 'users.get',
      outcome: 'allowed',
      status: 200,
      actor: { type: 'user', id: 'u-1', roles: ['employee'] },
      resource: { type: 'user', id: 'u-2' },
      subjectId: 'u-2',
      reason: null,
      requestId: 'r-1',
    });
  });

  it('keeps an action named for another event, and refuses a record with no action at all', () => {
    const operator = { kind: 'operator', id: 'ops' } as const;
    expect(
      auditRecord(
        { action: 'alerts.raise', resourceType: 'risk_alert', outcome: 'allowed', status: 201 },
        { ...context, principal: employee, routeId: 'surveys.submit' },
      ).action,
    ).toBe('alerts.raise');
    expect(() =>
      auditRecord({ resourceType: 'user', status: 201 }, { ...context, principal: operator }),
    ).toThrow(/must name its action/);
  });
});

describe('records stored under an older action name', () => {
  it.each([
    [stored('users.read', 'user'), 'users.get'],
    [stored('users.roles.update', 'user', 'roles:employee'), 'users.setRoles'],
    [stored('consents.update', 'consent', 'clinician_access'), 'privacy.updateConsents'],
    [stored('alerts.read', 'risk_alert'), 'alerts.list'],
    [stored('surveys.read', 'survey_response'), 'surveys.listByUser'],
    [stored('analyses.read', 'speech_analysis'), 'analyses.listSpeech'],
    [stored('analyses.store', 'chat_analysis'), 'analyses.storeChat'],
    [stored('analyses.store', 'video_analysis', 'batch,risk_alert'), 'analyses.storeBatch'],
  ])('%o reads as %s, a route id', (record, current) => {
    expect(currentAuditAction(record)).toBe(current);
    expect(ROUTE_IDS.has(current)).toBe(true);
  });

  it('leaves every current name as it is', () => {
    for (const id of ROUTE_IDS) expect(currentAuditAction(stored(id, 'user'))).toBe(id);
    for (const action of ['alerts.raise', 'privacy.purge', 'users.create', 'users.tokensRevoke'])
      expect(currentAuditAction(stored(action, 'user'))).toBe(action);
  });

  it('is seen by an admin exactly when the record under its current name would be', () => {
    const actions = ['users.read', 'users.roles.update', 'consents.update', 'alerts.read', 'surveys.read'];
    fc.assert(
      fc.property(
        fc.constantFrom(...actions),
        fc.subarray(['employee', 'manager', 'admin', 'clinician', 'auditor']),
        (action, roles) => {
          const actor: AuditRecord['actor'] = { type: 'user', id: 'someone', roles };
          const current = currentAuditAction(stored(action, 'user'));
          expect(auditVisibilityOf({ action, actor })).toBe(auditVisibilityOf({ action: current, actor }));
        },
      ),
    );
  });
});

describe('a stored audit item read back', () => {
  const principals: Principal[] = [
    employee,
    { kind: 'machine', clientId: 'pipeline', scopes: ['analyses/write'] },
    { kind: 'anonymous' },
  ];

  it('is the record that was written, without the item’s keys, type, visibility or index attributes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...principals),
        fc.constantFrom(...ROUTE_IDS),
        fc.option(fc.uuid(), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        fc.constantFrom(200, 201, 403, 409),
        (principal, routeId, subjectId, resourceIds, reason, status) => {
          const record = auditRecord(
            {
              resourceType: 'user',
              ...(subjectId ? { subjectId, resourceId: subjectId } : {}),
              ...(resourceIds ? { resourceIds } : {}),
              ...(reason !== undefined ? { reason } : {}),
              status,
            },
            { ...context, principal, routeId },
          );
          const item = auditItem(record);
          expect(item).toHaveProperty('PK');
          expect(auditEntryOf(item)).toStrictEqual(record);
        },
      ),
    );
  });

  it('is shown under its action’s current name', () => {
    const record = auditRecord(
      { action: 'users.read', resourceType: 'user', resourceId: 'u-2', subjectId: 'u-2', status: 200 },
      { ...context, principal: employee },
    );
    expect(auditEntryOf(auditItem(record)).action).toBe('users.get');
  });

  it('refuses a row that is not a whole record instead of showing it half-read', () => {
    const item = auditItem(
      auditRecord(
        { resourceType: 'user', status: 200 },
        { ...context, principal: employee, routeId: 'auth.me' },
      ),
    );
    const { actor: _actor, ...withoutActor } = item;
    expect(() => auditEntryOf(withoutActor)).toThrow();
    expect(() => auditEntryOf({ ...item, outcome: 'maybe' })).toThrow();
    expect(() => auditEntryOf({ ...item, status: '200' })).toThrow();
    expect(() => auditEntryOf({ ...item, resource: { type: 'user' } })).toThrow();
  });
});
