/**
 * The data layer's waits between retries, in one place: one policy for batch calls that left items
 * unprocessed (the table is over its throughput: back off exponentially) and one for transactions and
 * conditional writes that lost a race (another writer got there first: a short random pause spreads the
 * next tries apart).
 */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls per batch chunk before giving up: the first and seven retries, at most about 2.3 s of waiting. */
export const BATCH_MAX_ATTEMPTS = 8;

/**
 * The wait before batch retry `attempt` (1, 2, …): 20, 40, 80 … ms doubling up to 1 s, each between half
 * and all of it (jitter, so throttled writers do not retry in step).
 */
export const batchRetryDelayMs = (attempt: number, random: () => number = Math.random): number =>
  Math.min(1_000, 10 * 2 ** attempt) * (0.5 + random() / 2);

/** Waits before batch retry `attempt` (nothing before the first call). */
export const batchBackoff = (attempt: number): Promise<void> =>
  attempt > 0 ? sleep(batchRetryDelayMs(attempt)) : Promise.resolve();

/**
 * Waits before retry `attempt` of a write that lost a race (nothing before the first try): a random
 * 0–20 ms per attempt so far.
 */
export const conflictBackoff = (attempt: number): Promise<void> =>
  attempt > 0 ? sleep(Math.random() * 20 * attempt) : Promise.resolve();
