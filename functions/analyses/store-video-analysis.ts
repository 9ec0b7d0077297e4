import { storeVideoCheckedRoute } from '#contract/routes/analyses.ts';
import { storeAnalysisHandler } from './store-analysis.ts';

/** POST /analyses/video: the user, or a pipeline naming the user; Idempotency-Key supported. */
export const handler = storeAnalysisHandler(storeVideoCheckedRoute, 'video');
