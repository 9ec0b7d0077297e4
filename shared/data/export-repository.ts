import type { ConsentState } from '#contract/consents.ts';
import type { ExportDocument } from '#contract/routes/privacy.ts';
import { ExportPart, isExpired, type ExportPosition } from '#domain/data-export.ts';
import { sessionIdOf } from '#domain/erasure.ts';
import { keyOf } from './dynamodb/batch.ts';
import * as keys from './dynamodb/keys.ts';
import * as partitions from './dynamodb/partitions.ts';
import { queryPages, type Item, type TableQuery } from './dynamodb/query.ts';

/**
 * Reads one part of a user's data export: the user's partition (every entity type), the EmoBuddy
 * message partitions of the user's sessions, and the audit records about the user, in that order,
 * every query paginated, until the part's byte budget is used. Returns the part and, when more is
 * left, the position the next part starts at (the handler seals it into the cursor).
 */

/**
 * Feeds a query's items, page after page, to `accept` until it returns false. Answers where to resume:
 * undefined when the query is exhausted, else the key of the last accepted item (or `after` again when
 * nothing was accepted).
 */
const drain = async (
  input: TableQuery,
  after: keys.Key | undefined,
  accept: (item: Item) => boolean,
): Promise<{ done: true } | { done: false; after: keys.Key | undefined }> => {
  let last = after;
  for await (const page of queryPages(input, { startKey: after })) {
    for (const item of page.Items ?? []) {
      if (!accept(item)) return { done: false, after: last };
      last = keyOf(item);
    }
  }
  return { done: true };
};

export interface ExportPartInput {
  sub: string;
  /** Absent for part 1. */
  position: ExportPosition | undefined;
  /** Part 1 only. */
  first?: { profile: Item; consents: ConsentState };
  now: Date;
  maxPartBytes: number;
}

export const readExportPart = async (
  input: ExportPartInput,
): Promise<{ document: ExportDocument; next: ExportPosition | undefined }> => {
  const { sub, position } = input;
  const exportedAt = position?.exportedAt ?? input.now.toISOString();
  const partNumber = position?.part ?? 1;
  const part = new ExportPart(
    input.maxPartBytes,
    { subjectId: sub, exportedAt, part: partNumber },
    input.first,
  );
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const live = (item: Item) => !isExpired(item, nowSeconds);
  const userPk = partitions.user(sub);
  const next = (rest: Omit<ExportPosition, 'v' | 'part' | 'exportedAt'>): ExportPosition => ({
    v: 1,
    part: partNumber + 1,
    exportedAt,
    ...rest,
  });
  const source = position?.source ?? 'user';

  if (source === 'user') {
    const result = await drain(
      { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': userPk } },
      position?.after,
      (item) => !live(item) || part.acceptUserItem(keys.stripKeys(item)),
    );
    if (!result.done) return { document: part.document, next: next({ source: 'user', after: result.after }) };
  }

  if (source === 'user' || source === 'messages') {
    const resume = source === 'messages' ? position : undefined;
    let stopped: ExportPosition | undefined;
    // Sessions are listed first (ids and sort keys only), then each one's messages are exported in turn.
    const sessionItems: Item[] = [];
    await drain(
      {
        KeyConditionExpression: resume?.sessionSk ? 'PK = :pk AND SK >= :sk' : 'PK = :pk',
        FilterExpression: 'entityType = :session',
        ProjectionExpression: 'PK, SK, id, sessionId',
        ExpressionAttributeValues: {
          ':pk': userPk,
          ':session': 'EMO_SESSION',
          ...(resume?.sessionSk ? { ':sk': resume.sessionSk } : {}),
        },
      },
      undefined,
      (item) => {
        sessionItems.push(item);
        return true;
      },
    );
    for (const session of sessionItems) {
      const sessionId = sessionIdOf(session);
      if (!sessionId) continue;
      const sessionSk = String(session.SK);
      const inProgress = resume?.sessionSk === sessionSk ? resume.after : undefined;
      const result = await drain(
        {
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partitions.emoMessages(sessionId) },
        },
        inProgress,
        (item) => !live(item) || part.acceptMessage(sessionId, keys.stripKeys(item)),
      );
      if (!result.done) {
        stopped = next({
          source: 'messages',
          sessionSk,
          sessionId,
          ...(result.after ? { after: result.after } : {}),
        });
        break;
      }
    }
    if (stopped) return { document: part.document, next: stopped };
  }

  const result = await drain(
    {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': partitions.audit(sub) },
    },
    source === 'audit' ? position?.after : undefined,
    (item) => part.acceptAuditRecord(keys.stripKeys(item)),
  );
  if (!result.done) return { document: part.document, next: next({ source: 'audit', after: result.after }) };
  part.document.complete = true;
  return { document: part.document, next: undefined };
};
