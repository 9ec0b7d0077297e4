import { updateConsentsRoute } from '#contract/routes/privacy.ts';
import { systemClock } from '#domain/clock.ts';
import { ConsentConflictError, updateConsents } from '#data/consent-repository.ts';
import { conflict, unauthenticated } from '#http/errors.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

/**
 * Grants or revokes consents. Each changed purpose gets a new version, a history entry and an audit
 * record in one transaction; concurrent changes are applied one after the other (409 only if they
 * keep colliding). Effective on the next request: consent reads are strongly consistent. The
 * transaction also checks that the account is active (and, with it, the caller's sign-in): no consent
 * is granted by a closed account.
 */
export const handler = createApiHandler(updateConsentsRoute, async (request) => {
  const { principal } = request;
  if (principal.kind !== 'user') throw unauthenticated();
  try {
    return ok(await updateConsents(principal.sub, request.body, request, systemClock));
  } catch (error) {
    if (error instanceof ConsentConflictError)
      throw conflict('Your consents changed concurrently; try again.');
    throw error;
  }
});
