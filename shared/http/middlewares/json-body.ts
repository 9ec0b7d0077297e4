import { MAX_BODY_BYTES } from '#contract/common.ts';
import { ApiError, validationFailed } from '../errors.ts';
import type { ApiMiddleware } from '../types.ts';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * For routes with a body schema: 415 unless the content type is JSON, 413 over the size limit, 400 for
 * malformed JSON. Runs after header normalization, so the header name is lower-case.
 */
export const jsonBody = (): ApiMiddleware => ({
  before: (request) => {
    const { event } = request;
    const raw = event.body;
    if (raw === null || raw === undefined || raw === '') {
      request.context.api.body = undefined;
      return;
    }
    const size = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
    if (size > MAX_BODY_BYTES) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `The request body must be at most ${MAX_BODY_BYTES} bytes.`);
    }
    const contentType = event.headers?.['content-type'] ?? '';
    if (!JSON_CONTENT_TYPE.test(contentType)) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json.');
    }
    const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    try {
      request.context.api.body = JSON.parse(text);
    } catch {
      throw validationFailed([{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
    }
  },
});
