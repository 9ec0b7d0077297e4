import { created, createApiHandler } from '#http/handler-factory.ts';
import { probeRoutes } from './probe-routes.ts';

export const handler = createApiHandler(probeRoutes.adminEcho, async ({ params, query, body }) =>
  created({ params, query, body }),
);
