import { refreshRoute } from '#contract/routes/auth.ts';
import { sessionAccess } from '#domain/account-access.ts';
import { refreshTokens } from '#data/cognito/accounts.ts';
import { readAccessRecord } from '#data/caller-access.ts';
import { factsOfIssuedToken } from '#data/cognito/issued-token.ts';
import { ApiError } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/**
 * New tokens for a refresh token; a revoked, expired or foreign one is a 401 — and so is one whose
 * sign-in has ended since (a logout, a global sign-out, a closed account): refreshed tokens keep their
 * sign-in's time and id, and would be refused on their first request anyway.
 */
export const handler = createApiHandler(refreshRoute, async ({ body }) => {
  const outcome = await refreshTokens(body.refreshToken);
  const facts = outcome.kind === 'refreshed' ? factsOfIssuedToken(outcome.tokens.accessToken) : undefined;
  if (
    outcome.kind === 'invalid_token' ||
    !facts ||
    !sessionAccess(await readAccessRecord(facts.sub), facts.session).allowed
  ) {
    throw new ApiError('UNAUTHENTICATED', 'The refresh token is not valid; sign in again.');
  }
  return ok({ tokenType: 'Bearer', ...outcome.tokens });
});
