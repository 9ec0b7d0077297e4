import { dropIfUnused } from '#contract/lazy.ts';
import type { Instrument, InstrumentText } from './types.ts';

/** At most this many answers in a custom (seed-style) response. */
export const CUSTOM_MAX_ANSWERS = 100;

/**
 * `custom`: the seed's free-form survey response. Any item ids, numbers or short strings, stored as
 * given, never clinically scored (no total, band or flags) and never a risk signal.
 */
export const custom: Instrument = {
  id: 'custom',
  version: '1',
  items: [],
  scale: null,
  bands: [],
  score: () => ({ scores: { total: null }, band: null, flags: [] }),
};

export const customText: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'Custom survey (unscored)',
  measures: 'whatever the organisation asks; not a validated instrument',
  period: null,
  labels: {},
  anchors: null,
  scoring: { method: 'none: answers are stored as given', range: null },
  flags: [],
  licence: { note: 'Your own questions.', commercialUseAllowed: true, citation: '' },
}));
