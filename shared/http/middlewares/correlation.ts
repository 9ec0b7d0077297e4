import { logger } from '#observability/powertools.ts';
import type { ApiMiddleware } from '../types.ts';

const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Sets the request and correlation ids for this invocation and puts them (with the Lambda context) on
 * every log line. A caller's `x-correlation-id` is honoured when it is a plain token, so a trace can
 * cross services; otherwise the API Gateway request id is the correlation id.
 */
export const correlation = (): ApiMiddleware => ({
  before: (request) => {
    const event = request.event;
    const requestId = event.requestContext?.requestId ?? request.context.awsRequestId;
    // Runs before header normalization, and REST APIs pass header names in the client's own case.
    const offered = Object.entries(event.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'x-correlation-id',
    )?.[1];
    const correlationId = offered && SAFE_CORRELATION_ID.test(offered) ? offered : requestId;
    request.context.api.requestId = requestId;
    request.context.api.correlationId = correlationId;
    logger.addContext(request.context);
    logger.appendKeys({ requestId, correlationId, route: request.context.api.route.id });
  },
  after: () => logger.resetKeys(),
  onError: () => logger.resetKeys(),
});
