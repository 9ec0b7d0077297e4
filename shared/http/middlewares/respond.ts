import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger, metrics } from '#observability/powertools.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { mapError } from '../error-mapper.ts';
import { ApiError } from '../errors.ts';
import type { ApiMiddleware, ApiResult } from '../types.ts';

const isApiResult = (value: unknown): value is ApiResult =>
  typeof value === 'object' && value !== null && typeof (value as ApiResult).statusCode === 'number';

/** Serializes the use case's result, and maps any error to the envelope (the one error mapper). */
export const respond = (): ApiMiddleware => ({
  after: (request) => {
    const result: unknown = request.response;
    if (!isApiResult(result)) {
      throw new Error('Use case returned no ApiResult');
    }
    const { correlationId } = request.context.api;
    const contentType = result.contentType ?? 'application/json';
    const body =
      result.body === undefined
        ? ''
        : contentType === 'application/json' && !result.serialized
          ? JSON.stringify(result.body)
          : String(result.body);
    const response: APIGatewayProxyResult = {
      statusCode: result.statusCode,
      headers: {
        ...(body ? { 'Content-Type': contentType } : {}),
        'X-Correlation-Id': correlationId,
        ...result.headers,
      },
      body,
    };
    request.response = response;
  },
  onError: (request) => {
    const { api } = request.context;
    const requestId = api.requestId || request.context.awsRequestId;
    const error = request.error;
    const mapped = mapError(error, requestId);
    if (mapped.statusCode >= 500) {
      // Error name and message only: messages from the SDK carry no request data.
      logger.error('request failed', { status: mapped.statusCode, error });
      metrics.addMetric(
        mapped.statusCode === 503 ? 'DependencyUnavailable' : 'InternalError',
        MetricUnit.Count,
        1,
      );
    } else if (error instanceof ApiError) {
      logger.info('request rejected', { status: mapped.statusCode, code: error.code });
    }
    request.response = {
      statusCode: mapped.statusCode,
      headers: { ...mapped.headers, 'X-Correlation-Id': api.correlationId || requestId },
      body: mapped.body,
    };
  },
});
