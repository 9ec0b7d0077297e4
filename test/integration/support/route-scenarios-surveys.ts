import type { Scenario } from './scenario-kit.ts';

/** Expectations for the survey and alert routes. */
export const SURVEY_SCENARIOS: Record<string, Scenario> = {};
