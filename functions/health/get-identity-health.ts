import { getIdentityHealthRoute } from '#contract/routes/health.ts';
import { probeIdentity } from '#data/cognito/identity-probe.ts';
import { createHandlerChain } from '#http/handler-chain.ts';
import { healthUseCase } from '#http/health-use-case.ts';

export const handler = createHandlerChain(getIdentityHealthRoute, healthUseCase({ identity: probeIdentity }));
