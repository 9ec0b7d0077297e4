import { instrumentsRoute } from '#contract/routes/surveys.ts';
import { instrumentCatalogue } from '#domain/instruments/index.ts';
import { createHandlerChain } from '#http/handler-chain.ts';
import { ok } from '#http/responses.ts';

const catalogue = instrumentCatalogue();

/**
 * The instrument catalogue (docs/instruments.md): the same for every signed-in user. No table access: the
 * bare handler chain, so the bundle carries no DynamoDB client.
 */
export const handler = createHandlerChain(instrumentsRoute, async () => ok(catalogue));
