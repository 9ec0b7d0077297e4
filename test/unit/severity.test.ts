import { describe, expect, it } from 'vitest';
import type { RiskAlert } from '#contract/risk-alert.ts';
import { INSTRUMENTS, scoreResponse } from '#domain/instruments/index.ts';
import { openAlert, secondsToAcknowledge, transitionAlert } from '#domain/risk.ts';
import { isSeverityJump, riskReasonsOf } from '#domain/severity.ts';

const q = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`);
/** PHQ-9/GAD-7 answers summing to `total` with item 9 at 0 (filled from the first item). */
const totalOf = (n: number, total: number) => {
  let left = total;
  return Object.fromEntries(
    q(n).map((id) => {
      const v = Math.min(3, left);
      left -= v;
      return [id, v];
    }),
  );
};
const score = (id: 'phq9' | 'gad7' | 'cbi', answers: Record<string, number>) => {
  const result = scoreResponse(INSTRUMENTS[id], answers);
  if (!result.ok) throw new Error('invalid');
  return result.result;
};
const previous = (id: 'phq9' | 'gad7' | 'cbi', answers: Record<string, number>) => ({
  version: '1',
  scores: score(id, answers).scores,
});

describe('severity jumps (instrument config)', () => {
  it.each([
    // [previous total, current total, jump?]
    [0, 4, false], // same band
    [0, 5, false], // +5 but not screen-positive (< 10)
    [4, 9, false], // +5, still mild: one band up
    [4, 10, true], // minimal → moderate: two bands up
    [5, 10, true], // +5 to a screen-positive total
    [6, 10, false], // +4, one band up
    [10, 15, true], // +5
    [12, 16, false], // +4, one band up
    [9, 20, true], // mild → severe
    [20, 10, false], // improvement
  ])('PHQ-9 %i → %i: %s', (before, after, expected) => {
    expect(
      isSeverityJump(
        INSTRUMENTS.phq9,
        previous('phq9', totalOf(9, before)),
        score('phq9', totalOf(9, after)),
      ),
    ).toBe(expected);
  });

  it.each([
    [4, 10, true],
    [5, 10, true],
    [10, 14, false],
    [11, 16, true],
  ])('GAD-7 %i → %i: %s', (before, after, expected) => {
    expect(
      isSeverityJump(
        INSTRUMENTS.gad7,
        previous('gad7', totalOf(7, before)),
        score('gad7', totalOf(7, after)),
      ),
    ).toBe(expected);
  });

  const cbiWork = (value: number) => ({
    ...Object.fromEntries(['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => [id, 0])),
    ...Object.fromEntries(['w1', 'w2', 'w3', 'w4', 'w5', 'w6'].map((id) => [id, value])),
    w7: 4 - value,
  });

  it.each([
    [1, 2, true], // 25 → 50: +25 reaching 50
    [0, 1, false], // 0 → 25: +25 but still low
    [1, 3, true], // 25 → 75
    [2, 3, true], // 50 → 75
    [3, 2, false], // improvement
  ])('CBI work answers %i → %i: %s', (before, after, expected) => {
    expect(
      isSeverityJump(INSTRUMENTS.cbi, previous('cbi', cbiWork(before)), score('cbi', cbiWork(after))),
    ).toBe(expected);
  });

  it('compares only with a previous response of the same version, and never without one', () => {
    const current = score('phq9', totalOf(9, 20));
    expect(isSeverityJump(INSTRUMENTS.phq9, undefined, current)).toBe(false);
    expect(
      isSeverityJump(INSTRUMENTS.phq9, { ...previous('phq9', totalOf(9, 0)), version: '0' }, current),
    ).toBe(false);
    expect(isSeverityJump(INSTRUMENTS.who5, previous('phq9', totalOf(9, 0)), current)).toBe(false);
  });

  it('raises suicidal_ideation for PHQ-9 item 9 whatever the total, with a jump as a second reason', () => {
    const item9 = score('phq9', { ...totalOf(9, 0), q9: 1 });
    expect(riskReasonsOf(INSTRUMENTS.phq9, item9, undefined)).toEqual(['suicidal_ideation']);
    const both = score('phq9', { ...totalOf(9, 15), q9: 1 });
    expect(riskReasonsOf(INSTRUMENTS.phq9, both, previous('phq9', totalOf(9, 0)))).toEqual([
      'suicidal_ideation',
      'severity_jump',
    ]);
    expect(riskReasonsOf(INSTRUMENTS.phq9, score('phq9', totalOf(9, 3)), undefined)).toEqual([]);
  });
});

describe('alert transitions', () => {
  const created = new Date('2026-03-01T10:00:00.000Z');
  const alert: RiskAlert = openAlert({
    id: 'a1',
    userId: 'u1',
    source: { type: 'survey_response', id: 'r1' },
    reasons: ['suicidal_ideation'],
    now: created,
  });

  it('acknowledges an open alert, then resolves it, with who and when', () => {
    const ackAt = new Date('2026-03-01T10:30:00.000Z');
    const acknowledged = transitionAlert(alert, 'acknowledged', 'c1', ackAt);
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'c1',
      acknowledgedAt: ackAt.toISOString(),
      version: 2,
    });
    if (acknowledged === 'invalid_transition') throw new Error('unexpected');
    expect(secondsToAcknowledge(acknowledged)).toBe(1800);
    const resolved = transitionAlert(
      acknowledged,
      'resolved',
      'c2',
      new Date('2026-03-01T11:00:00.000Z'),
      'called',
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: 'c2',
      acknowledgedBy: 'c1',
      note: 'called',
      version: 3,
    });
  });

  it.each([
    ['open', 'resolved'],
    ['acknowledged', 'acknowledged'],
    ['resolved', 'resolved'],
    ['resolved', 'acknowledged'],
  ] as const)('refuses %s → %s', (status, to) => {
    expect(transitionAlert({ ...alert, status }, to, 'c1', created)).toBe('invalid_transition');
  });
});
