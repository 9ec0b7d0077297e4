import { storeChatCheckedRoute } from '#contract/routes/analyses.ts';
import { storeAnalysisHandler } from './store-analysis.ts';

/** POST /analyses/chat: the user, or a pipeline naming the user; Idempotency-Key supported. */
export const handler = storeAnalysisHandler(storeChatCheckedRoute, 'chat');
