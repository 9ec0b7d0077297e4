import { createApiHandler, ok } from '#http/handler-factory.ts';
import { probeRoutes } from './probe-routes.ts';

// Serves both probe routes that just echo the principal; the route is picked by the event's resource.
const whoami = createApiHandler(probeRoutes.whoami, async ({ principal }) => ok({ principal }));
const machineOnly = createApiHandler(probeRoutes.machineOnly, async ({ principal }) => ok({ principal }));

export const handler: typeof whoami = (event, context) =>
  event.resource === probeRoutes.machineOnly.path ? machineOnly(event, context) : whoami(event, context);
