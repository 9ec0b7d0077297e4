import type { Scenario } from './scenario-kit.ts';

/** Expectations for the analyses and EmoBuddy routes. */
export const WELLBEING_SCENARIOS: Record<string, Scenario> = {};
