import { EMOTION_LABELS } from '#contract/analysis.ts';
import { decideSuppression, type SuppressionCell, type Thresholds } from './anonymity.ts';
import * as counter from './rollup-counters.ts';
import { bandsOf, SCORED_INSTRUMENTS, SENTIMENT_LABELS, type Counters } from './rollups.ts';
import { statisticById, valueOf } from './statistics.ts';

/**
 * The dashboard overview of one closed month from its rollups (docs/anonymity.md), pure:
 *
 * - Which statistics of which cell are shown is decided by shared/domain/anonymity.ts on every cell of
 *   the month — the organisation, every department, the users without a department — the same way for
 *   every viewer; a manager then gets their departments out of that one answer, an admin everything.
 * - The decision is taken on the numbers as they were when the month closed: a cell changed since (a
 *   withdrawal, a late record) is `revised` and keeps its at-close numbers for this (`asClosed`), so the
 *   decision never moves; a revised cell is withheld whole. Two reads around a withdrawal therefore
 *   differ only in cells that are withheld after it.
 * - A withheld number is `null`; a cell with nothing shown is `{ suppressed: true }` with no numbers.
 * - Shares, means and the trend versus the previous month are computed from shown numbers only.
 */
export interface MonthCell {
  readonly counters: Counters | undefined;
  /** Changed after the month closed: withheld whole. */
  readonly revised: boolean;
  /** The counters at the close, for a revised cell. */
  readonly asClosed: Counters | undefined;
}

export interface MonthInput {
  readonly organisation: MonthCell | undefined;
  readonly departments: readonly {
    readonly id: string;
    readonly name: string;
    readonly cell: MonthCell | undefined;
  }[];
  /** Users without a department: a sibling that is never shown. */
  readonly unassigned: MonthCell | undefined;
}

const ORGANISATION = '\u0000organisation';
const UNASSIGNED = '\u0000unassigned';

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** What is shown of a month: per cell, whether a statistic is shown, and the cell's current counters. */
interface Published {
  readonly shown: (cellId: string, statisticId: string) => boolean;
  readonly counters: (cellId: string) => Counters | undefined;
}

export const publishedMonth = (
  month: MonthInput,
  thresholds: Thresholds,
): Published & { auditRounds: number } => {
  const entries: [string, SuppressionCell['role'], MonthCell | undefined][] = [
    [ORGANISATION, 'organisation', month.organisation],
    [UNASSIGNED, 'unassigned', month.unassigned],
    ...month.departments.map((d): [string, SuppressionCell['role'], MonthCell | undefined] => [
      d.id,
      'department',
      d.cell,
    ]),
  ];
  const cells = new Map(entries.map(([id, , cell]) => [id, cell]));
  const suppression = decideSuppression({
    thresholds,
    cells: entries.map(([id, role, cell]) => ({
      id,
      role,
      counters: cell?.revised ? cell.asClosed : cell?.counters,
    })),
  });
  return {
    shown: (cellId, statisticId) => !cells.get(cellId)?.revised && suppression.shown(cellId, statisticId),
    counters: (cellId) => cells.get(cellId)?.counters,
    auditRounds: suppression.auditRounds,
  };
};

/** One value of a statistic, or null when the statistic is withheld. */
const numberOf = (published: Published, cellId: string, statisticId: string, valueId?: string) => {
  if (!published.shown(cellId, statisticId)) return null;
  const statistic = statisticById.get(statisticId)!;
  const value = valueId ? statistic.values.find((v) => v.id === valueId)! : statistic.values[0]!;
  return value.read(published.counters(cellId));
};

const shareOf = (count: number | null, total: number | null): number | null =>
  count === null || total === null || total === 0 ? null : round(count / total, 4);

const cellBody = (published: Published, cellId: string, organisation: boolean) => {
  const counters = published.counters(cellId);
  const analyses = numberOf(published, cellId, 'analyses');
  const counts = Object.fromEntries(
    SENTIMENT_LABELS.map((label) => [label, numberOf(published, cellId, `sentiment.${label}`)]),
  ) as Record<(typeof SENTIMENT_LABELS)[number], number | null>;
  return {
    contributors: numberOf(published, cellId, 'contributors'),
    analyses,
    sentiment: {
      counts,
      shares: Object.fromEntries(
        SENTIMENT_LABELS.map((label) => [label, shareOf(counts[label], analyses)]),
      ) as Record<(typeof SENTIMENT_LABELS)[number], number | null>,
    },
    emotions: Object.fromEntries(
      EMOTION_LABELS.map((label) => {
        const shown = published.shown(cellId, `emotion.${label}`);
        const count = valueOf(counters, counter.emotionCount(label));
        return [
          label,
          {
            analyses: shown ? count : null,
            meanProbability:
              shown && count > 0
                ? round(valueOf(counters, counter.emotionMicros(label)) / count / 1e6, 4)
                : null,
          },
        ];
      }),
    ),
    emoBuddySessions: numberOf(published, cellId, 'emoBuddy.sessions'),
    instruments: Object.fromEntries(
      SCORED_INSTRUMENTS.map((id) => {
        const shown = published.shown(cellId, `instrument.${id}`);
        const scored = valueOf(counters, counter.scored(id));
        return [
          id,
          {
            responses: shown ? valueOf(counters, counter.surveys(id)) : null,
            meanScore:
              shown && scored > 0
                ? round(valueOf(counters, counter.scoreMilli(id)) / scored / 1000, 2)
                : null,
            // Band counts are published organisation-wide only (shared/domain/statistics.ts).
            ...(organisation
              ? {
                  bands: Object.fromEntries(
                    bandsOf(id).map((band) => [band, numberOf(published, cellId, `band.${id}.${band}`)]),
                  ),
                }
              : {}),
          },
        ];
      }),
    ),
  };
};

type CellBody = ReturnType<typeof cellBody>;

const difference = (now: number | null, before: number | null, digits: number): number | null =>
  now === null || before === null ? null : round(now - before, digits);

const trendOf = (now: CellBody, before: CellBody | undefined, previousPeriod: string) =>
  before
    ? {
        previousPeriod,
        contributors: difference(now.contributors, before.contributors, 0),
        analyses: difference(now.analyses, before.analyses, 0),
        negativeSentimentShare: difference(
          now.sentiment.shares.negative,
          before.sentiment.shares.negative,
          4,
        ),
        meanScores: Object.fromEntries(
          SCORED_INSTRUMENTS.map((id) => [
            id,
            difference(now.instruments[id]?.meanScore ?? null, before.instruments[id]?.meanScore ?? null, 2),
          ]),
        ),
      }
    : null;

/** Whether anything of a cell is shown. */
const anyShown = (published: Published, cellId: string): boolean =>
  [...statisticById.keys()].some((id) => published.shown(cellId, id));

export interface OverviewOptions {
  readonly thresholds: Thresholds;
  readonly period: string;
  readonly previousPeriod: string;
  /** Admins see the organisation cell; managers do not. */
  readonly includeOrganisation: boolean;
  /** The departments the viewer may see, in display order. */
  readonly departmentIds: readonly string[];
}

/** The overview's answer for a closed month and the month before it. */
export const buildOverview = (current: MonthInput, previous: MonthInput, options: OverviewOptions) => {
  const now = publishedMonth(current, options.thresholds);
  const before = publishedMonth(previous, options.thresholds);
  const bodyOf = (published: Published, cellId: string, organisation: boolean) =>
    anyShown(published, cellId) ? cellBody(published, cellId, organisation) : undefined;
  const cellOf = (cellId: string, organisation: boolean) => {
    const body = bodyOf(now, cellId, organisation);
    if (!body) return undefined;
    return {
      suppressed: false as const,
      ...body,
      trend: trendOf(body, bodyOf(before, cellId, organisation), options.previousPeriod),
    };
  };
  const names = new Map(current.departments.map((d) => [d.id, d.name]));
  const departments = options.departmentIds.flatMap((id) => {
    const name = names.get(id);
    if (name === undefined) return [];
    const cell = cellOf(id, false);
    return [
      cell ? { departmentId: id, name, ...cell } : { departmentId: id, name, suppressed: true as const },
    ];
  });
  return {
    period: options.period,
    organisation: options.includeOrganisation
      ? (cellOf(ORGANISATION, true) ?? { suppressed: true as const })
      : null,
    departments,
  };
};
