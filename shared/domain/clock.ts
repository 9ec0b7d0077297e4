/** The one clock. Use cases take it as a parameter so rules about time are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
