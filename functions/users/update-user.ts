import { updateUserRoute } from '#contract/routes/users.ts';
import { sessionCutAt } from '#domain/account-access.ts';
import { canReadProfile, hasRole } from '#domain/access-policy.ts';
import { systemClock } from '#domain/clock.ts';
import {
  applyProfileChanges,
  changedFields,
  editableFields,
  fieldsNotEditable,
  profileChangeRefusal,
} from '#domain/profile-edits.ts';
import { auditAccess, auditRecord, writeAudit } from '#data/audit-repository.ts';
import { departmentExists } from '#data/department-lookup.ts';
import { closeCognitoAccount, enableUser } from '#data/cognito/users.ts';
import {
  getProfile,
  managedDepartmentIds,
  replaceProfile,
  StaleVersionError,
} from '#data/user-repository.ts';
import { deniedError } from '#http/access.ts';
import { conflict, forbidden, notFound, validationFailed } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

const stale = () =>
  conflict('The profile was changed by someone else; read it again and retry with its version.');

/**
 * Per-field permissions: a user edits their own display fields, an admin the organisation fields. A
 * field the caller may not change is a 400 naming it; an unknown field never reaches here (strict
 * schema). `version` must be the one read (409 otherwise, also when a concurrent update wins).
 * `isActive` moves the account between active and deactivated; deactivating ends every sign-in of the
 * user in the same transaction. An account pending erasure takes no change — reopening it least of
 * all: 409 naming why, audited.
 */
export const handler = createApiHandler(updateUserRoute, async (request) => {
  const { principal, body } = request;
  const userId = request.params.user_id;
  const profile = await getProfile(userId);
  const editable = editableFields(principal, userId);
  const event = { resourceType: 'user', resourceId: userId, subjectId: userId };

  if (editable.size === 0) {
    // Nothing to edit here: callers who may see the profile get 403, others 404 (no probing).
    const managed =
      principal.kind === 'user' && hasRole(principal, 'manager')
        ? await managedDepartmentIds(principal.sub)
        : [];
    const visible = canReadProfile(principal, profile ?? { id: userId }, managed);
    const denial = visible.allowed
      ? ({ allowed: false, status: 403, reason: 'not_editable' } as const)
      : visible;
    await auditAccess(denial, { ...event, status: denial.status }, request);
    throw denial.status === 403 ? forbidden() : deniedError(denial);
  }
  if (!profile) throw notFound('The user');

  const { version, ...changes } = body;
  const problems = fieldsNotEditable(changes, editable);
  if (changes.departmentId && !(await departmentExists(changes.departmentId))) {
    problems.push({ field: 'body.departmentId', code: 'not_found', message: 'no such department' });
  }
  if (problems.length > 0) throw validationFailed(problems);
  const closed = profileChangeRefusal(profile);
  if (closed) {
    await writeAudit({ ...event, outcome: 'denied', status: 409, reason: 'erasure_pending' }, request);
    throw conflict(closed);
  }
  if (version !== profile.version) throw stale();

  const now = systemClock.now();
  const next = applyProfileChanges(profile, changes, now);
  const deactivated = profile.accountState === 'active' && next.accountState === 'deactivated';
  const audit = auditRecord(
    {
      ...event,
      status: 200,
      reason: `fields:${changedFields(profile, next).join(',') || 'none'}`,
    },
    request,
  );
  try {
    await replaceProfile(
      next,
      profile.version,
      audit,
      [],
      deactivated ? { cutSessionsAt: sessionCutAt(now) } : {},
    );
  } catch (error) {
    if (error instanceof StaleVersionError) throw stale();
    throw error;
  }
  // The account state is also the Cognito user's: sign-in follows the profile.
  if (next.isActive && !profile.isActive) await enableUser(userId);
  if (deactivated) await closeCognitoAccount(userId);
  return ok(next);
});
