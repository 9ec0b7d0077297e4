import { getDatabaseHealthRoute } from '#contract/routes/health.ts';
import { probeDatabase } from '#data/database-probe.ts';
import { createApiHandler } from '#http/handler-factory.ts';
import { healthUseCase } from '#http/health-use-case.ts';

export const handler = createApiHandler(getDatabaseHealthRoute, healthUseCase({ database: probeDatabase }));
