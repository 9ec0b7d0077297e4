import { canReadIndividualData, hasRole, isSelf, NO_CLINICIAN_CONSENT } from '#domain/access-policy.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import { systemClock } from '#domain/clock.ts';
import { auditAccess } from '#data/audit-repository.ts';
import { getClinicianConsent } from '#data/consent-repository.ts';
import { deniedError } from '#http/access.ts';

/**
 * The gate of a read of a user's individual survey data (PRIVACY.md): the user, or a clinician the user
 * consented to (consent read strongly consistent, so a revocation applies to the next request). Reads
 * by anyone else are audited BEFORE the data is returned, and so is every denial; throws the denial.
 */
export const authorizeIndividualRead = async (
  request: AuditRequestContext,
  subjectId: string,
  event: { action: string; resourceType: string },
): Promise<void> => {
  const { principal } = request;
  if (isSelf(principal, subjectId)) return;
  const consent = hasRole(principal, 'clinician')
    ? await getClinicianConsent(subjectId)
    : NO_CLINICIAN_CONSENT;
  const decision = canReadIndividualData(principal, subjectId, consent);
  if (!decision.allowed && decision.status === 401) throw deniedError(decision);
  await auditAccess(
    decision,
    { ...event, subjectId, status: decision.allowed ? 200 : decision.status },
    request,
    systemClock,
  );
  if (!decision.allowed) throw deniedError(decision);
};
