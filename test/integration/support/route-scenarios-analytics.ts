import { only, type Scenario } from './scenario-kit.ts';

/**
 * Expectations for the analytics routes. The subject consented to clinicianWithConsent;
 * managerOfDepartment manages the subject's department, managerOfOther another one.
 */
export const ANALYTICS_SCENARIOS: Record<string, Scenario> = {
  'analytics.userSummary': {
    // Individual data: the subject, or the clinician they consented to (audited). Never a manager or admin.
    request: ({ subject }) => ({ path: `/analytics/user/${subject.id}/summary` }),
    expected: only({ employeeSelf: 200, clinicianWithConsent: 200 }, 403),
    reveals: { clinicianWithConsent: 'subject' },
  },
  'analytics.overview': {
    // Aggregates only: admins (organisation + every department) and managers (their departments).
    request: () => ({ path: '/analytics/dashboard/overview' }),
    expected: only({ admin: 200, managerOfDepartment: 200, managerOfOther: 200 }, 403),
  },
};
