import {
  AccountClosedError,
  SessionContentionError,
  SessionEndedError,
  SessionNotFoundError,
} from '#data/emo-buddy-repository.ts';
import { ApiError, conflict, notFound } from '#http/errors.ts';

/** The repository's outcomes as API errors; anything else is rethrown unchanged. */
export const sessionApiError = (error: unknown): unknown => {
  if (error instanceof SessionNotFoundError) return notFound('The session');
  if (error instanceof SessionEndedError) return conflict('The session has ended.');
  if (error instanceof AccountClosedError) {
    return error.state === 'missing'
      ? notFound('Your profile')
      : conflict('Your account is closed; it accepts no new data.');
  }
  if (error instanceof SessionContentionError) {
    return new ApiError('CONFLICT', 'The session changed concurrently; retry.', {
      headers: { 'Retry-After': '1' },
    });
  }
  return error;
};
