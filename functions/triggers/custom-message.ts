import type { CustomMessageTriggerHandler } from 'aws-lambda';
import { logger } from '#observability/powertools.ts';

/**
 * Cognito custom message: the wording of the e-mail with a password-reset code, by what the API asked
 * it for (ClientMetadata `purpose`). A registration for an address that already has an account answers
 * the registrant exactly as for a new one (functions/auth/register.ts) and tells the address's owner
 * instead — with this message and a reset code, in case it was them. Every other message keeps
 * Cognito's own text. The code stays Cognito's placeholder: this function never sees it.
 */
export const REGISTRATION_ATTEMPT = {
  subject: 'Someone tried to create an account with your e-mail address',
  message: (code: string) =>
    [
      'Someone — perhaps you — tried to create a Mental Health Analytics account with this e-mail address.',
      'You already have an account, so no new one was made.',
      `If it was you and you have forgotten your password, set a new one with this code: ${code}`,
      'If it was not you, you need not do anything; your account is unchanged.',
    ].join('\n\n'),
} as const;

export const handler: CustomMessageTriggerHandler = async (event, context) => {
  logger.addContext(context);
  const purpose = event.request.clientMetadata?.purpose;
  if (event.triggerSource === 'CustomMessage_ForgotPassword' && purpose === 'registration_attempt') {
    event.response.emailSubject = REGISTRATION_ATTEMPT.subject;
    event.response.emailMessage = REGISTRATION_ATTEMPT.message(event.request.codeParameter);
    logger.info('registration attempt notice', { triggerSource: event.triggerSource });
  }
  return event;
};
