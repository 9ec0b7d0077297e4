/**
 * Exit codes of the operator CLI: 0 done, 1 the operator's input or environment needs fixing (a clear
 * message, no stack), 2 something unexpected (the message and the stack, to report), 3 a command that
 * writes to a deployed stage printed its plan and wrote nothing (it needs --yes).
 */
export const EXIT = { ok: 0, userError: 1, unexpected: 2, needsConfirmation: 3 } as const;

/** A refusal or a mistake the operator can fix; printed as one message without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const networkCode = (error: unknown): string | undefined => {
  for (let current = error as AwsLikeError | undefined, depth = 0; current && depth < 5; depth++) {
    if (current.code && /^E[A-Z]+$/.test(current.code)) return current.code;
    current = current.cause as AwsLikeError | undefined;
  }
  return undefined;
};

/**
 * Turns the AWS errors an operator can fix (no credentials, no permission, an emulator that is not
 * running) into a CliError; anything else stays unexpected.
 */
export const operatorErrorFrom = (
  error: unknown,
  where: string,
  unreachableHint = 'is it running?',
): CliError | undefined => {
  if (error instanceof CliError) return error;
  const e = (error ?? {}) as AwsLikeError;
  const network = networkCode(error);
  if (network === 'ECONNREFUSED' || network === 'ECONNRESET' || network === 'ENOTFOUND') {
    return new CliError(`Cannot reach ${where} (${network}): ${unreachableHint}`);
  }
  if (e.name === 'CredentialsProviderError') {
    return new CliError('No AWS credentials found: configure a profile (AWS_PROFILE) or AWS_* variables.');
  }
  if (e.message === 'Region is missing' || e.message?.startsWith('Region not accepted')) {
    return new CliError('No valid AWS region configured: set AWS_REGION (or a region in your AWS profile).');
  }
  if (
    e.name === 'AccessDeniedException' ||
    e.name === 'NotAuthorizedException' ||
    e.name === 'UnrecognizedClientException' ||
    e.name === 'ExpiredTokenException'
  ) {
    return new CliError(`${where} refused the request (${e.name}): ${e.message ?? ''}`.trim());
  }
  if (e.name === 'ResourceNotFoundException') {
    return new CliError(`${where}: ${e.message ?? 'not found'} (is it deployed or started as expected?)`);
  }
  return undefined;
};
