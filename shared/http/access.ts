import type { Decision } from '#domain/access-policy.ts';
import { forbidden, notFound, unauthenticated, type ApiError } from './errors.ts';

/** The API error for a denied access decision (401, 403, or 404 where existence would leak). */
export const deniedError = (decision: Extract<Decision, { allowed: false }>): ApiError =>
  decision.status === 401 ? unauthenticated() : decision.status === 404 ? notFound() : forbidden();
