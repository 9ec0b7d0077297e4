import { confirmRoute } from '#contract/routes/auth.ts';
import { confirmAccount } from '#data/cognito/accounts.ts';
import { validationFailed } from '#http/errors.ts';
import { createHandlerChain } from '#http/handler-chain.ts';
import { noContent } from '#http/responses.ts';

/**
 * Confirms an account with its e-mailed code. A wrong, expired or unknown code is one 400. No table
 * access: the bare handler chain, so the bundle carries no DynamoDB client.
 */
export const handler = createHandlerChain(confirmRoute, async ({ body }) => {
  const outcome = await confirmAccount(body.email, body.code);
  if (outcome.kind === 'invalid_code') {
    throw validationFailed([
      { field: 'body.code', code: 'invalid_code', message: 'is wrong or has expired' },
    ]);
  }
  return noContent();
});
