import type { PreSignUpTriggerHandler } from 'aws-lambda';
import { runtimeEnv } from '#contract/runtime-env.ts';
import { emailDomainAllowed } from '#domain/password-policy.ts';
import { logger } from '#observability/powertools.ts';

const env = runtimeEnv();

/** Cognito hands this to the caller (SignUp, managed login); it names the rule, not the domains. */
export const DOMAIN_NOT_ALLOWED = 'Sign-up is limited to the organisation e-mail domains.';

/**
 * Cognito pre sign-up: self sign-up (the API's /auth/register, managed login, a federated first sign-in)
 * only from the stage's e-mail domains, and confirmed at once (e-mail verified) where the stage
 * auto-confirms. AdminCreateUser is an operator's deliberate act with IAM on the pool: not limited here.
 * Throwing refuses the sign-up; Cognito creates no user.
 */
export const handler: PreSignUpTriggerHandler = async (event, context) => {
  logger.addContext(context);
  const { triggerSource } = event;
  if (triggerSource === 'PreSignUp_AdminCreateUser') return event;

  if (!emailDomainAllowed(event.request.userAttributes.email ?? '', env.allowedEmailDomains)) {
    // No e-mail in the log: the domain rule and the source are enough to see abuse.
    logger.warn('sign-up refused', { triggerSource, reason: 'email_domain' });
    throw new Error(DOMAIN_NOT_ALLOWED);
  }
  event.response.autoConfirmUser = env.autoConfirm;
  event.response.autoVerifyEmail = env.autoConfirm;
  logger.info('sign-up allowed', { triggerSource, autoConfirmed: env.autoConfirm });
  return event;
};
