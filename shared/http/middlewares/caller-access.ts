import { ApiError } from '../errors.ts';
import type { ApiMiddleware, CallerAccessCheck } from '../types.ts';

/** The answer to a refused caller: their token no longer opens the API, whatever it is for. */
export const signInEnded = (): ApiError =>
  new ApiError('UNAUTHENTICATED', 'This sign-in is no longer valid; sign in again.');

/**
 * The caller's account and sign-in (shared/data/caller-access.ts): bound to the invocation before the
 * role check, so every DynamoDB call the use case makes carries the check; verified before the answer
 * leaves if none did. An error answer is checked too, so a refused caller learns nothing from it (a
 * 403 or 404 becomes the 401 of a sign-in that has ended).
 */
export const callerAccess = (check: CallerAccessCheck): ApiMiddleware => ({
  before: (request) => {
    const { principal } = request.context.api;
    if (principal.kind !== 'anonymous') check.require(principal);
  },
  after: async () => {
    await check.verify();
  },
  onError: async (request) => {
    const { error } = request;
    if (check.isRefusal(error)) {
      request.error = signInEnded();
      return;
    }
    if (!(error instanceof ApiError) || error.statusCode < 400 || error.statusCode >= 500) return;
    if (error.statusCode === 401) return;
    try {
      await check.verify();
    } catch (failure) {
      // A failure of the check itself (DynamoDB unreachable) leaves the original answer.
      if (check.isRefusal(failure)) request.error = signInEnded();
    }
  },
});
