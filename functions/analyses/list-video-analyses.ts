import { listVideoRoute } from '#contract/routes/analyses.ts';
import { listAnalysesHandler } from './list-analyses.ts';

/** GET /analyses/video/user/{user_id}: the user, or a consented clinician; newest first. */
export const handler = listAnalysesHandler(listVideoRoute, 'video');
