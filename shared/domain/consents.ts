/**
 * Consent defaults (PRIVACY.md): clinician access is off until the user grants it; aggregate analytics
 * is on until the user revokes it.
 */
export const DEFAULT_CONSENTS = {
  clinicianAccess: { granted: false, clinicianIds: [] as string[] },
  aggregateAnalytics: { granted: true },
};
