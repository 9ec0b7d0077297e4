import { authRoutes } from '#contract/routes/auth.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { emailDomainAllowed, passwordProblems } from '#domain/password-policy.ts';
import { deleteAccount, signUpAccount } from '#data/accounts.ts';
import { newAuditRecord } from '#data/audit-repository.ts';
import { createProfile, ProfileExistsError } from '#data/user-repository.ts';
import { conflict, validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';
import { logger } from '#observability/powertools.ts';

/**
 * Registration: policy checks first (the API enforces the password rules itself, cognito-local does
 * not), then the Cognito user (employee group), then profile + audit in one transaction. If the profile
 * cannot be written the Cognito user is deleted again, so nothing is left half-created. The new
 * account belongs to no department: an admin sets membership (PUT /users/{user_id}).
 */
export const handler = createApiHandler(authRoutes.register, async (request) => {
  const { email, password, fullName } = request.body;
  const problems = passwordProblems(password);
  if (!emailDomainAllowed(email, runtimeEnv().allowedEmailDomains)) {
    problems.unshift({
      field: 'body.email',
      code: 'email_domain',
      message: 'must use an allowed e-mail domain',
    });
  }
  if (problems.length > 0) throw validationFailed(problems);

  const account = await signUpAccount({ email, password, fullName });
  if (account.kind === 'exists') throw conflict('An account with this e-mail already exists.');
  if (account.kind === 'rejected_password') {
    throw validationFailed([{ field: 'body.password', code: 'password_policy', message: account.message }]);
  }

  const now = systemClock.now().toISOString();
  const principal = {
    kind: 'user',
    sub: account.sub,
    username: account.sub,
    roles: ['employee'],
    scopes: [],
    clientId: 'api',
  } as const;
  const audit = newAuditRecord(
    {
      action: 'auth.register',
      resourceType: 'user',
      resourceId: account.sub,
      subjectId: account.sub,
      outcome: 'allowed',
      status: 201,
    },
    { ...request, principal },
    systemClock,
  );
  const profile = {
    id: account.sub,
    email,
    fullName,
    roles: ['employee' as const],
    isActive: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await createProfile(profile, audit);
  } catch (error) {
    // Cognito's post-confirmation trigger got there first (stages that confirm inside SignUp): the
    // account is whole.
    if (!(error instanceof ProfileExistsError)) {
      logger.error('profile write failed after sign-up; removing the Cognito user', {
        sub: account.sub,
        error,
      });
      await deleteAccount(email).catch((cleanup: unknown) =>
        logger.error('could not remove the Cognito user', { sub: account.sub, error: cleanup }),
      );
      throw error;
    }
  }
  return created({
    id: account.sub,
    email,
    status: account.confirmed ? 'confirmed' : 'confirmation_required',
  });
});
