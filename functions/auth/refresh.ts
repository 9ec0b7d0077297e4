import { authRoutes } from '#contract/routes/auth.ts';
import { refreshTokens } from '#data/accounts.ts';
import { accountActive } from '#data/account-status.ts';
import { ApiError } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/** New tokens for a refresh token; a revoked, expired or foreign one is a 401. */
export const handler = createApiHandler(authRoutes.refresh, async ({ body }) => {
  const outcome = await refreshTokens(body.refreshToken);
  if (outcome.kind === 'invalid_token' || !(await accountActive(outcome.tokens.accessToken))) {
    throw new ApiError('UNAUTHENTICATED', 'The refresh token is not valid; sign in again.');
  }
  return ok({ tokenType: 'Bearer', ...outcome.tokens });
});
