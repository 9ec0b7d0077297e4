import type { AnalysisType, EmotionLabel } from '#contract/analysis.ts';
import type { ScoredInstrument } from '#domain/rollups.ts';
import type { MonthInput } from '#domain/rollups-overview.ts';
import { MemoryRollups, monthCellOf } from './memory-rollups.ts';

/**
 * A test organisation whose dashboard numbers come from the real pure rollup code: people in
 * departments (or none), their items, opt-outs and withdrawals, closes — and each month as the
 * dashboard reads it ({@link MonthInput}). Timestamps are the 10th of the month at a unique second.
 */
export class TestOrganisation {
  readonly rollups = new MemoryRollups();
  readonly departments: string[] = [];
  private sequence = 0;
  private people = 0;

  department(name = `d${this.departments.length}`): string {
    this.departments.push(name);
    return name;
  }

  person(department: string | undefined): string {
    this.people += 1;
    const id = `p${this.people}`;
    this.rollups.owners.set(id, { erasing: false, departmentId: department, aggregateConsent: true });
    return id;
  }

  /** Several people of a department at once. */
  people_(department: string | undefined, count: number): string[] {
    return Array.from({ length: count }, () => this.person(department));
  }

  private at(month: string): string {
    this.sequence += 1;
    const seconds = this.sequence % 86_400;
    return new Date(Date.parse(`${month}-10T00:00:00Z`) + seconds * 1000).toISOString();
  }

  private insert(person: string, kind: string, image: Record<string, unknown>): void {
    this.sequence += 1;
    this.rollups.record(person, `${kind}#${this.sequence}`, 'INSERT', String(this.sequence), image);
  }

  analysis(
    person: string,
    month: string,
    label: 'positive' | 'negative' | 'neutral',
    emotions: Partial<Record<EmotionLabel, number>> = { neutral: 0.5 },
    type: AnalysisType = 'chat',
  ): void {
    this.insert(person, type.toUpperCase(), {
      entityType: `${type.toUpperCase()}_ANALYSIS`,
      analyzedAt: this.at(month),
      sentiment: { label, score: 0.9 },
      emotions,
      riskFlags: [],
    });
  }

  survey(person: string, month: string, instrument: ScoredInstrument, total: number, band: string): void {
    this.insert(person, 'SURVEY', {
      entityType: 'SURVEY_RESPONSE',
      submittedAt: this.at(month),
      instrument,
      scores: { total },
      band,
      flags: [],
    });
  }

  session(person: string, month: string): void {
    this.insert(person, 'EMOSESSION', {
      entityType: 'EMO_SESSION',
      startedAt: this.at(month),
      status: 'ended',
      messageCount: 3,
    });
  }

  /** Revokes the person's aggregate consent and withdraws every past contribution. */
  optOut(person: string): void {
    const facts = this.rollups.owners.get(person)!;
    this.rollups.owners.set(person, { ...facts, aggregateConsent: false });
    this.rollups.withdraw(person);
  }

  close(month: string): void {
    this.rollups.closedMonths.add(month);
  }

  month(month: string): MonthInput {
    return {
      organisation: monthCellOf(this.rollups, 'ORG', month),
      unassigned: monthCellOf(this.rollups, 'DEPT#unassigned', month),
      departments: this.departments.map((id) => ({
        id,
        name: id.toUpperCase(),
        cell: monthCellOf(this.rollups, `DEPT#${id}`, month),
      })),
    };
  }
}
