import * as z from 'zod/mini';
import type { ConsentState } from '#contract/consents.ts';
import type { ExportDocument } from '#contract/routes/privacy.ts';

/**
 * The data export (GDPR Art. 15/20) as pure parts: where a part continues from, and how a part is
 * filled up to its byte budget. Lambda responses are limited to 6 MB, so an export larger than the
 * budget (~5 MB) is split into parts; the cursor of the next part is sealed by the handler.
 */

/** Default part budget: leaves room under Lambda's 6 MB for one more item (≤ 400 KB) and the envelope. */
export const EXPORT_PART_BYTES = 5_000_000;

/** The sections that continue across parts, in the order they are exported. */
export const EXPORT_SOURCES = ['user', 'messages', 'audit'] as const;
export type ExportSource = (typeof EXPORT_SOURCES)[number];

const StoredKey = z.object({ PK: z.string(), SK: z.string() });

/** Where the next part starts: the source, the last item exported from it, the session in progress. */
export const ExportPosition = z.object({
  v: z.literal(1),
  part: z.int().check(z.minimum(2)),
  exportedAt: z.string(),
  source: z.enum(EXPORT_SOURCES),
  /** Continue after this item (absent: from the start of the source or session). */
  after: z.optional(StoredKey),
  /** messages only: the session in progress (its item's sort key, inclusive) and its id. */
  sessionSk: z.optional(z.string()),
  sessionId: z.optional(z.string()),
});
export type ExportPosition = z.infer<typeof ExportPosition>;

type Item = Record<string, unknown>;

/** Entity types shown in their own sections of part 1 rather than among the records. */
const SHOWN_SEPARATELY = new Set(['USER', 'CONSENT']);

/** Rough JSON overhead of a new group (its key, brackets). */
const GROUP_OVERHEAD = 64;

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

// Retention's rule, re-exported for the export (which drops expired items like every read does).
export { isExpired } from './retention.ts';

/**
 * One part of the export being filled. `accept` adds an item if it fits the budget; the first item of a
 * part always fits, so every part makes progress.
 */
export class ExportPart {
  readonly document: ExportDocument;
  private bytes: number;
  private items = 0;

  constructor(
    private readonly budget: number,
    head: { subjectId: string; exportedAt: string; part: number },
    first?: { profile: Item; consents: ConsentState },
  ) {
    this.document = {
      format: 'mha-export/1',
      subjectId: head.subjectId,
      exportedAt: head.exportedAt,
      part: head.part,
      complete: false,
      nextCursor: null,
      ...(first ? { profile: first.profile, consents: first.consents } : {}),
      consentHistory: [],
      records: {},
      emoBuddyMessages: {},
      accessLog: [],
    };
    this.bytes = jsonBytes(this.document);
  }

  private fits(size: number): boolean {
    return this.items === 0 || this.bytes + size <= this.budget;
  }

  private take(size: number) {
    this.bytes += size;
    this.items++;
  }

  /** An item of the user's own partition (keys already stripped). */
  acceptUserItem(item: Item): boolean {
    const type = typeof item.entityType === 'string' ? item.entityType : 'UNKNOWN';
    if (SHOWN_SEPARATELY.has(type)) return true;
    const target = type === 'CONSENT_CHANGE' ? undefined : this.document.records[type];
    const size = jsonBytes(item) + 1 + (type !== 'CONSENT_CHANGE' && !target ? GROUP_OVERHEAD : 0);
    if (!this.fits(size)) return false;
    this.take(size);
    if (type === 'CONSENT_CHANGE') this.document.consentHistory.push(item);
    else if (target) target.push(item);
    else this.document.records[type] = [item];
    return true;
  }

  acceptMessage(sessionId: string, item: Item): boolean {
    const target = this.document.emoBuddyMessages[sessionId];
    const size = jsonBytes(item) + 1 + (target ? 0 : GROUP_OVERHEAD);
    if (!this.fits(size)) return false;
    this.take(size);
    if (target) target.push(item);
    else this.document.emoBuddyMessages[sessionId] = [item];
    return true;
  }

  acceptAuditRecord(item: Item): boolean {
    const size = jsonBytes(item) + 1;
    if (!this.fits(size)) return false;
    this.take(size);
    this.document.accessLog.push(item);
    return true;
  }
}
