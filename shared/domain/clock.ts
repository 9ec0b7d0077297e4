import { runtimeEnv } from '#contract/runtime-env.ts';

/** The one clock. Use cases take it as a parameter so rules about time are testable. */
export interface Clock {
  now(): Date;
}

/**
 * The time every handler, job and the stream aggregator run on: the wall clock, shifted only in the
 * local runtime started with `--clock` (CLOCK_OFFSET_MS, refused on any other stage by the runtime
 * environment's validation), so a closed period can be seen and tested locally.
 */
export const systemClock: Clock = { now: () => new Date(Date.now() + runtimeEnv().clockOffsetMs) };
