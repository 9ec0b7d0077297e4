import { healthRoutes } from '#contract/routes/health.ts';
import { probeIdentity } from '#data/identity-probe.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { healthUseCase } from '#http/health-use-case.ts';

export const handler = createApiHandler(
  healthRoutes.getIdentityHealth,
  healthUseCase({ identity: probeIdentity }),
);
