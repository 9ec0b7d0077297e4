import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ConsentState, UpdateConsentsBody } from '#contract/consents.ts';
import {
  applyConsentChanges,
  consentAuditReason,
  consentStateOf,
  DEFAULT_CONSENTS,
  planConsentChanges,
} from '#domain/consents.ts';

const AT = '2026-11-23T08:00:00.000Z';
const LATER = '2026-11-24T08:00:00.000Z';
const A = '0f6c2b1e-5d4a-4b3c-8a29-1e0d9c8b7a65';
const B = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';

describe('consent defaults', () => {
  it('are clinician access off and aggregate analytics on, never changed (docs/privacy.md)', () => {
    expect(DEFAULT_CONSENTS).toEqual({
      clinicianAccess: { granted: false, clinicianIds: [], version: 0, updatedAt: null },
      aggregateAnalytics: { granted: true, version: 0, updatedAt: null },
    });
    expect(z.safeParse(ConsentState, DEFAULT_CONSENTS).success).toBe(true);
  });

  it('apply to every purpose without a stored item, and stored items win', () => {
    expect(consentStateOf([])).toEqual(DEFAULT_CONSENTS);
    const state = consentStateOf([
      { purpose: 'aggregate_analytics', granted: false, version: 3, updatedAt: AT },
    ]);
    expect(state.aggregateAnalytics).toEqual({ granted: false, version: 3, updatedAt: AT });
    expect(state.clinicianAccess).toEqual(DEFAULT_CONSENTS.clinicianAccess);
  });

  it('never show clinician ids on a revoked consent', () => {
    const state = consentStateOf([
      { purpose: 'clinician_access', granted: false, clinicianIds: [A], version: 2, updatedAt: AT },
    ]);
    expect(state.clinicianAccess.clinicianIds).toEqual([]);
  });

  it('are not shared between calls (a caller mutating its copy changes no default)', () => {
    const state = consentStateOf([]);
    state.clinicianAccess.clinicianIds.push(A);
    expect(DEFAULT_CONSENTS.clinicianAccess.clinicianIds).toEqual([]);
  });
});

describe('planConsentChanges', () => {
  it('plans one change per purpose whose value differs, each one version up', () => {
    const changes = planConsentChanges(
      DEFAULT_CONSENTS,
      { clinicianAccess: { granted: true }, aggregateAnalytics: { granted: false } },
      AT,
    );
    expect(changes).toEqual([
      {
        purpose: 'clinician_access',
        granted: true,
        clinicianIds: [],
        previousVersion: 0,
        version: 1,
        changedAt: AT,
      },
      { purpose: 'aggregate_analytics', granted: false, previousVersion: 0, version: 1, changedAt: AT },
    ]);
    expect(consentAuditReason(changes)).toBe('clinician_access=granted;aggregate_analytics=revoked');
  });

  it('treats the same value as no change (no version bump)', () => {
    expect(planConsentChanges(DEFAULT_CONSENTS, { aggregateAnalytics: { granted: true } }, AT)).toEqual([]);
    expect(planConsentChanges(DEFAULT_CONSENTS, { clinicianAccess: { granted: false } }, AT)).toEqual([]);
  });

  it('de-duplicates and orders clinician ids, so the same set in another order is no change', () => {
    const [grant] = planConsentChanges(
      DEFAULT_CONSENTS,
      { clinicianAccess: { granted: true, clinicianIds: [B, A, B] } },
      AT,
    );
    expect(grant?.clinicianIds).toEqual([A, B].sort());
    const granted = applyConsentChanges(DEFAULT_CONSENTS, [grant!]);
    expect(
      planConsentChanges(granted, { clinicianAccess: { granted: true, clinicianIds: [B, A] } }, LATER),
    ).toEqual([]);
    // A different set, or "all clinicians" instead of named ones, is a change.
    expect(
      planConsentChanges(granted, { clinicianAccess: { granted: true, clinicianIds: [A] } }, LATER),
    ).toHaveLength(1);
    expect(planConsentChanges(granted, { clinicianAccess: { granted: true } }, LATER)[0]).toMatchObject({
      clinicianIds: [],
      previousVersion: 1,
      version: 2,
    });
  });

  it('clears the clinician list on revocation', () => {
    const granted = applyConsentChanges(
      DEFAULT_CONSENTS,
      planConsentChanges(DEFAULT_CONSENTS, { clinicianAccess: { granted: true, clinicianIds: [A] } }, AT),
    );
    const changes = planConsentChanges(granted, { clinicianAccess: { granted: false } }, LATER);
    const revoked = applyConsentChanges(granted, changes);
    expect(revoked.clinicianAccess).toEqual({
      granted: false,
      clinicianIds: [],
      version: 2,
      updatedAt: LATER,
    });
    // The state the change was applied to is left as it was.
    expect(granted.clinicianAccess.clinicianIds).toEqual([A]);
  });
});

describe('UpdateConsentsBody', () => {
  const valid = (body: unknown) => z.safeParse(UpdateConsentsBody, body).success;

  it('accepts a change of either purpose or both', () => {
    expect(valid({ aggregateAnalytics: { granted: false } })).toBe(true);
    expect(valid({ clinicianAccess: { granted: true, clinicianIds: [A] } })).toBe(true);
    expect(valid({ clinicianAccess: { granted: false }, aggregateAnalytics: { granted: true } })).toBe(true);
  });

  it('refuses an empty change, unknown purposes, clinician ids on a revocation and non-uuid ids', () => {
    expect(valid({})).toBe(false);
    expect(valid({ marketing: { granted: true } })).toBe(false);
    expect(valid({ clinicianAccess: { granted: false, clinicianIds: [A] } })).toBe(false);
    expect(valid({ clinicianAccess: { granted: true, clinicianIds: ['dr-who'] } })).toBe(false);
    expect(
      valid({ clinicianAccess: { granted: true, clinicianIds: Array.from({ length: 21 }, () => A) } }),
    ).toBe(false);
  });
});
