import { rebuildRollups } from '../../shared/data/rollup-rebuild.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import type { Target } from './target.ts';

/**
 * `rebuild-rollups`: recomputes every rollup from the source items (shared/data/rollup-rebuild.ts, the
 * same delta code as the stream aggregator), for migrations and to check the aggregator. In AWS, disable
 * the aggregator's event source mapping first and enable it again afterwards (records are kept 24 h and
 * the ledgers make the catch-up exact); locally, run it while nothing writes to the API.
 */
export const runRebuildRollups = async (
  target: Target,
  clock: Clock,
  log: (line: string) => void,
): Promise<void> => {
  const started = Date.now();
  log(`Rebuilding the rollups of ${target.description} (table ${target.tableName}) from the source items…`);
  const summary = await rebuildRollups({ now: clock.now(), progress: log });
  log('');
  log(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.users} users, ${summary.sourceItems} source items` +
      `${summary.malformedItems > 0 ? ` (${summary.malformedItems} unreadable, skipped)` : ''}, ` +
      `${summary.userRollups} user rollups, ${summary.aggregateRollups} department/organisation rollups, ` +
      `${summary.contributorMarkers} contributor markers written; ${summary.deletedItems} old rollups and markers deleted first; ` +
      `${summary.surveyStates} survey states rewritten${summary.surveyStateConflicts > 0 ? ` (${summary.surveyStateConflicts} changed meanwhile: run again to check them)` : ''}.`,
  );
};
