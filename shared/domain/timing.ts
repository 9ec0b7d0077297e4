/**
 * Answers that must not tell two cases apart by their timing (a registration for a new address and for
 * one that already has an account): the quicker case waits until the usual duration of the slower one,
 * measured in this process over its last answers (the median, so one slow call does not set it).
 * Before any measurement the given typical duration stands in.
 */
export interface TimingClass {
  /** Records how long the slow case took. */
  record(ms: number): void;
  /** How much longer an answer that took `elapsedMs` should wait. */
  padFor(elapsedMs: number): number;
}

export const createTimingClass = (typicalMs: number, window = 25): TimingClass => {
  const samples: number[] = [];
  const usual = (): number => {
    if (samples.length === 0) return typicalMs;
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return {
    record: (ms) => {
      samples.push(ms);
      if (samples.length > window) samples.shift();
    },
    padFor: (elapsedMs) => Math.max(0, Math.round(usual() - elapsedMs)),
  };
};
