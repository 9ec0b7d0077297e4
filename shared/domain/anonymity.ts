/**
 * Anonymity rules for aggregates (PRIVACY.md): a department or organisation cell is shown only when at
 * least k distinct users contributed in the period (k = 5 for activity, sentiment and emotions; k = 10
 * for clinical scales), and never so that a hidden cell can be recovered by subtraction from the
 * organisation total. Suppressed cells carry no numbers, not even the count.
 */
export const MIN_K = 5;

export interface Thresholds {
  /** Activity counts, sentiment and emotion distributions. */
  kActivity: number;
  /** Clinical scales: PHQ-9, GAD-7, burnout. */
  kClinical: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { kActivity: 5, kClinical: 10 };

/** A stage can raise the thresholds but never lower them below 5. */
export const effectiveThresholds = (configured: Partial<Thresholds>): Thresholds => ({
  kActivity: Math.max(MIN_K, configured.kActivity ?? DEFAULT_THRESHOLDS.kActivity),
  kClinical: Math.max(MIN_K, configured.kClinical ?? DEFAULT_THRESHOLDS.kClinical),
});

export interface Cell {
  id: string;
  /** Distinct users who contributed in the period. */
  contributors: number;
}

/**
 * Which sibling cells to suppress at threshold k, with complementary suppression: every cell under k,
 * and — when exactly one sibling is suppressed and the organisation total is shown — the next-smallest
 * visible sibling too, so the hidden one cannot be recovered as total minus the others. Returns the
 * ids to suppress.
 */
export const cellsToSuppress = (siblings: readonly Cell[], k: number, totalShown: boolean): Set<string> => {
  const suppressed = new Set(siblings.filter((cell) => cell.contributors < k).map((cell) => cell.id));
  if (totalShown && suppressed.size === 1) {
    const nextSmallest = siblings
      .filter((cell) => !suppressed.has(cell.id))
      .sort((a, b) => a.contributors - b.contributors || a.id.localeCompare(b.id))[0];
    if (nextSmallest) suppressed.add(nextSmallest.id);
  }
  return suppressed;
};

/** The organisation cell is itself a cell: shown only with at least k contributors. */
export const totalVisible = (totalContributors: number, k: number): boolean => totalContributors >= k;
