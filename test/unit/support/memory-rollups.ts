import {
  applyMarker,
  contributionOf,
  decideLedgerRemoval,
  decideSourceRecord,
  decideWithdrawal,
  EMPTY_LEDGER,
  planChanges,
  scopeId,
  type Counters,
  type LedgerState,
  type MarkerCounts,
  type OwnerFacts,
} from '#domain/rollups.ts';

/**
 * The rollup model end to end in memory: the same pure decisions the stream aggregator makes (ledger,
 * deltas, contributor markers, withdrawals) applied to maps instead of DynamoDB. Rollups are keyed
 * `<scope id>|<period key>` (`DEPT#d-1|2026-11`, `ORG|2026-11`, `USER#<sub>|2026-W45`).
 */
export class MemoryRollups {
  readonly rollups = new Map<string, Counters>();
  readonly markers = new Map<string, MarkerCounts>();
  readonly ledgers = new Map<string, LedgerState>();
  readonly owners = new Map<string, OwnerFacts>();
  /** Months already closed: a change to a department/organisation month of one revises it. */
  readonly closedMonths = new Set<string>();
  /** Revised department/organisation months, with their counters as they were at the close. */
  readonly revised = new Map<string, Counters>();

  record(
    sub: string,
    sk: string,
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    seq: string,
    image?: Record<string, unknown>,
    expired = false,
  ) {
    const ledgerId = `${sub}|${sk}`;
    const decision = decideSourceRecord({
      sub,
      eventName,
      contribution:
        eventName === 'REMOVE' ? undefined : contributionOf({ PK: `USER#${sub}`, SK: sk, ...image }),
      seq,
      ledger: this.ledgers.get(ledgerId),
      owner: this.owners.get(sub) ?? { erasing: false, departmentId: undefined, aggregateConsent: true },
      expired,
    });
    if (decision.kind === 'ignore') return decision.reason;
    if (decision.next !== 'unchanged') this.ledgers.set(ledgerId, decision.next);
    this.apply(sub, decision.changes);
    return 'applied';
  }

  /** The withdrawal pages of a user's request: every ledger of theirs, through decideWithdrawal. */
  withdraw(sub: string) {
    for (const [id, ledger] of this.ledgers) {
      if (!id.startsWith(`${sub}|`)) continue;
      const decision = decideWithdrawal(ledger);
      if (decision.kind !== 'apply') continue;
      if (decision.next !== 'unchanged') this.ledgers.set(id, decision.next);
      this.apply(sub, decision.changes);
    }
  }

  /** The purge deleting a ledger item. */
  ledgerDeleted(sub: string, sk: string) {
    const ledger = this.ledgers.get(`${sub}|${sk}`);
    this.ledgers.delete(`${sub}|${sk}`);
    const decision = decideLedgerRemoval(ledger ?? EMPTY_LEDGER, this.owners.get(sub)!);
    if (decision.kind === 'apply') this.apply(sub, decision.changes);
  }

  private apply(sub: string, changes: Parameters<typeof planChanges>[0]) {
    const plan = planChanges(changes);
    const add = (id: string, counters: Counters) => {
      const [scope, month] = id.split('|') as [string, string];
      if (!scope.startsWith('USER#') && this.closedMonths.has(month) && !this.revised.has(id))
        this.revised.set(id, { ...this.get(scope, month) });
      const current = this.rollups.get(id) ?? {};
      for (const [name, value] of Object.entries(counters)) current[name] = (current[name] ?? 0) + value;
      this.rollups.set(id, current);
    };
    for (const r of plan.rollups) add(`${scopeId(r.scope)}|${r.period.key}`, r.counters);
    for (const m of plan.markers) {
      const id = `${scopeId(m.scope)}|${m.period.key}|${sub}`;
      const { next, contributors } = applyMarker(this.markers.get(id), m.categories);
      if (next) this.markers.set(id, next);
      else this.markers.delete(id);
      add(`${scopeId(m.scope)}|${m.period.key}`, contributors);
    }
  }

  get(scope: string, period: string): Counters {
    return Object.fromEntries(
      Object.entries(this.rollups.get(`${scope}|${period}`) ?? {}).filter(([, v]) => v !== 0),
    );
  }
}

/** The month of a department (or `ORG`, `DEPT#unassigned`) as the dashboard reads it. */
export const monthCellOf = (rollups: MemoryRollups, scope: string, month: string) => {
  const counters = rollups.get(scope, month);
  const asClosed = rollups.revised.get(`${scope}|${month}`);
  return {
    counters: Object.keys(counters).length > 0 ? counters : undefined,
    revised: asClosed !== undefined,
    asClosed,
  };
};
