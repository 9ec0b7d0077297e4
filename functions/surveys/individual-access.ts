import { canReadIndividualData, hasRole, isSelf, NO_CLINICIAN_CONSENT } from '#domain/access-policy.ts';
import type { AuditRequestContext } from '#domain/audit.ts';
import type { Principal } from '#domain/principal.ts';
import { auditAccess, auditRecord } from '#data/audit-repository.ts';
import { activeAccountCondition } from '#data/caller-access.ts';
import { clinicianConsentCondition } from '#data/consent-repository.ts';
import { auditIfPermitted } from '#data/versioned-write.ts';
import { deniedError } from '#http/access.ts';

/**
 * The gate of a read of a user's individual data (docs/privacy.md): the user, or a clinician the user
 * consented to whose account is active. A clinician's read is allowed and recorded in ONE transaction
 * that checks the consent item and the user's account (auditIfPermitted), so a revocation, a
 * deactivation or an erasure request applies to the next request and the read is on record before any
 * data leaves; every denial is audited too. Throws the denial.
 */
export const authorizeIndividualRead = async (
  request: AuditRequestContext & { principal: Principal },
  subjectId: string,
  event: { action?: string; resourceType: string },
): Promise<void> => {
  const { principal } = request;
  if (isSelf(principal, subjectId)) return;
  if (principal.kind === 'user' && hasRole(principal, 'clinician')) {
    const allowed = auditRecord({ ...event, subjectId, status: 200 }, request);
    const failed = await auditIfPermitted(
      {
        consent: clinicianConsentCondition(subjectId, principal.sub),
        account: activeAccountCondition(subjectId),
      },
      allowed,
    );
    if (failed === undefined) return;
    if (failed === 'account') {
      // Consented, but the account is closed (deactivated, or pending erasure): nothing of it is read.
      const closed = { allowed: false, status: 403, reason: 'account_closed' } as const;
      await auditAccess(closed, { ...event, subjectId, status: 403 }, request);
      throw deniedError(closed);
    }
  }
  // Not the user and not (or no longer) a consented clinician: the policy names the denial.
  const decision = canReadIndividualData(principal, subjectId, NO_CLINICIAN_CONSENT);
  if (decision.allowed) throw new Error('a read without consent cannot be allowed');
  if (decision.status === 401) throw deniedError(decision);
  await auditAccess(decision, { ...event, subjectId, status: decision.status }, request);
  throw deniedError(decision);
};
