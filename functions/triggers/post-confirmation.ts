import { randomUUID } from 'node:crypto';
import type { PostConfirmationTriggerHandler } from 'aws-lambda';
import type { Group } from '#contract/identity.ts';
import type { Principal } from '#domain/principal.ts';
import { userTarget } from '#domain/audit.ts';
import { auditRecord } from '#data/audit-repository.ts';
import { addToGroup } from '#data/cognito/users.ts';
import { createProfile, newProfile, ProfileExistsError } from '#data/user-repository.ts';
import { logger } from '#observability/powertools.ts';

const NEW_USER_ROLE: Group = 'employee';

/**
 * Cognito post confirmation: a confirmed sign-up gets what /auth/register gives an API sign-up — the
 * `employee` group, and the profile with its audit record in one transaction. Idempotent, because the
 * API has usually written the profile already (then ProfileExistsError is success) and Cognito may
 * retry a trigger. The pool comes from the event: a pool id in the environment would be a circular
 * dependency (the pool refers to this function).
 */
export const handler: PostConfirmationTriggerHandler = async (event, context) => {
  logger.addContext(context);
  // A confirmed password reset fires this trigger too; it creates nothing.
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;

  const { sub, email, name } = event.request.userAttributes;
  if (!sub || !email) throw new Error('The confirmed user has no sub or e-mail attribute');

  await addToGroup(event.userName, NEW_USER_ROLE, event.userPoolId);

  const principal: Principal = {
    kind: 'user',
    sub,
    username: event.userName,
    roles: [NEW_USER_ROLE],
    scopes: [],
    clientId: event.callerContext.clientId,
  };
  const audit = auditRecord(
    {
      action: 'auth.register',
      ...userTarget(sub),
      status: 201,
    },
    {
      principal,
      requestId: context.awsRequestId || randomUUID(),
      sourceIp: 'cognito',
      userAgent: 'cognito-post-confirmation',
    },
  );
  const normalisedEmail = email.trim().toLowerCase();
  const now = audit.at;
  try {
    await createProfile(
      newProfile({
        id: sub,
        email: normalisedEmail,
        // Managed login does not ask for a name; the user can set one later.
        fullName: name?.trim() || normalisedEmail.slice(0, normalisedEmail.indexOf('@')),
        roles: [NEW_USER_ROLE],
        at: now,
      }),
      audit,
    );
    logger.info('profile created for a confirmed sign-up', { sub });
  } catch (error) {
    if (!(error instanceof ProfileExistsError)) throw error;
    logger.info('profile already exists; nothing to create', { sub });
  }
  return event;
};
