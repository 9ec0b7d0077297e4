import { surveyRoutes } from '#contract/routes/surveys.ts';
import { instrumentCatalogue } from '#domain/instruments/index.ts';
import { createApiHandler, ok } from '#http/handler-factory.ts';

const catalogue = instrumentCatalogue();

/** The instrument catalogue (INSTRUMENTS.md): the same for every signed-in user. */
export const handler = createApiHandler(surveyRoutes.instruments, async () => ok(catalogue));
