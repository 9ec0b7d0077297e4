import { bandOf } from './bands.ts';
import { CBI_BANDS } from './cut-offs.ts';
import type { AnswerProblem, Instrument, InstrumentItem } from './types.ts';

/** CBI subscale names (docs/api.md): the response's `band` is the work-related one. */
export const CBI_SUBSCALES = ['personal', 'work', 'client'] as const;
export type CbiSubscale = (typeof CBI_SUBSCALES)[number];

/** Answers 0–4 map to 0/25/50/75/100. */
const POINTS_PER_STEP = 25;
const MAX = 4;

const items: readonly InstrumentItem[] = [
  { id: 'p1', subscale: 'personal', label: 'Feeling tired' },
  { id: 'p2', subscale: 'personal', label: 'Physically exhausted' },
  { id: 'p3', subscale: 'personal', label: 'Emotionally exhausted' },
  { id: 'p4', subscale: 'personal', label: 'Feeling you cannot take it any more' },
  { id: 'p5', subscale: 'personal', label: 'Feeling worn out' },
  { id: 'p6', subscale: 'personal', label: 'Feeling weak and prone to illness' },
  { id: 'w1', subscale: 'work', label: 'Work is emotionally exhausting' },
  { id: 'w2', subscale: 'work', label: 'Burnt out because of work' },
  { id: 'w3', subscale: 'work', label: 'Work is frustrating' },
  { id: 'w4', subscale: 'work', label: 'Worn out at the end of the working day' },
  { id: 'w5', subscale: 'work', label: 'Exhausted in the morning at the thought of work' },
  { id: 'w6', subscale: 'work', label: 'Every working hour is tiring' },
  {
    id: 'w7',
    subscale: 'work',
    label: 'Enough energy for family and friends during leisure time',
    reverseScored: true,
  },
  { id: 'c1', subscale: 'client', optional: true, label: 'Hard to work with clients' },
  { id: 'c2', subscale: 'client', optional: true, label: 'Working with clients is frustrating' },
  { id: 'c3', subscale: 'client', optional: true, label: 'Working with clients drains your energy' },
  { id: 'c4', subscale: 'client', optional: true, label: 'Giving more than you get back from clients' },
  { id: 'c5', subscale: 'client', optional: true, label: 'Tired of working with clients' },
  { id: 'c6', subscale: 'client', optional: true, label: 'Wondering how long you can go on with clients' },
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
  name: 'Copenhagen Burnout Inventory (CBI)',
  measures: 'burnout: personal, work-related, client-related',
  period: null,
  items,
  scale: {
    min: 0,
    max: MAX,
    anchors: [
      'Never / almost never, or to a very low degree',
      'Seldom, or to a low degree',
      'Sometimes, or somewhat',
      'Often, or to a high degree',
      'Always, or to a very high degree',
    ],
  },
  scoring: {
    method:
      'answers ×25 (the leisure-energy work item (4 − x) × 25); each subscale is the mean of its items; total = work-related; personal and work items required, client items all or none',
    range: { min: 0, max: 100 },
  },
  bands: CBI_BANDS,
  flags: [],
  severityJump: {
    score: { subscale: 'work' },
    increase: 25,
    minimum: 50,
    description: 'vs the previous CBI: work-related score up by 25 points or more to 50 or above',
  },
  licence: {
    note: 'Free to use (Kristensen et al., 2005). Item wording here is our own short labels.',
    commercialUseAllowed: true,
    citation:
      'Kristensen TS, Borritz M, Villadsen E, Christensen KB. The Copenhagen Burnout Inventory. Work & Stress. 2005;19(3):192–207.',
  },
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
