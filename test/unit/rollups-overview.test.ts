import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';
import { DEFAULT_THRESHOLDS, effectiveThresholds } from '#domain/anonymity.ts';
import { buildOverview } from '#domain/rollups-overview.ts';
import { TestOrganisation } from './support/organisation.ts';

const NOV = '2026-11';
const OCT = '2026-10';

const options = (departmentIds: string[], includeOrganisation = true) => ({
  thresholds: DEFAULT_THRESHOLDS,
  period: NOV,
  previousPeriod: OCT,
  includeOrganisation,
  departmentIds,
});

/** Three departments of 12, 12 and 30 people with chats and PHQ-9s in October and November. */
const organisation = () => {
  const org = new TestOrganisation();
  const [a, b, c] = [org.department('a'), org.department('b'), org.department('c')];
  const people = { a: org.people_(a, 12), b: org.people_(b, 12), c: org.people_(c, 30) };
  for (const [name, members] of Object.entries(people))
    members.forEach((person, i) => {
      org.analysis(person, NOV, i % 2 === 0 ? 'negative' : 'positive', { joy: 0.5, sadness: 0.25 });
      org.analysis(person, OCT, 'positive', { joy: 1 });
      org.survey(person, NOV, 'phq9', i % 10, i % 10 < 5 ? 'minimal' : 'mild');
      if (name === 'c') org.session(person, NOV);
    });
  return { org, people };
};

describe('dashboard overview of a closed month', () => {
  it('shows each number of a visible cell from the rollups, with shares, means and the trend', () => {
    const { org } = organisation();
    const overview = buildOverview(org.month(NOV), org.month(OCT), options(['a', 'b', 'c']));
    const c = overview.departments.find((d) => d.departmentId === 'c');
    expect(c).toMatchObject({
      departmentId: 'c',
      name: 'C',
      suppressed: false,
      contributors: 30,
      analyses: 30,
      sentiment: {
        counts: { negative: 15, positive: 15, neutral: null },
        shares: { negative: 0.5, positive: 0.5, neutral: null },
      },
      emoBuddySessions: 30,
    });
    if (!c || c.suppressed) throw new Error('c is visible');
    expect(c.emotions.joy).toEqual({ analyses: 30, meanProbability: 0.5 });
    expect(c.emotions.sadness).toEqual({ analyses: 30, meanProbability: 0.25 });
    // Nobody named fear: no number at all.
    expect(c.emotions.fear).toEqual({ analyses: null, meanProbability: null });
    // PHQ-9 totals 0..9 three times: mean 4.5; a department shows no band counts.
    expect(c.instruments.phq9).toEqual({ responses: 30, meanScore: 4.5 });
    expect(c.trend).toEqual({
      previousPeriod: OCT,
      contributors: 0,
      analyses: 0,
      negativeSentimentShare: null, // no negative label in October: not shown then
      meanScores: { phq9: null, gad7: null, who5: null, pss10: null, cbi: null },
    });
    // The organisation (admins) carries band counts, each on its own clinical k.
    if (!overview.organisation || overview.organisation.suppressed) throw new Error('organisation visible');
    expect(overview.organisation.instruments.phq9).toMatchObject({
      responses: 54,
      bands: { minimal: 29, mild: 25, moderate: null, moderately_severe: null, severe: null },
    });
  });

  it('gives a cell with nothing shown no numbers at all, not even its count', () => {
    const { org } = organisation();
    const small = org.department('small');
    for (const person of org.people_(small, 3)) org.analysis(person, NOV, 'negative', { fear: 0.75 });
    const overview = buildOverview(org.month(NOV), org.month(OCT), options(['small', 'c']));
    expect(overview.departments[0]).toEqual({ departmentId: 'small', name: 'SMALL', suppressed: true });
    expect(JSON.stringify(overview)).not.toContain('0.75');
  });

  it('gives a manager only the departments they manage, from the same decision, and no organisation cell', () => {
    const { org } = organisation();
    const admin = buildOverview(org.month(NOV), org.month(OCT), options(['a', 'b', 'c']));
    const manager = buildOverview(org.month(NOV), org.month(OCT), options(['b'], false));
    expect(manager.organisation).toBeNull();
    expect(manager.departments).toEqual([admin.departments[1]]);
  });

  it('withholds a revised cell whole and keeps every other decision as it was at the close', () => {
    const { org, people } = organisation();
    org.close(NOV);
    org.close(OCT);
    const before = buildOverview(org.month(NOV), org.month(OCT), options(['a', 'b', 'c']));
    // Someone of b opts out after the close: b's and the organisation's months are revised.
    org.optOut(people.b[3]!);
    const after = buildOverview(org.month(NOV), org.month(OCT), options(['a', 'b', 'c']));
    expect(after.departments.find((d) => d.departmentId === 'b')).toEqual({
      departmentId: 'b',
      name: 'B',
      suppressed: true,
    });
    expect(after.organisation).toEqual({ suppressed: true });
    // a and c: the very same numbers as before (their cells did not change, nor did the decision).
    for (const id of ['a', 'c'])
      expect(after.departments.find((d) => d.departmentId === id)).toEqual(
        before.departments.find((d) => d.departmentId === id),
      );
  });
});

describe('thresholds from the stage config', () => {
  it('reads ANONYMITY_THRESHOLDS and never lets it go below 5', () => {
    const env = parseRuntimeEnv({ STAGE: 'dev', ANONYMITY_THRESHOLDS: '{"kActivity":3,"kClinical":12}' });
    expect(env.anonymityThresholds).toEqual({ kActivity: 3, kClinical: 12 });
    expect(effectiveThresholds(env.anonymityThresholds ?? {})).toEqual({ kActivity: 5, kClinical: 12 });
    expect(() => parseRuntimeEnv({ STAGE: 'dev', ANONYMITY_THRESHOLDS: 'five' })).toThrow(
      /ANONYMITY_THRESHOLDS/,
    );
  });
});
