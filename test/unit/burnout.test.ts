import { describe, expect, it } from 'vitest';
import { BURNOUT_WEIGHTS, burnoutRisk, riskLevelOf, type BurnoutRiskInputs } from '#domain/burnout-risk.ts';
import fc from 'fast-check';
import {
  burnoutTrend,
  leastSquaresSlope,
  MAX_SLOPE_PER_30_DAYS,
  MIN_RESPONSES_FOR_SLOPE,
  MIN_SPAN_DAYS_FOR_SLOPE,
  slopePer30Days,
  type BurnoutObservation,
} from '#domain/burnout-trend.ts';
import { addCounters, contributionOf, type Counters } from '#domain/rollups.ts';
import { chatNegativeShare, voiceVideoDistressShare } from '#domain/rollups-view.ts';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-01-01T09:00:00.000Z');
const at = (day: number) => new Date(T0 + day * DAY_MS).toISOString();
const series = (points: [day: number, work: number, personal: number][]): BurnoutObservation[] =>
  points.map(([day, work, personal], i) => ({ responseId: `r${i}`, at: at(day), work, personal }));

describe('burnout trend', () => {
  it('six CBI responses 30 days apart rising 5 points each → +5 per 30 days', () => {
    const trend = burnoutTrend(
      series([
        [0, 25, 50],
        [30, 30, 50],
        [60, 35, 50],
        [90, 40, 50],
        [120, 45, 50],
        [150, 50, 50],
      ]),
    );
    expect(trend.slopePer30Days).toEqual({ work: 5, personal: 0 });
    expect(trend.latest).toEqual({ at: at(150), work: 50, personal: 50, band: 'moderate' });
    expect(trend.change).toEqual({ work: 5, flagged: false });
  });

  it('six uneven responses → the least-squares slope computed by hand', () => {
    // x (days) = 0, 10, 20, 40, 50, 60 → mean 30; y (work) = 20, 30, 25, 45, 50, 70 → mean 40.
    // Σ(x−x̄)(y−ȳ) = (−30)(−20) + (−20)(−10) + (−10)(−15) + (10)(5) + (20)(10) + (30)(30)
    //             = 600 + 200 + 150 + 50 + 200 + 900 = 2100
    // Σ(x−x̄)² = 900 + 400 + 100 + 100 + 400 + 900 = 2800
    // slope = 0.75 points/day = 22.5 points per 30 days.
    const trend = burnoutTrend(
      series([
        [0, 20, 40],
        [10, 30, 40],
        [20, 25, 40],
        [40, 45, 40],
        [50, 50, 40],
        [60, 70, 30],
      ]),
    );
    expect(trend.slopePer30Days.work).toBe(22.5);
    expect(trend.latest?.band).toBe('moderate'); // 50 ≤ 70 < 75
    // 70 − 50 = +20 ≥ 10: flagged
    expect(trend.change).toEqual({ work: 20, flagged: true });
    // Personal: flat 40 then 30 at x = 60: Σ(x−x̄)(y−ȳ) = 30 · (30 − 38.33) + the rest… by formula:
    // y − ȳ = 1.667 ×5, −8.333; Σ = 1.667·(−30 −20 −10 +10 +20) + (−8.333)(30) = −50 − 250 = −300 → −300/2800 per day.
    expect(trend.slopePer30Days.personal).toBeCloseTo((-300 / 2800) * 30, 2);
  });

  it('flags a fall of 10 points as a change too, and has no slope with one response', () => {
    expect(
      burnoutTrend(
        series([
          [0, 60, 50],
          [7, 50, 50],
        ]),
      ).change,
    ).toEqual({ work: -10, flagged: true });
    expect(
      burnoutTrend(
        series([
          [0, 60, 50],
          [7, 51, 50],
        ]),
      ).change,
    ).toEqual({ work: -9, flagged: false });
    const single = burnoutTrend(series([[0, 60, 50]]));
    expect(single.slopePer30Days).toEqual({ work: null, personal: null });
    expect(single.change).toEqual({ work: null, flagged: false });
    expect(burnoutTrend([])).toMatchObject({ latest: null });
  });

  it('has no slope when no time elapsed between responses', () => {
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 5 },
      ]),
    ).toBeNull();
  });

  it('three responses seconds apart (the issue: 148,880,145 points per 30 days) → no slope, with the reason', () => {
    const burst = [0, 3, 7].map((seconds, i) => ({
      responseId: `r${i}`,
      at: new Date(T0 + seconds * 1000).toISOString(),
      work: [25, 75, 50][i]!,
      personal: [50, 25, 75][i]!,
    }));
    const trend = burnoutTrend(burst);
    expect(trend.slopePer30Days).toEqual({ work: null, personal: null });
    expect(trend.slopeBasis).toMatchObject({ status: 'insufficient_data', responses: 3, spanDays: 0 });
    expect(trend.slopeBasis.reason).toMatch(/at least 3 responses spanning at least 14 days/);
    // The latest band and the change are still there: they need no time span.
    expect(trend.change).toEqual({ work: -25, flagged: true });
  });

  it('needs 3 responses and 14 days: the boundaries', () => {
    const day14 = series([
      [0, 25, 50],
      [7, 30, 50],
      [14, 35, 50],
    ]);
    expect(burnoutTrend(day14).slopeBasis).toEqual({
      status: 'ok',
      responses: 3,
      spanDays: 14,
      reason: null,
    });
    expect(burnoutTrend(day14).slopePer30Days.work).toBe(21.43); // 10 points in 14 days
    // One second short of 14 days: no slope.
    const short = day14.map((o, i) =>
      i === 2 ? { ...o, at: new Date(T0 + 14 * DAY_MS - 1000).toISOString() } : o,
    );
    expect(burnoutTrend(short).slopeBasis.status).toBe('insufficient_data');
    expect(burnoutTrend(short).slopePer30Days).toEqual({ work: null, personal: null });
    // Two responses, however far apart: no slope (the change says what moved).
    const two = series([
      [0, 25, 50],
      [60, 50, 50],
    ]);
    expect(burnoutTrend(two).slopeBasis).toMatchObject({
      status: 'insufficient_data',
      responses: 2,
      spanDays: 60,
    });
    expect(burnoutTrend(two).slopePer30Days).toEqual({ work: null, personal: null });
    expect(MIN_RESPONSES_FOR_SLOPE).toBe(3);
    expect(MIN_SPAN_DAYS_FOR_SLOPE).toBe(14);
  });

  it('property: no slope is steeper than the 0–100 scale allows over the minimum span', () => {
    // 0–100 over 14 days: at most 100 · (1 + √2) / 28 per day ≈ 258.7 points per 30 days.
    expect(MAX_SLOPE_PER_30_DAYS).toBeCloseTo(258.66, 1);
    const observation = fc.record({
      offsetMs: fc.integer({ min: 0, max: 400 * DAY_MS }),
      work: fc.integer({ min: 0, max: 100 }),
      personal: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 0, maxLength: 30 }),
        fc.oneof(fc.constant(1), fc.constant(1000), fc.constant(DAY_MS)),
        (points, squeeze) => {
          // Squeezed series put every response within seconds or days: the burst of the issue.
          const sorted = points
            .map((p) => ({
              ...p,
              offsetMs: Math.floor(p.offsetMs / (DAY_MS / squeeze)) * (DAY_MS / squeeze),
            }))
            .sort((a, b) => a.offsetMs - b.offsetMs)
            .map((p, i) => ({
              responseId: `r${i}`,
              at: new Date(T0 + p.offsetMs).toISOString(),
              work: p.work,
              personal: p.personal,
            }));
          const trend = burnoutTrend(sorted);
          for (const slope of [trend.slopePer30Days.work, trend.slopePer30Days.personal]) {
            if (slope === null) continue;
            expect(trend.slopeBasis.status).toBe('ok');
            expect(Math.abs(slope)).toBeLessThanOrEqual(MAX_SLOPE_PER_30_DAYS + 0.01);
          }
          if (trend.slopeBasis.status === 'insufficient_data')
            expect(trend.slopePer30Days).toEqual({ work: null, personal: null });
        },
      ),
      { numRuns: 500, seed: 20261204 },
    );
    // The bound is approached, not only respected: a low start, a high end, and many high responses
    // 14/√2 days after the start.
    const steepest = series([
      [0, 0, 0],
      ...Array.from({ length: 40 }, (): [number, number, number] => [14 / Math.SQRT2, 100, 100]),
      [14, 100, 100],
    ]);
    const steepestSlope = burnoutTrend(steepest).slopePer30Days.work ?? 0;
    expect(steepestSlope).toBeGreaterThan(0.95 * MAX_SLOPE_PER_30_DAYS);
    expect(steepestSlope).toBeLessThanOrEqual(MAX_SLOPE_PER_30_DAYS);
  });
});

describe('burnout risk model', () => {
  const now = new Date(at(100));
  const base: BurnoutRiskInputs = { now, cbiWorkSlopePer30Days: null };

  it('is insufficient_data without a CBI response in the last 90 days', () => {
    expect(burnoutRisk(base)).toMatchObject({ level: 'insufficient_data', score: null, factors: [] });
    const old = burnoutRisk({ ...base, latestCbi: { at: at(9), work: 90, personal: 90 } });
    expect(old.level).toBe('insufficient_data');
    expect(old.missing).toEqual(Object.keys(BURNOUT_WEIGHTS));
  });

  it('with the CBI alone, the score is the weighted mean of work and personal (weights renormalised)', () => {
    const risk = burnoutRisk({ ...base, latestCbi: { at: at(95), work: 60, personal: 40 } });
    // (0.35·0.6 + 0.15·0.4) / 0.5 = (0.21 + 0.06) / 0.5 = 0.54 → 54
    expect(risk.score).toBe(54);
    expect(risk.level).toBe('moderate');
    expect(risk.factors).toEqual([
      { name: 'cbi_work', value: 60, weight: 0.7, contribution: 42 },
      { name: 'cbi_personal', value: 40, weight: 0.3, contribution: 12 },
    ]);
    expect(risk.missing).toEqual([
      'pss10',
      'who5',
      'cbi_work_trend',
      'chat_negative_share',
      'voice_video_distress',
    ]);
  });

  it('combines every input with its weight; contributions sum to the score', () => {
    const risk = burnoutRisk({
      now,
      latestCbi: { at: at(95), work: 80, personal: 60 },
      latestPss10: { at: at(90), total: 30 },
      latestWho5: { at: at(80), total: 40 },
      cbiWorkSlopePer30Days: 10,
      chat: { share: 0.5, count: 10 },
      voiceVideo: { share: 0.2, count: 5 },
    });
    // 0.35·0.8 + 0.15·0.6 + 0.15·0.75 + 0.1·0.6 + 0.1·0.5 + 0.075·0.5 + 0.075·0.2
    // = 0.28 + 0.09 + 0.1125 + 0.06 + 0.05 + 0.0375 + 0.015 = 0.645 → 64.5
    expect(risk.score).toBe(64.5);
    expect(risk.level).toBe('moderate');
    expect(risk.missing).toEqual([]);
    expect(risk.factors.map((f) => f.weight)).toEqual(Object.values(BURNOUT_WEIGHTS));
    expect(risk.factors.reduce((sum, f) => sum + f.contribution, 0)).toBeCloseTo(64.5, 0);
  });

  it('ignores a falling trend, thin analysis signals and stale surveys', () => {
    const risk = burnoutRisk({
      now,
      latestCbi: { at: at(95), work: 80, personal: 80 },
      latestPss10: { at: at(5), total: 40 },
      cbiWorkSlopePer30Days: -15,
      chat: { share: 1, count: 4 },
    });
    const trend = risk.factors.find((f) => f.name === 'cbi_work_trend');
    expect(trend).toMatchObject({ value: -15, contribution: 0 });
    expect(risk.missing).toEqual(['pss10', 'who5', 'chat_negative_share', 'voice_video_distress']);
    // (0.35·0.8 + 0.15·0.8 + 0) / 0.6 = 0.4 / 0.6 → 66.7
    expect(risk.score).toBe(66.7);
  });

  it('leaves the trend out when the series has no slope (too short or too brief)', () => {
    const risk = burnoutRisk({ ...base, latestCbi: { at: at(95), work: 50, personal: 50 } });
    expect(risk.missing).toContain('cbi_work_trend');
    // The route's own series: three responses seconds apart give no slope, so no trend factor.
    const burst = [0, 3, 6].map((seconds, i) => ({
      responseId: `r${i}`,
      at: new Date(T0 + seconds * 1000).toISOString(),
      work: [25, 50, 30][i]!,
      personal: 50,
    }));
    const fromBurst = burnoutRisk({
      now: new Date(T0 + DAY_MS),
      latestCbi: burst.at(-1)!,
      cbiWorkSlopePer30Days: slopePer30Days(burst, (o) => o.work),
    });
    expect(fromBurst.missing).toContain('cbi_work_trend');
    expect(fromBurst.factors.map((f) => f.name)).toEqual(['cbi_work', 'cbi_personal']);
  });

  it.each([
    [49.9, 'low'],
    [50, 'moderate'],
    [69.9, 'moderate'],
    [70, 'high'],
  ])('score %f is %s', (score, level) => expect(riskLevelOf(score)).toBe(level));

  it('reads analysis signals from the day rollups: negative chat share and dominant distress emotions; none is no signal', () => {
    // Each analysis counted as the aggregator counts it, then read back as the routes read the rollups.
    const countersOf = (type: 'chat' | 'speech' | 'video', images: Record<string, unknown>[]) =>
      images.reduce<Counters>((sum, image, i) => {
        const contribution = contributionOf({
          PK: 'USER#u',
          SK: `${type.toUpperCase()}#2026-01-01T00:00:00.000Z#${i}`,
          entityType: `${type.toUpperCase()}_ANALYSIS`,
          analyzedAt: '2026-01-01T00:00:00.000Z',
          sentiment: {},
          emotions: {},
          ...image,
        });
        return addCounters(sum, contribution?.counters ?? {});
      }, {});
    expect(chatNegativeShare({})).toBeUndefined();
    expect(voiceVideoDistressShare({})).toBeUndefined();
    // 2 of the 4 labelled chats are negative; one without a label is no signal.
    const chat = countersOf('chat', [
      { sentiment: { label: 'negative' } },
      { sentiment: { label: 'positive' } },
      { sentiment: { label: 'negative' } },
      { sentiment: { label: 'neutral' } },
      {},
    ]);
    expect(chatNegativeShare(chat)).toEqual({ share: 0.5, count: 4 });
    // Dominant emotions: sadness, fear (distress), joy, neutral → 2 of 4.
    const voice = addCounters(
      countersOf('speech', [
        { emotions: { sadness: 0.6, joy: 0.4 } },
        { emotions: { fear: 0.5, neutral: 0.3 } },
      ]),
      countersOf('video', [
        { emotions: { joy: 0.9, sadness: 0.1 } },
        { emotions: { neutral: 0.7, anger: 0.3 } },
      ]),
    );
    expect(voiceVideoDistressShare(voice)).toEqual({ share: 0.5, count: 4 });
  });
});
