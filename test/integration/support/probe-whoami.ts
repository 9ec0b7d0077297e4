import { createApiHandler, ok } from '#http/handler-factory.ts';
import { probeRoutes } from './probe-routes.ts';

export const handler = createApiHandler(probeRoutes.whoami, async ({ principal }) => ok({ principal }));
