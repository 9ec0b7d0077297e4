import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ExportDocument } from '#contract/routes/privacy.ts';
import { DEFAULT_CONSENTS } from '#domain/consents.ts';
import { EXPORT_PART_BYTES, ExportPart, ExportPosition, isExpired, jsonBytes } from '#domain/data-export.ts';

const head = { subjectId: 'sub-1', exportedAt: '2026-11-23T08:00:00.000Z', part: 1 };
const item = (n: number, entityType = 'CHAT_ANALYSIS') => ({ entityType, n, text: 'x'.repeat(100) });

describe('ExportPart', () => {
  it('fills up to its budget and then refuses, so the caller starts the next part', () => {
    const part = new ExportPart(1_000, head);
    let accepted = 0;
    while (part.acceptUserItem(item(accepted))) accepted++;
    expect(accepted).toBeGreaterThan(2);
    expect(jsonBytes(part.document)).toBeLessThanOrEqual(1_000);
    expect(part.document.records.CHAT_ANALYSIS).toHaveLength(accepted);
    // Refused items are not added.
    expect(part.acceptAuditRecord({ action: 'x' })).toBe(false);
    expect(part.document.accessLog).toEqual([]);
  });

  it('always takes the first item of a part, however large, so every part makes progress', () => {
    const part = new ExportPart(10, head);
    expect(part.acceptMessage('s1', { content: 'y'.repeat(5_000) })).toBe(true);
    expect(part.acceptMessage('s1', { content: 'z' })).toBe(false);
  });

  it('groups items: records by entity type, consent changes as history, messages by session', () => {
    const part = new ExportPart(EXPORT_PART_BYTES, head, {
      profile: { id: 'sub-1' },
      consents: DEFAULT_CONSENTS,
    });
    part.acceptUserItem(item(1));
    part.acceptUserItem(item(2, 'SURVEY_RESPONSE'));
    part.acceptUserItem({ entityType: 'CONSENT_CHANGE', version: 1 });
    part.acceptUserItem({ noType: true });
    // The profile and the current consents have their own sections in part 1.
    expect(part.acceptUserItem({ entityType: 'USER', id: 'sub-1' })).toBe(true);
    expect(part.acceptUserItem({ entityType: 'CONSENT', purpose: 'clinician_access' })).toBe(true);
    part.acceptMessage('s1', { n: 1 });
    part.acceptMessage('s2', { n: 2 });
    part.acceptMessage('s1', { n: 3 });
    part.acceptAuditRecord({ action: 'privacy.export' });

    const doc = part.document;
    expect(Object.keys(doc.records).sort()).toEqual(['CHAT_ANALYSIS', 'SURVEY_RESPONSE', 'UNKNOWN']);
    expect(doc.consentHistory).toEqual([{ entityType: 'CONSENT_CHANGE', version: 1 }]);
    expect(doc.emoBuddyMessages).toEqual({ s1: [{ n: 1 }, { n: 3 }], s2: [{ n: 2 }] });
    expect(doc.accessLog).toHaveLength(1);
    expect(doc.profile).toEqual({ id: 'sub-1' });
    expect(z.safeParse(ExportDocument, doc).success).toBe(true);
  });

  it('leaves profile and consents out of later parts', () => {
    const doc = new ExportPart(EXPORT_PART_BYTES, { ...head, part: 2 }).document;
    expect(doc.profile).toBeUndefined();
    expect(doc.consents).toBeUndefined();
    expect(doc.part).toBe(2);
  });

  it('keeps the default budget clear of the 6 MB Lambda limit with room for one more item (≤ 400 KB)', () => {
    expect(EXPORT_PART_BYTES + 400 * 1024 + 64 * 1024).toBeLessThan(6 * 1024 * 1024);
  });
});

describe('export helpers', () => {
  it('treats items past their TTL as gone', () => {
    expect(isExpired({ expiresAt: 100 }, 100)).toBe(true);
    expect(isExpired({ expiresAt: 101 }, 100)).toBe(false);
    expect(isExpired({}, 100)).toBe(false);
  });

  it('accepts only well-formed positions (a part after the first, a known source)', () => {
    const ok = { v: 1, part: 2, exportedAt: head.exportedAt, source: 'audit', after: { PK: 'A', SK: 'B' } };
    expect(z.safeParse(ExportPosition, ok).success).toBe(true);
    expect(z.safeParse(ExportPosition, { ...ok, part: 1 }).success).toBe(false);
    expect(z.safeParse(ExportPosition, { ...ok, source: 'everything' }).success).toBe(false);
    expect(z.safeParse(ExportPosition, { ...ok, v: 2 }).success).toBe(false);
  });
});
