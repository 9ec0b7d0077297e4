import type * as z from 'zod/mini';
import type { ErrorDetail } from '#contract/common.ts';
import { validationFailed } from '../errors.ts';
import type { ApiMiddleware } from '../types.ts';
import { parseInto } from '../validation.ts';

/**
 * Validates path parameters, query string and body against the route's zod schemas and reports every
 * failing field at once. Routes without a schema for a part get an empty object (params/query).
 */
export const validateRequest = (): ApiMiddleware => ({
  before: (request) => {
    const { api } = request.context;
    const schemas = api.route.request;
    const details: ErrorDetail[] = [];

    const check = (
      location: 'params' | 'query' | 'body',
      schema: z.ZodMiniType | undefined,
      input: unknown,
    ) => {
      if (!schema) return location === 'body' ? undefined : {};
      return parseInto(details, location, schema, input);
    };

    api.params = check('params', schemas.params, request.event.pathParameters ?? {});
    api.query = check('query', schemas.query, request.event.queryStringParameters ?? {});
    api.body = check('body', schemas.body, api.body);
    if (details.length > 0) throw validationFailed(details);
  },
});
