import type { ConsentState, UpdateConsents } from '#contract/consents.ts';

/**
 * Consent rules (docs/privacy.md) as pure functions: the purposes, their defaults, and which changes an
 * update makes. The repository stores one item per purpose and one history item per change.
 */
export const CONSENT_PURPOSES = ['clinician_access', 'aggregate_analytics'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * Defaults when the user never changed a purpose: clinician access off, aggregate analytics on;
 * version 0 and no timestamp say "never changed".
 */
export const DEFAULT_CONSENTS: ConsentState = {
  clinicianAccess: { granted: false, clinicianIds: [], version: 0, updatedAt: null },
  aggregateAnalytics: { granted: true, version: 0, updatedAt: null },
};

/** A purpose's stored state (the current-consent item without its keys). */
export interface StoredConsent {
  purpose: ConsentPurpose;
  granted: boolean;
  clinicianIds?: readonly string[] | undefined;
  version: number;
  updatedAt: string;
}

/** The API shape from the stored items; a purpose without an item has its default. */
export const consentStateOf = (stored: readonly StoredConsent[]): ConsentState => {
  const clinician = stored.find((s) => s.purpose === 'clinician_access');
  const aggregate = stored.find((s) => s.purpose === 'aggregate_analytics');
  return {
    clinicianAccess: clinician
      ? {
          granted: clinician.granted,
          clinicianIds: clinician.granted ? [...(clinician.clinicianIds ?? [])] : [],
          version: clinician.version,
          updatedAt: clinician.updatedAt,
        }
      : { ...DEFAULT_CONSENTS.clinicianAccess, clinicianIds: [] },
    aggregateAnalytics: aggregate
      ? { granted: aggregate.granted, version: aggregate.version, updatedAt: aggregate.updatedAt }
      : { ...DEFAULT_CONSENTS.aggregateAnalytics },
  };
};

/** One purpose's change: its new state and the version it was read at (the write's condition). */
export interface PlannedConsentChange {
  purpose: ConsentPurpose;
  granted: boolean;
  /** Only for clinician_access: the named clinicians (empty = all). */
  clinicianIds?: string[];
  previousVersion: number;
  version: number;
  changedAt: string;
}

const sameIds = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * The changes an update makes to the current state: one per purpose whose value differs. Clinician ids
 * are de-duplicated and sorted, so the same set in another order is no change; revoking clears them.
 * An update that changes nothing plans nothing (no version bump, no history entry).
 */
export const planConsentChanges = (
  current: ConsentState,
  update: UpdateConsents,
  changedAt: string,
): PlannedConsentChange[] => {
  const changes: PlannedConsentChange[] = [];
  if (update.clinicianAccess) {
    const granted = update.clinicianAccess.granted;
    const ids = granted ? [...new Set(update.clinicianAccess.clinicianIds ?? [])].sort() : [];
    const now = current.clinicianAccess;
    const currentIds = [...now.clinicianIds].sort();
    if (granted !== now.granted || !sameIds(ids, currentIds)) {
      changes.push({
        purpose: 'clinician_access',
        granted,
        clinicianIds: ids,
        previousVersion: now.version,
        version: now.version + 1,
        changedAt,
      });
    }
  }
  if (update.aggregateAnalytics && update.aggregateAnalytics.granted !== current.aggregateAnalytics.granted) {
    changes.push({
      purpose: 'aggregate_analytics',
      granted: update.aggregateAnalytics.granted,
      previousVersion: current.aggregateAnalytics.version,
      version: current.aggregateAnalytics.version + 1,
      changedAt,
    });
  }
  return changes;
};

/** Short machine-readable audit reason, e.g. `clinician_access=granted;aggregate_analytics=revoked`. */
export const consentAuditReason = (changes: readonly PlannedConsentChange[]): string =>
  changes.map((c) => `${c.purpose}=${c.granted ? 'granted' : 'revoked'}`).join(';');

/** The state after the planned changes were written. */
export const applyConsentChanges = (
  current: ConsentState,
  changes: readonly PlannedConsentChange[],
): ConsentState => {
  const next: ConsentState = {
    clinicianAccess: { ...current.clinicianAccess, clinicianIds: [...current.clinicianAccess.clinicianIds] },
    aggregateAnalytics: { ...current.aggregateAnalytics },
  };
  for (const change of changes) {
    if (change.purpose === 'clinician_access') {
      next.clinicianAccess = {
        granted: change.granted,
        clinicianIds: change.clinicianIds ?? [],
        version: change.version,
        updatedAt: change.changedAt,
      };
    } else {
      next.aggregateAnalytics = {
        granted: change.granted,
        version: change.version,
        updatedAt: change.changedAt,
      };
    }
  }
  return next;
};
