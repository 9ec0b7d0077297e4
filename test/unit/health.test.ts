import { describe, expect, it } from 'vitest';
import { summarizeHealth } from '#domain/health.ts';

const at = new Date(Date.UTC(2026, 10, 23, 8, 0, 0));

describe('summarizeHealth', () => {
  it('is ok (200) when every check is up', () => {
    const checks = {
      database: { status: 'up', latencyMs: 4 },
      identity: { status: 'up', latencyMs: 12 },
    } as const;
    expect(summarizeHealth('dev', at, checks)).toEqual({
      statusCode: 200,
      report: { status: 'ok', stage: 'dev', checkedAt: '2026-11-23T08:00:00.000Z', checks },
    });
  });

  it('is unavailable (503) when any check is down, and keeps the failing check', () => {
    const checks = {
      database: { status: 'down', latencyMs: 2000, reason: 'TimeoutError' },
      identity: { status: 'up', latencyMs: 12 },
    } as const;
    const { statusCode, report } = summarizeHealth('prod', at, checks);
    expect(statusCode).toBe(503);
    expect(report.status).toBe('unavailable');
    expect(report.checks.database).toEqual({ status: 'down', latencyMs: 2000, reason: 'TimeoutError' });
  });
});
