import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../../shared/data/client.ts';
import * as keys from '../../shared/data/dynamodb/keys.ts';
import { listedAsClinician, sortName, toProfile } from '../../shared/data/user-repository.ts';
import { auditVisibilityOf } from '../../shared/domain/audit-visibility.ts';

/**
 * Item-shape migrations, run by the operator (`npm run admin -- migrate`), never in a request path.
 *
 * - Versioned: each migration has an id; they run in id order and a ledger item per migration
 *   (MIGRATION#<id> / LEDGER) records its state, counts and where it stopped.
 * - Idempotent: `transform` returns the changes an item still needs, or nothing once it has them; each
 *   write is conditional on the item not having changed since it was read, so concurrent API writes
 *   win and the item is looked at again on the next run.
 * - Resumable: the ledger keeps the scan position after every page, so an interrupted run continues
 *   where it stopped; a finished migration is skipped.
 *
 * It scans the whole table page by page: the one place a Scan is right, because a migration must see
 * every item of a shape, whatever partition it is in.
 */
type Item = Record<string, unknown>;

export interface Migration {
  id: string;
  description: string;
  /** The attributes to set on this item, or undefined when it needs nothing (already migrated). */
  transform(item: Item): Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>;
}

/**
 * Reason codes older records carry that name a health fact: the instrument of a survey submission, the
 * flags of a raised alert, that an analysis or a message raised one. Audit records are never changed
 * otherwise; this one redaction removes what should never have been written.
 */
const healthFreeReason = (action: string, reason: unknown): string | null | undefined => {
  if (typeof reason !== 'string') return undefined;
  switch (action) {
    case 'alerts.raise':
    case 'surveys.submit':
      return null;
    case 'analyses.store':
    case 'emo-buddy.postMessage': {
      const kept = reason.split(',').filter((code) => code !== 'risk_alert');
      return kept.length > 0 ? kept.join(',') : null;
    }
    default:
      return reason;
  }
};

/** An audit item's actor roles, as written (older items may lack them). */
const actorRolesOf = (item: Item): string[] => {
  const roles = (item.actor as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(roles) ? roles.map(String) : [];
};

export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001-user-listing-index',
    description:
      'give every user profile its GSI2 keys (the admins’ user listing added after the first profiles)',
    transform: (item) => {
      if (item.entityType !== 'USER' || typeof item.id !== 'string' || typeof item.fullName !== 'string')
        return undefined;
      const wanted = keys.userListing(sortName(item.fullName), item.id);
      return item.GSI2PK === wanted.GSI2PK && item.GSI2SK === wanted.GSI2SK ? undefined : wanted;
    },
  },
  {
    id: '0002-audit-visibility',
    description:
      'classify every audit record (administrative or sensitive), give administrative ones the admins’ index keys, and drop health facts from old reason codes',
    transform: (item) => {
      if (item.entityType !== 'AUDIT' || typeof item.action !== 'string' || typeof item.at !== 'string')
        return undefined;
      const partition = keys.parse.auditPartition(String(item.PK));
      if (partition === undefined) return undefined;
      const visibility = auditVisibilityOf({
        action: item.action,
        actor: { type: 'user', id: null, roles: actorRolesOf(item) },
      });
      const wanted: Record<string, unknown> = {
        visibility,
        ...(visibility === 'administrative' ? keys.administrativeAudit(partition, item.at) : {}),
      };
      const reason = healthFreeReason(item.action, item.reason);
      if (reason !== undefined) wanted.reason = reason;
      const changes = Object.fromEntries(
        Object.entries(wanted).filter(([field, value]) => item[field] !== value),
      );
      return Object.keys(changes).length > 0 ? changes : undefined;
    },
  },
  {
    id: '0003-account-state',
    description:
      'give every user profile its account state (from isActive and erasureRequestedAt) and every active clinician a place in the clinician directory',
    transform: (item) => {
      if (item.entityType !== 'USER' || typeof item.id !== 'string' || typeof item.fullName !== 'string')
        return undefined;
      const profile = toProfile(item);
      const wanted: Record<string, unknown> = { accountState: profile.accountState };
      if (listedAsClinician(profile))
        Object.assign(wanted, keys.clinicianListing(sortName(profile.fullName), profile.id));
      const changes = Object.fromEntries(
        Object.entries(wanted).filter(([field, value]) => item[field] !== value),
      );
      return Object.keys(changes).length > 0 ? changes : undefined;
    },
  },
];

export interface Ledger {
  id: string;
  status: 'running' | 'done';
  scanned: number;
  changed: number;
  conflicts: number;
  startedAt: string;
  finishedAt?: string;
  position?: Item;
}

const ledgerKey = (id: string) => ({ PK: `MIGRATION#${id}`, SK: 'LEDGER' });

export const readLedger = async (id: string): Promise<Ledger | undefined> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: ledgerKey(id), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { PK: _pk, SK: _sk, entityType: _type, ...ledger } = Item;
  return ledger as Ledger;
};

const saveLedger = (ledger: Ledger) =>
  documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...ledgerKey(ledger.id), entityType: 'MIGRATION_LEDGER', ...ledger },
    }),
  );

/** Sets the changes if the item still looks as it did when read (its version, or all changed fields). */
const applyChanges = async (item: Item, changes: Record<string, unknown>): Promise<boolean> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(changes).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#f${i} = :v${i}`;
  });
  const guard =
    typeof item.version === 'number'
      ? ((values[':version'] = item.version), 'version = :version')
      : 'attribute_exists(PK)';
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: item.PK, SK: item.SK },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: guard,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/**
 * Runs every pending migration in order. `maxPages` bounds one run (tests use it to interrupt one
 * midway); a later run resumes from the ledger.
 */
export const runMigrations = async (options: {
  now: () => Date;
  progress: (line: string) => void;
  dryRun?: boolean;
  migrations?: readonly Migration[];
  maxPages?: number;
  /** Items per scanned page (default 500). */
  pageSize?: number;
}): Promise<Ledger[]> => {
  const results: Ledger[] = [];
  let pages = 0;
  for (const migration of options.migrations ?? MIGRATIONS) {
    const existing = await readLedger(migration.id);
    if (existing?.status === 'done') {
      options.progress(
        `  ${migration.id}: already done (${existing.changed} items changed on ${existing.finishedAt})`,
      );
      results.push(existing);
      continue;
    }
    const ledger: Ledger = existing ?? {
      id: migration.id,
      status: 'running',
      scanned: 0,
      changed: 0,
      conflicts: 0,
      startedAt: options.now().toISOString(),
    };
    // A new pass over the table (no saved position) counts its own conflicts.
    if (existing && !existing.position) ledger.conflicts = 0;
    options.progress(`  ${migration.id}: ${migration.description}${existing ? ' (resuming)' : ''}`);
    do {
      if (options.maxPages !== undefined && pages >= options.maxPages) {
        options.progress(`  ${migration.id}: stopped after ${pages} pages; run again to resume`);
        results.push(ledger);
        return results;
      }
      const page = await documentClient.send(
        new ScanCommand({
          TableName: tableName(),
          ExclusiveStartKey: ledger.position,
          Limit: options.pageSize ?? 500,
          ConsistentRead: true,
        }),
      );
      pages += 1;
      for (const item of page.Items ?? []) {
        ledger.scanned += 1;
        const changes = await migration.transform(item);
        if (!changes) continue;
        if (options.dryRun) ledger.changed += 1;
        else if (await applyChanges(item, changes)) ledger.changed += 1;
        else ledger.conflicts += 1;
      }
      if (page.LastEvaluatedKey) ledger.position = page.LastEvaluatedKey;
      else delete ledger.position;
      if (!options.dryRun) await saveLedger(ledger);
      options.progress(
        `    scanned ${ledger.scanned}, changed ${ledger.changed}${ledger.conflicts ? `, ${ledger.conflicts} changed meanwhile (next run)` : ''}`,
      );
    } while (ledger.position);
    // Items changed by the API while we looked are picked up by running again; only then is it done.
    ledger.status = ledger.conflicts > 0 ? 'running' : 'done';
    if (ledger.status === 'done') ledger.finishedAt = options.now().toISOString();
    if (!options.dryRun) await saveLedger(ledger);
    results.push(ledger);
  }
  return results;
};
