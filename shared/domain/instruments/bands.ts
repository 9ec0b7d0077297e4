import type { BandDefinition } from './types.ts';

/** The band a score falls in (the last band whose `min` it reaches). */
export const bandOf = (bands: readonly BandDefinition[], score: number): string => {
  let found: string | undefined;
  for (const band of bands) if (score >= band.min) found = band.id;
  if (found === undefined) throw new Error('score below the lowest band');
  return found;
};

/** Position of a band in its ascending list (for "up by two bands"). */
export const bandIndex = (bands: readonly BandDefinition[], id: string): number =>
  bands.findIndex((band) => band.id === id);

/** Sum of the listed items' answers. */
export const sumOf = (answers: Readonly<Record<string, number>>, itemIds: readonly string[]): number =>
  itemIds.reduce((total, id) => total + (answers[id] ?? 0), 0);

/** The four-point frequency scale PHQ-9 and GAD-7 share (0 = not at all … 3 = nearly every day). */
export const FREQUENCY_0_3 = { min: 0, max: 3 } as const;
export const FREQUENCY_0_3_ANCHORS = [
  'Not at all',
  'Several days',
  'More than half the days',
  'Nearly every day',
];
