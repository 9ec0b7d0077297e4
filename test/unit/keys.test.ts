import { describe, expect, it } from 'vitest';
import * as keys from '#data/dynamodb/keys.ts';
import * as partitions from '#data/dynamodb/partitions.ts';
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

describe('partitions and parsing', () => {
  it('names each partition as the item keys in it carry it', () => {
    expect(partitions.user(SUB)).toBe(keys.userProfile(SUB).PK);
    expect(partitions.userRollups(SUB)).toBe(keys.aggregateWithdrawal(SUB).PK);
    expect(partitions.audit(SUB)).toBe(keys.audit(SUB, TS, ID).PK);
    expect(partitions.auditDay('2026-11-23')).toBe(keys.audit(SUB, TS, ID).GSI1PK);
    expect(partitions.administrativeAuditMonth('2026-11')).toBe(keys.administrativeAudit(SUB, TS).GSI2PK);
    expect(partitions.administrativeAuditOf(SUB)).toBe(keys.administrativeAudit(SUB, TS).GSI3PK);
    expect(partitions.openAlerts()).toBe(keys.openAlerts(TS).GSI1PK);
    expect(partitions.resolvedAlerts()).toBe(keys.resolvedAlerts(TS).GSI1PK);
    expect(partitions.erasuresDue()).toBe(keys.erasureDue(TS).GSI1PK);
    expect(partitions.surveyResponsesByTime(SUB)).toBe(keys.surveyResponseByTime(SUB, TS, ID).GSI1PK);
    expect(partitions.departmentMembers('dept-1')).toBe(keys.userByDepartment('dept-1', 'a', SUB).GSI1PK);
    expect(partitions.departments()).toBe(keys.departmentListing('Research').GSI1PK);
    expect(partitions.managedBy(SUB)).toBe(keys.departmentManager('dept-1', SUB).GSI1PK);
    expect(partitions.users()).toBe(keys.userListing('a', SUB).GSI2PK);
    expect(partitions.clinicianDirectory()).toBe(keys.clinicianListing('a', SUB).GSI3PK);
    expect(partitions.loginAttempts('h')).toBe(keys.loginAttempts('h').PK);
    expect(partitions.localRiskEvents()).toBe(keys.localRiskEvent(TS, ID).PK);
    expect(partitions.emoMessages(ID)).toBe(keys.emoMessage(ID, 1).PK);
    expect(partitions.rollupScope('ORG')).toBe(keys.rollup('ORG', 'MONTH', '2026-11').PK);
    expect(keys.userByDepartment('dept-1', 'a', SUB).GSI1SK.startsWith(keys.userInDepartmentPrefix)).toBe(
      true,
    );
    expect(keys.consent(SUB, 'aggregateAnalytics').SK.startsWith(keys.consentPrefix)).toBe(true);
    expect(partitions.audit(SUB)).toMatch(
      new RegExp(`^${partitions.AUDIT_PARTITION_PATTERN.replace('*', '.+')}$`),
    );
  });

  it('refuses a purge partition named by anything but an id', () => {
    expect(() => partitions.userRollups('a b')).toThrow(/Invalid user id/);
    expect(() => partitions.emoMessages('x#USER#victim')).toThrow(/Invalid session id/);
  });

  it('reads back what the builders wrote, and nothing else', () => {
    expect(keys.parse.userPartition(keys.userProfile(SUB).PK)).toBe(SUB);
    expect(keys.parse.userPartition(partitions.userRollups(SUB))).toBeUndefined();
    expect(keys.parse.userPartition(keys.emoMessage(ID, 1).PK)).toBeUndefined();
    expect(keys.parse.userRollupPartition(partitions.userRollups(SUB))).toBe(SUB);
    expect(keys.parse.auditPartition(keys.audit(SUB, TS, ID).PK)).toBe(SUB);
    expect(keys.parse.auditPartition(keys.userProfile(SUB).PK)).toBeUndefined();
    expect(keys.parse.rollupPeriod(keys.rollup('ORG', 'MONTH', '2026-11').SK)).toEqual({
      granularity: 'MONTH',
      period: '2026-11',
    });
    expect(
      keys.parse.rollupPeriod(keys.rollupContributor('ORG', 'MONTH', '2026-11', SUB).SK),
    ).toBeUndefined();
    const sourceSk = keys.analysis(SUB, 'chat', TS, ID).SK;
    expect(keys.parse.rollupSource(keys.rollupSource(SUB, sourceSk))).toEqual({ sub: SUB, sourceSk });
    expect(keys.parse.rollupSource(keys.aggregateWithdrawal(SUB))).toBeUndefined();
    expect(keys.parse.aggregateWithdrawal(keys.aggregateWithdrawal(SUB))).toBe(SUB);
    expect(keys.parse.aggregateWithdrawal(keys.rollupSource(SUB, sourceSk))).toBeUndefined();
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
    expect(keys.stripKeys(item)).toEqual({ id: '1', fullName: 'Ada' });
    expect(item.PK).toBe('USER#1');
  });

  it('covers every key attribute of the table definition', () => {
    const tableKeys = [
      TABLE_DEFINITION.partitionKey.name,
      TABLE_DEFINITION.sortKey.name,
      ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((gsi) => [gsi.partitionKey.name, gsi.sortKey.name]),
    ];
    expect([...keys.KEY_ATTRIBUTES].sort()).toEqual([...new Set(tableKeys)].sort());
    const item = Object.fromEntries([...keys.KEY_ATTRIBUTES, 'id'].map((name) => [name, 'x']));
    expect(Object.keys(keys.stripKeys(item))).toEqual(['id']);
  });
});
