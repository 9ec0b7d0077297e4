/**
 * The analysis time window as a setting (stage config `analysisTimeWindow`, runtime variable
 * ANALYSIS_TIME_WINDOW): its shape, its default and the bounds a stage may choose within. What the
 * window means — which `analyzedAt` is accepted, when a month is closed — is domain logic
 * (shared/domain/reporting-window.ts).
 */
export interface AnalysisTimeWindow {
  /** How far in the past `analyzedAt` may lie, in hours. */
  readonly pastHours: number;
  /** How far in the future (clock skew of the pipeline), in minutes. */
  readonly futureMinutes: number;
}

export const DEFAULT_ANALYSIS_TIME_WINDOW: AnalysisTimeWindow = { pastHours: 48, futureMinutes: 5 };

/**
 * What a stage may configure: never unbounded. A week back is the most a pipeline may need (a batch
 * re-run after a long weekend); an hour ahead the most clock skew worth tolerating.
 */
export const ANALYSIS_TIME_WINDOW_BOUNDS = {
  pastHours: { min: 1, max: 168 },
  futureMinutes: { min: 0, max: 60 },
} as const;
