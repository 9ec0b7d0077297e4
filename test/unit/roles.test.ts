import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUPS, type Group } from '#contract/identity.ts';
import {
  ADMIN_ASSIGNABLE_ROLES,
  effectiveRoles,
  EXCLUSIVE_ROLES,
  OPERATOR_ONLY_ROLES,
  planRoleChange,
  roleChangeRefusal,
  separationOfDutiesConflicts,
} from '#domain/roles.ts';

const roleSet = fc.subarray([...GROUPS]);

describe('separation of duties', () => {
  it('is symmetric and never involves employee', () => {
    for (const role of GROUPS)
      for (const other of EXCLUSIVE_ROLES[role]) expect(EXCLUSIVE_ROLES[other]).toContain(role);
    expect(EXCLUSIVE_ROLES.employee).toEqual([]);
  });

  it.each([
    [['employee', 'clinician', 'admin'], [['clinician', 'admin']]],
    [['employee', 'clinician', 'manager'], [['manager', 'clinician']]],
    [['auditor', 'admin'], [['admin', 'auditor']]],
    [['auditor', 'clinician'], [['clinician', 'auditor']]],
    [['employee', 'manager', 'admin'], []],
    [['employee', 'clinician'], []],
    [['employee', 'auditor'], []],
  ] as Array<[Group[], Array<[Group, Group]>]>)('%j conflicts: %j', (roles, conflicts) => {
    expect(separationOfDutiesConflicts(roles)).toEqual(conflicts);
  });

  it('lets admins assign exactly employee, manager and admin', () => {
    expect([...ADMIN_ASSIGNABLE_ROLES].sort()).toEqual(['admin', 'employee', 'manager']);
    expect([...OPERATOR_ONLY_ROLES].sort()).toEqual(['auditor', 'clinician']);
  });
});

describe('effective roles (what a token full of conflicting groups is worth)', () => {
  it('never keeps clinician or auditor next to a role they exclude, and drops nothing else', () => {
    fc.assert(
      fc.property(roleSet, (held) => {
        const effective = effectiveRoles(held);
        expect(separationOfDutiesConflicts(effective)).toEqual([]);
        for (const role of held) {
          const excluded = EXCLUSIVE_ROLES[role].some((other) => held.includes(other));
          const operatorOnly = OPERATOR_ONLY_ROLES.includes(role);
          expect(effective.includes(role)).toBe(!(operatorOnly && excluded));
        }
        for (const role of effective) expect(held).toContain(role);
      }),
    );
  });
});

describe('role changes', () => {
  it('refuses an organisation admin any change of clinician or auditor (403), whatever else', () => {
    fc.assert(
      fc.property(roleSet, roleSet, (current, wanted) => {
        const change = planRoleChange(current, wanted);
        const touchesOperatorRole = [...change.add, ...change.remove].some((r) =>
          OPERATOR_ONLY_ROLES.includes(r),
        );
        const refusal = roleChangeRefusal(change, 'organisation_admin');
        if (touchesOperatorRole) expect(refusal?.status).toBe(403);
        else if (separationOfDutiesConflicts(change.after).length > 0) expect(refusal?.status).toBe(409);
        else expect(refusal).toBeUndefined();
      }),
    );
  });

  it('lets the operator make any set that keeps separation of duties, and no other', () => {
    fc.assert(
      fc.property(roleSet, roleSet, (current, wanted) => {
        const change = planRoleChange(current, wanted);
        const refusal = roleChangeRefusal(change, 'operator');
        expect(refusal === undefined).toBe(separationOfDutiesConflicts(change.after).length === 0);
        if (refusal) expect(refusal).toMatchObject({ status: 409, code: 'separation_of_duties' });
      }),
    );
  });

  it('explains the refusal in words an API user understands', () => {
    const selfPromotion = roleChangeRefusal(
      planRoleChange(['employee', 'admin'], ['admin', 'clinician']),
      'organisation_admin',
    );
    expect(selfPromotion).toEqual({
      status: 403,
      code: 'operator_only_role',
      message:
        'An organisation admin cannot grant clinician: clinicians and auditors are provisioned only by the platform operator.',
    });
    const demotion = roleChangeRefusal(planRoleChange(['employee', 'auditor'], []), 'organisation_admin');
    expect(demotion?.message).toContain('cannot remove auditor');
    const keepsClinicianAddsManager = roleChangeRefusal(
      planRoleChange(['employee', 'clinician'], ['clinician', 'manager']),
      'organisation_admin',
    );
    expect(keepsClinicianAddsManager).toEqual({
      status: 409,
      code: 'separation_of_duties',
      message: 'Separation of duties: manager and clinician cannot be held together.',
    });
    // A clinician named unchanged in the complete set is not a grant.
    expect(
      roleChangeRefusal(planRoleChange(['employee', 'clinician'], ['clinician']), 'organisation_admin'),
    ).toBeUndefined();
  });
});
