import { randomUUID } from 'node:crypto';
import { json, only, signedInUsers, type Scenario } from './scenario-kit.ts';

/** The subject's individual survey data: the subject, or the clinician they consented to. */
const selfOrConsentedClinician = only({ employeeSelf: 200, clinicianWithConsent: 200 }, 403);

/** Expectations for the survey and alert routes. */
export const SURVEY_SCENARIOS: Record<string, Scenario> = {
  'surveys.instruments': {
    request: () => ({ path: '/surveys/instruments' }),
    expected: signedInUsers(200),
  },
  'surveys.submit': {
    // Every signed-in caller submits for themselves (a GAD-7 of zeros: no alert, no severity jump).
    request: () => ({
      path: '/surveys/responses',
      init: json('POST', {
        instrument: 'gad7',
        answers: { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0 },
      }),
    }),
    expected: signedInUsers(201),
  },
  'surveys.listByUser': {
    request: ({ subject }) => ({ path: `/surveys/responses/user/${subject.id}` }),
    expected: selfOrConsentedClinician,
    reveals: { clinicianWithConsent: 'subject' },
  },
  'surveys.burnoutTrend': {
    request: ({ subject }) => ({ path: `/surveys/responses/user/${subject.id}/burnout-trend` }),
    expected: selfOrConsentedClinician,
    reveals: { clinicianWithConsent: 'subject' },
  },
  'alerts.list': {
    // Clinicians only: managers and admins never see an alert (403 at the route).
    request: () => ({ path: '/alerts?limit=5' }),
    expected: only({ clinicianWithConsent: 200, clinicianWithoutConsent: 200 }, 403),
  },
  'alerts.update': {
    // An alert that does not exist: clinicians get 404, everyone else is refused before the lookup.
    request: () => ({
      path: `/alerts/${randomUUID()}`,
      init: json('PUT', { status: 'acknowledged', version: 1 }),
    }),
    expected: only({ clinicianWithConsent: 404, clinicianWithoutConsent: 404 }, 403),
  },
};
