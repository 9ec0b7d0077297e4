import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUPS, type Group } from '#contract/identity.ts';
import type { RouteAccess } from '#contract/route.ts';
import {
  canAdminister,
  canHandleAlerts,
  canReadIndividualData,
  canReadProfile,
  canSearchAudit,
  canViewDepartmentAggregates,
  canWriteAnalysis,
  hasRole,
  NO_CLINICIAN_CONSENT,
  routeAllows,
} from '#domain/access-policy.ts';
import { ANONYMOUS, type Principal } from '#domain/principal.ts';

const user = (sub: string, ...roles: Group[]): Principal => ({
  kind: 'user',
  sub,
  username: sub,
  roles: ['employee', ...roles],
  scopes: [],
  clientId: 'c',
});
const machine = (scopes: string[]): Principal => ({ kind: 'machine', clientId: 'pipeline', scopes });

const SUBJECT = 'subject-1';
const status = (d: { allowed: boolean; status?: number }) => (d.allowed ? 200 : d.status);

describe('individual mental-health data', () => {
  const consentAll = { granted: true, clinicianIds: [] };
  const consentNamed = { granted: true, clinicianIds: ['clin-a'] };

  it.each([
    ['anonymous', ANONYMOUS, NO_CLINICIAN_CONSENT, 401],
    ['the user', user(SUBJECT), NO_CLINICIAN_CONSENT, 200],
    ['another employee', user('other'), consentAll, 403],
    ['a manager, even of the department', user('mgr', 'manager'), consentAll, 403],
    ['an admin', user('adm', 'admin'), consentAll, 403],
    ['a clinician without consent', user('clin-a', 'clinician'), NO_CLINICIAN_CONSENT, 403],
    ['a clinician with consent to all clinicians', user('clin-a', 'clinician'), consentAll, 200],
    ['the clinician the consent names', user('clin-a', 'clinician'), consentNamed, 200],
    ['a clinician the consent does not name', user('clin-b', 'clinician'), consentNamed, 403],
    [
      'a clinician after revocation',
      user('clin-a', 'clinician'),
      { granted: false, clinicianIds: ['clin-a'] },
      403,
    ],
    ['an analysis pipeline', machine(['mha-api/analyses.write']), consentAll, 403],
  ] as const)('%s → %i', (_who, principal, consent, expected) => {
    expect(status(canReadIndividualData(principal, SUBJECT, consent))).toBe(expected);
  });
});

describe('writing analyses', () => {
  it('allows the user for themselves and a pipeline with analyses.write for anyone', () => {
    expect(status(canWriteAnalysis(user(SUBJECT), SUBJECT))).toBe(200);
    expect(status(canWriteAnalysis(user('other'), SUBJECT))).toBe(403);
    expect(status(canWriteAnalysis(machine(['mha-api/analyses.write']), SUBJECT))).toBe(200);
    expect(status(canWriteAnalysis(machine([]), SUBJECT))).toBe(403);
    expect(status(canWriteAnalysis(ANONYMOUS, SUBJECT))).toBe(401);
  });
});

describe('profiles', () => {
  const subject = { id: SUBJECT, departmentId: 'dept-1' };
  it.each([
    ['self', user(SUBJECT), [], 200],
    ['admin', user('adm', 'admin'), [], 200],
    ['clinician', user('clin', 'clinician'), [], 200],
    ['manager of the department', user('mgr', 'manager'), ['dept-1'], 200],
    [
      'manager of another department (must not learn the user exists)',
      user('mgr', 'manager'),
      ['dept-2'],
      404,
    ],
    ['employee', user('other'), [], 403],
    ['pipeline', machine(['mha-api/analyses.write']), [], 403],
  ] as const)('%s → %i', (_who, principal, managed, expected) => {
    expect(status(canReadProfile(principal, subject, managed))).toBe(expected);
  });
});

describe('administration, aggregates, alerts', () => {
  it('lets only admins administer', () => {
    expect(status(canAdminister(user('a', 'admin')))).toBe(200);
    expect(status(canAdminister(user('m', 'manager', 'clinician')))).toBe(403);
  });

  it('lets admins see every department and managers only theirs', () => {
    expect(status(canViewDepartmentAggregates(user('a', 'admin'), 'd1', []))).toBe(200);
    expect(status(canViewDepartmentAggregates(user('m', 'manager'), 'd1', ['d1']))).toBe(200);
    expect(status(canViewDepartmentAggregates(user('m', 'manager'), 'd2', ['d1']))).toBe(403);
    expect(status(canViewDepartmentAggregates(user('c', 'clinician'), 'd1', ['d1']))).toBe(403);
  });

  it('shows alerts to clinicians only, never to managers or admins', () => {
    expect(status(canHandleAlerts(user('c', 'clinician')))).toBe(200);
    expect(status(canHandleAlerts(user('a', 'admin', 'manager')))).toBe(403);
  });
});

describe('separation of duties in the policy (whatever the token claims)', () => {
  const withRoles = (sub: string, roles: Group[]): Principal => ({
    kind: 'user',
    sub,
    username: sub,
    roles,
    scopes: [],
    clientId: 'c',
  });
  const everyConsent = { granted: true, clinicianIds: [] };
  const clinicianRoute: RouteAccess = { users: ['clinician'] };
  const auditRoute: RouteAccess = { users: ['admin', 'auditor'] };

  it('grants clinician powers only to a clinician who holds none of admin, manager, auditor', () => {
    fc.assert(
      fc.property(fc.subarray([...GROUPS]), fc.uuid(), (roles, sub) => {
        const principal = withRoles(sub, roles);
        const legitimateClinician =
          roles.includes('clinician') && !roles.some((r) => ['admin', 'manager', 'auditor'].includes(r));
        expect(hasRole(principal, 'clinician')).toBe(legitimateClinician);
        expect(canHandleAlerts(principal).allowed).toBe(legitimateClinician);
        expect(routeAllows(clinicianRoute, principal) === 'allow').toBe(legitimateClinician);
        // Every clinician is covered by a consent to all clinicians: only the role decides here.
        expect(canReadIndividualData(principal, 'someone-else', everyConsent).allowed).toBe(
          legitimateClinician,
        );
        expect(canReadProfile(principal, { id: 'someone-else' }, []).allowed).toBe(
          legitimateClinician || roles.includes('admin'),
        );
      }),
    );
  });

  it('grants the full audit trail only to an auditor who holds none of admin, manager, clinician', () => {
    fc.assert(
      fc.property(fc.subarray([...GROUPS]), (roles) => {
        const principal = withRoles('u', roles);
        const legitimateAuditor =
          roles.includes('auditor') && !roles.some((r) => ['admin', 'manager', 'clinician'].includes(r));
        expect(hasRole(principal, 'auditor')).toBe(legitimateAuditor);
        const search = canSearchAudit(principal);
        expect(search.allowed).toBe(legitimateAuditor || roles.includes('admin'));
        expect(routeAllows(auditRoute, principal) === 'allow').toBe(search.allowed);
        // An auditor is no admin: nothing of the organisation's administration.
        if (!roles.includes('admin')) expect(canAdminister(principal).allowed).toBe(false);
      }),
    );
  });

  it('treats the issue’s self-made "admin + clinician" as an admin without clinician powers', () => {
    const selfPromoted = user('adm', 'admin', 'clinician');
    expect(status(canHandleAlerts(selfPromoted))).toBe(403);
    expect(status(canReadIndividualData(selfPromoted, SUBJECT, everyConsent))).toBe(403);
    expect(status(canAdminister(selfPromoted))).toBe(200);
    expect(routeAllows(clinicianRoute, selfPromoted)).toBe('forbidden');
  });
});
