import { storeSpeechCheckedRoute } from '#contract/routes/analyses.ts';
import { storeAnalysisHandler } from './store-analysis.ts';

/** POST /analyses/speech: the user, or a pipeline naming the user; Idempotency-Key supported. */
export const handler = storeAnalysisHandler(storeSpeechCheckedRoute, 'speech');
