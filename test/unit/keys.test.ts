import { describe, expect, it } from 'vitest';
import { KEY_ATTRIBUTES, keys, stripKeys } from '#data/keys.ts';
import { TABLE_DEFINITION } from '#data/table-definition.ts';

const SUB = '0f6c2b1e-5d4a-4b3c-8a29-1e0d9c8b7a65';
const ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const TS = '2026-11-23T08:15:30.123Z';

describe('key builders', () => {
  it('builds the documented shapes', () => {
    expect(keys.healthProbe()).toEqual({ PK: 'HEALTH', SK: 'PROBE' });
    expect(keys.userProfile(SUB)).toEqual({ PK: `USER#${SUB}`, SK: 'PROFILE' });
    expect(keys.userByDepartment('dept-1', 'ada lovelace', SUB)).toEqual({
      GSI1PK: 'DEPT#dept-1',
      GSI1SK: `USER#ada lovelace#${SUB}`,
    });
    expect(keys.department('dept-1')).toEqual({ PK: 'DEPT#dept-1', SK: 'META' });
    expect(keys.departmentListing('Research')).toEqual({ GSI1PK: 'DEPTS', GSI1SK: 'Research' });
    expect(keys.surveyResponse(SUB, 'phq9', TS, ID)).toEqual({
      PK: `USER#${SUB}`,
      SK: `SURVEY#phq9#${TS}#${ID}`,
    });
    expect(keys.audit(SUB, TS, ID)).toEqual({
      PK: `AUDIT#${SUB}`,
      SK: `${TS}#${ID}`,
      GSI1PK: 'AUDITDAY#2026-11-23',
      GSI1SK: TS,
    });
  });

  it('puts each analysis type under its own upper-case prefix so a range query reads one type', () => {
    for (const type of ['chat', 'speech', 'video'] as const) {
      const key = keys.analysis(SUB, type, TS, ID);
      expect(key.PK).toBe(`USER#${SUB}`);
      expect(key.SK).toBe(`${type.toUpperCase()}#${TS}#${ID}`);
      expect(key.SK.startsWith(keys.analysisPrefix(type))).toBe(true);
    }
    expect(keys.analysis(SUB, 'chat', TS, ID).SK.startsWith(keys.analysisPrefix('speech'))).toBe(false);
  });

  it.each([
    ['a user id with #', () => keys.userProfile('USER#other')],
    ['an empty user id', () => keys.userProfile('')],
    ['an empty department id', () => keys.department('')],
    ['a department name with #', () => keys.departmentListing('R#D')],
    ['a sort name with #', () => keys.userByDepartment('d', 'a#b', SUB)],
    ['an analysis id with #', () => keys.analysis(SUB, 'chat', TS, 'x#y')],
    ['an empty timestamp', () => keys.surveyResponse(SUB, 'phq9', '', ID)],
    ['an instrument with #', () => keys.surveyResponse(SUB, 'phq9#gad7', TS, ID)],
    ['an audit subject with #', () => keys.audit('USER#1', TS, ID)],
  ])('rejects %s', (_case, build) => {
    expect(build).toThrow(/must be non-empty and must not contain '#'/);
  });
});

describe('stripKeys', () => {
  it('removes every key attribute and keeps the rest, without changing the item', () => {
    const item = {
      PK: 'USER#1',
      SK: 'PROFILE',
      GSI1PK: 'DEPT#1',
      GSI1SK: 'USER#a#1',
      id: '1',
      fullName: 'Ada',
    };
    expect(stripKeys(item)).toEqual({ id: '1', fullName: 'Ada' });
    expect(item.PK).toBe('USER#1');
  });

  it('covers every key attribute of the table definition', () => {
    const tableKeys = [
      TABLE_DEFINITION.partitionKey.name,
      TABLE_DEFINITION.sortKey.name,
      ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((gsi) => [gsi.partitionKey.name, gsi.sortKey.name]),
    ];
    expect([...KEY_ATTRIBUTES].sort()).toEqual([...new Set(tableKeys)].sort());
    const item = Object.fromEntries([...KEY_ATTRIBUTES, 'id'].map((name) => [name, 'x']));
    expect(Object.keys(stripKeys(item))).toEqual(['id']);
  });
});
