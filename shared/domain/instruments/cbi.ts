import { dropIfUnused } from '#contract/lazy.ts';
import { bandOf } from './bands.ts';
import { CBI_BANDS } from './cut-offs.ts';
import type { AnswerProblem, Instrument, InstrumentItem, InstrumentText } from './types.ts';

/** CBI subscale names (docs/api.md): the response's `band` is the work-related one. */
export const CBI_SUBSCALES = ['personal', 'work', 'client'] as const;
export type CbiSubscale = (typeof CBI_SUBSCALES)[number];

/** Answers 0–4 map to 0/25/50/75/100. */
const POINTS_PER_STEP = 25;
const MAX = 4;

const items: readonly InstrumentItem[] = [
  ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({ id, subscale: 'personal' })),
  ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map((id) => ({ id, subscale: 'work' })),
  { id: 'w7', subscale: 'work', reverseScored: true },
  ...['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => ({ id, subscale: 'client', optional: true as const })),
];

const itemsOf = (subscale: CbiSubscale) => items.filter((item) => item.subscale === subscale);

const pointsOf = (item: InstrumentItem, value: number): number =>
  (item.reverseScored ? MAX - value : value) * POINTS_PER_STEP;

/** Two decimals: enough for a mean of 6–7 items on 0–100, and stable when a response is re-scored. */
const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Copenhagen Burnout Inventory (Kristensen et al., 2005): personal (6 items), work-related (7) and
 * client-related (6) burnout. Answers 0–4 (never / to a very low degree … always / to a very high
 * degree) score ×25; the work item about energy for family and friends is reverse-scored (4 − x) × 25.
 * Each subscale is the mean of its items (0–100), banded by the common convention.
 *
 * Completeness (our decision): every personal and work item is required, because a mean of fewer items
 * is a different, less reliable number and re-scoring must be unambiguous. The client-related block
 * only applies to people who work with clients: it is answered all six or not at all (then there is no
 * `client` subscale). `total` is the work-related score, the headline the response's `band` describes.
 */
export const cbi: Instrument = {
  id: 'cbi',
  version: '1',
  items,
  scale: { min: 0, max: MAX },
  bands: CBI_BANDS,
  severityJump: { score: { subscale: 'work' }, increase: 25, minimum: 50 },
  checkAnswers: (answers): AnswerProblem[] => {
    const client = itemsOf('client');
    const answered = client.filter((item) => answers[item.id] !== undefined);
    if (answered.length === 0 || answered.length === client.length) return [];
    return client
      .filter((item) => answers[item.id] === undefined)
      .map((item) => ({
        field: `body.answers.${item.id}`,
        code: 'missing',
        message: 'the client-related items are answered all or none',
      }));
  },
  score: (answers) => {
    const subscales: Record<string, number> = {};
    const subscaleBands: Record<string, string> = {};
    for (const name of CBI_SUBSCALES) {
      const scored = itemsOf(name).filter((item) => answers[item.id] !== undefined);
      if (scored.length === 0) continue;
      const mean =
        scored.reduce((sum, item) => sum + pointsOf(item, answers[item.id] ?? 0), 0) / scored.length;
      subscales[name] = round2(mean);
      subscaleBands[name] = bandOf(CBI_BANDS, mean);
    }
    const work = subscales.work ?? 0;
    return {
      scores: { total: work, subscales },
      band: subscaleBands.work ?? bandOf(CBI_BANDS, work),
      flags: [],
      subscaleBands,
    };
  },
};

export const cbiText: InstrumentText = /* @__PURE__ */ dropIfUnused(() => ({
  name: 'Copenhagen Burnout Inventory (CBI)',
  measures: 'burnout: personal, work-related, client-related',
  period: null,
  labels: {
    p1: 'Feeling tired',
    p2: 'Physically exhausted',
    p3: 'Emotionally exhausted',
    p4: 'Feeling you cannot take it any more',
    p5: 'Feeling worn out',
    p6: 'Feeling weak and prone to illness',
    w1: 'Work is emotionally exhausting',
    w2: 'Burnt out because of work',
    w3: 'Work is frustrating',
    w4: 'Worn out at the end of the working day',
    w5: 'Exhausted in the morning at the thought of work',
    w6: 'Every working hour is tiring',
    w7: 'Enough energy for family and friends during leisure time',
    c1: 'Hard to work with clients',
    c2: 'Working with clients is frustrating',
    c3: 'Working with clients drains your energy',
    c4: 'Giving more than you get back from clients',
    c5: 'Tired of working with clients',
    c6: 'Wondering how long you can go on with clients',
  },
  anchors: [
    'Never / almost never, or to a very low degree',
    'Seldom, or to a low degree',
    'Sometimes, or somewhat',
    'Often, or to a high degree',
    'Always, or to a very high degree',
  ],
  scoring: {
    method:
      'answers ×25 (the leisure-energy work item (4 − x) × 25); each subscale is the mean of its items; total = work-related; personal and work items required, client items all or none',
    range: { min: 0, max: 100 },
  },
  flags: [],
  severityJump: 'vs the previous CBI: work-related score up by 25 points or more to 50 or above',
  licence: {
    note: 'Free to use (Kristensen et al., 2005). Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation:
      'Kristensen TS, Borritz M, Villadsen E, Christensen KB. The Copenhagen Burnout Inventory. Work & Stress. 2005;19(3):192–207.',
  },
}));
