import { getHealthRoute } from '#contract/routes/health.ts';
import { probeDatabase } from '#data/database-probe.ts';
import { probeIdentity } from '#data/cognito/identity-probe.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { healthUseCase } from '#http/health-use-case.ts';

export const handler = createApiHandler(
  getHealthRoute,
  healthUseCase({ database: probeDatabase, identity: probeIdentity }),
);
