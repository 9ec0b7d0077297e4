import type { AuditRequestContext } from '#domain/audit.ts';
import type { Principal } from '#domain/principal.ts';
import { writeAudit } from '#data/audit-repository.ts';
import {
  AccountClosedError,
  SessionContentionError,
  SessionEndedError,
  SessionNotFoundError,
  sessionOwner,
} from '#data/emo-buddy-repository.ts';
import { ApiError, conflict, notFound } from '#http/errors.ts';

/**
 * A call on a session that is not the caller's is a 404 (existence would leak), and audited all the
 * same: filed under the session's owner when there is one (it shows in their access log), else under
 * the caller (a probe of an id that does not exist).
 */
export const auditSessionRefusal = async (
  request: AuditRequestContext & { principal: Principal },
  action: string,
  sessionId: string,
): Promise<void> => {
  const owner = await sessionOwner(sessionId);
  const caller = request.principal.kind === 'user' ? request.principal.sub : undefined;
  const victim = owner && owner !== caller ? owner : undefined;
  await writeAudit(
    {
      action,
      resourceType: 'emo_session',
      resourceId: sessionId,
      ...(victim ? { subjectId: victim } : {}),
      outcome: 'denied',
      status: 404,
      reason: victim ? 'not_owner' : 'not_found',
    },
    request,
  );
};

/** The API error for a repository outcome, after auditing the refusal when the session is not theirs. */
export const sessionFailure = async (
  error: unknown,
  request: AuditRequestContext & { principal: Principal },
  action: string,
  sessionId: string,
): Promise<unknown> => {
  if (error instanceof SessionNotFoundError) await auditSessionRefusal(request, action, sessionId);
  return sessionApiError(error);
};

/** The repository's outcomes as API errors; anything else is rethrown unchanged. */
export const sessionApiError = (error: unknown): unknown => {
  if (error instanceof SessionNotFoundError) return notFound('The session');
  if (error instanceof SessionEndedError) return conflict('The session has ended.');
  if (error instanceof AccountClosedError) {
    return error.state === 'missing'
      ? notFound('Your profile')
      : conflict('Your account is closed; it accepts no new data.');
  }
  if (error instanceof SessionContentionError) {
    return new ApiError('CONFLICT', 'The session changed concurrently; retry.', {
      headers: { 'Retry-After': '1' },
    });
  }
  return error;
};
