import { randomUUID } from 'node:crypto';
import { ACTORS, json, only, signedInUsers, type Scenario } from './scenario-kit.ts';

const adminOnly = (status: number) => only({ admin: status }, 403);

/** Expectations for the organisation routes (users, departments, audit, access log). */
export const ORGANISATION_SCENARIOS: Record<string, Scenario> = {
  'users.list': {
    request: () => ({ path: '/users' }),
    // Managers list their own departments (managerOfOther's is not the subject's, so it shows nobody here).
    expected: only({ admin: 200, managerOfDepartment: 200, managerOfOther: 200 }, 403),
    reveals: { admin: 'all', managerOfDepartment: 'subject' },
  },
  'users.get': {
    request: ({ subject }) => ({ path: `/users/${subject.id}` }),
    expected: only(
      {
        employeeSelf: 200,
        managerOfDepartment: 200,
        managerOfOther: 404,
        clinicianWithConsent: 200,
        clinicianWithoutConsent: 200,
        admin: 200,
      },
      403,
    ),
    reveals: {
      managerOfDepartment: 'subject',
      clinicianWithConsent: 'subject',
      clinicianWithoutConsent: 'subject',
      admin: 'subject',
    },
  },
  'users.update': {
    // A version nobody has: callers allowed to edit get 409 (stale), which proves they passed the checks.
    request: ({ subject }) => ({ path: `/users/${subject.id}`, init: json('PUT', { version: 999_999 }) }),
    expected: only({ employeeSelf: 409, admin: 409, managerOfOther: 404 }, 403),
  },
  'users.setRoles': {
    // The subject is a plain employee: setting no extra roles changes nothing but proves access.
    request: ({ subject }) => ({ path: `/users/${subject.id}/roles`, init: json('PUT', { roles: [] }) }),
    expected: adminOnly(200),
    reveals: { admin: 'subject' },
  },
  'users.deactivate': {
    // A user that does not exist: admins get 404, everyone else is refused before the lookup.
    request: () => ({ path: `/users/${randomUUID()}`, init: { method: 'DELETE' } }),
    expected: adminOnly(404),
  },
  'departments.list': {
    request: () => ({ path: '/departments?limit=5' }),
    expected: signedInUsers(200),
    // Organisation structure: a department names its managers (who manages whom is not health data).
    reveals: Object.fromEntries(ACTORS.map((actor) => [actor, 'all'])),
  },
  'departments.create': {
    request: () => ({ path: '/departments', init: json('POST', { name: `Matrix ${randomUUID()}` }) }),
    expected: adminOnly(201),
  },
  'departments.update': {
    request: () => ({ path: `/departments/${randomUUID()}`, init: json('PUT', { version: 1, name: 'x' }) }),
    expected: adminOnly(404),
  },
  'audit.search': {
    // Admins (administrative records only) and the auditor (the full trail).
    request: ({ subject }) => ({ path: `/audit?subjectId=${subject.id}` }),
    expected: only({ admin: 200, auditor: 200 }, 403),
    reveals: { admin: 'all', auditor: 'all' },
  },
  'privacy.accessLog': {
    request: () => ({ path: '/users/me/access-log' }),
    expected: signedInUsers(200),
    // The subject's log names whoever read their data; that is its purpose.
    reveals: { employeeSelf: 'all' },
  },
};
