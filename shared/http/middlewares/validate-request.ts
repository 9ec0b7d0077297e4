import * as z from 'zod/mini';
import type { ErrorDetail } from '#contract/common.ts';
import { validationFailed } from '../errors.ts';
import type { ApiMiddleware } from '../types.ts';
import { issuesToDetails, unparseableDetail } from '../validation.ts';

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
      try {
        const result = z.safeParse(schema, input);
        if (result.success) return result.data;
        details.push(...issuesToDetails(location, result.error.issues, input));
      } catch (error) {
        // zod threw on a value it cannot compare: a 400 naming the field, not a 500.
        details.push(unparseableDetail(location, input, error));
      }
      return undefined;
    };

    api.params = check('params', schemas.params, request.event.pathParameters ?? {});
    api.query = check('query', schemas.query, request.event.queryStringParameters ?? {});
    api.body = check('body', schemas.body, api.body);
    if (details.length > 0) throw validationFailed(details);
  },
});
