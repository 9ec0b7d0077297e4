import type { BandDefinition } from './types.ts';

/**
 * Position of the band a score falls in, in its ascending list (the last band whose `min` it reaches):
 * what "up by two bands" counts.
 */
export const bandPosition = (bands: readonly BandDefinition[], score: number): number => {
  const position = bands.findLastIndex((band) => score >= band.min);
  if (position < 0) throw new Error('score below the lowest band');
  return position;
};

/** The band a score falls in (the last band whose `min` it reaches). */
export const bandOf = (bands: readonly BandDefinition[], score: number): string =>
  bands[bandPosition(bands, score)]!.id;

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
