import { randomUUID } from 'node:crypto';
import { registerRoute } from '#contract/routes/auth.ts';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { systemClock } from '#domain/clock.ts';
import { emailDomainAllowed, passwordProblems } from '#domain/password-policy.ts';
import { createTimingClass } from '#domain/timing.ts';
import { userTarget } from '#domain/audit.ts';
import { requestPasswordReset, signUpAccount } from '#data/cognito/accounts.ts';
import { deleteCognitoUser } from '#data/cognito/users.ts';
import { auditRecord, writeAudit } from '#data/audit-repository.ts';
import { loginSubject } from '#data/login-attempts.ts';
import { createProfile, newProfile, ProfileExistsError } from '#data/user-repository.ts';
import { validationFailed } from '#http/errors.ts';
import { created, createApiHandler } from '#http/handler-factory.ts';
import { logger } from '#observability/powertools.ts';

/** A new account takes about this long before this process has measured it (several Cognito calls). */
const newAccounts = createTimingClass(400);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registration: policy checks first (the API enforces the password rules itself, cognito-local does
 * not), then the Cognito user (employee group), then profile + audit in one transaction. If the profile
 * cannot be written the Cognito user is deleted again, so nothing is left half-created. The new
 * account belongs to no department: an admin sets membership (PUT /users/{user_id}).
 *
 * An address that already has an account gets exactly the answer a new one would — the same status and
 * shape (with an id that belongs to no account), after about the same time — and its owner is told by
 * e-mail instead (a message with a reset code, in case it was them; locally in the `npm start`
 * output). So registration does not tell anyone which addresses have accounts. (Where the stage
 * confirms accounts at once, signing in afterwards still shows the password was not taken: that
 * stage's convenience, not prod's, where the confirmation code goes to the address's owner.)
 */
export const handler = createApiHandler(registerRoute, async (request) => {
  const started = performance.now();
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
  if (account.kind === 'rejected_password') {
    throw validationFailed([{ field: 'body.password', code: 'password_policy', message: account.message }]);
  }
  const confirmedAtOnce = runtimeEnv().autoConfirm;
  if (account.kind === 'exists') {
    await requestPasswordReset(email, 'registration_attempt');
    await writeAudit(
      {
        resourceType: 'user',
        subjectId: loginSubject(email),
        outcome: 'denied',
        status: 201,
        reason: 'address_taken',
      },
      request,
    );
    await sleep(newAccounts.padFor(performance.now() - started));
    return created({
      id: randomUUID(),
      email,
      status: confirmedAtOnce ? 'confirmed' : 'confirmation_required',
    });
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
  const audit = auditRecord(
    {
      ...userTarget(account.sub),
      status: 201,
    },
    { ...request, principal },
  );
  const profile = newProfile({ id: account.sub, email, fullName, roles: ['employee'], at: now });
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
      await deleteCognitoUser(email).catch((cleanup: unknown) =>
        logger.error('could not remove the Cognito user', { sub: account.sub, error: cleanup }),
      );
      throw error;
    }
  }
  newAccounts.record(performance.now() - started);
  return created({
    id: account.sub,
    email,
    status: account.confirmed ? 'confirmed' : 'confirmation_required',
  });
});
