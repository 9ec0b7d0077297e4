import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStageConfig, STAGES } from '../../lib/config/index.ts';
import { StageConfigSchema } from '../../lib/config/schema.ts';
import { stageConfigs } from '../../lib/config/stages.ts';
import { REPO_ROOT } from '../../lib/repo-root.ts';

const run = promisify(execFile);

describe('stage selection', () => {
  it.each(STAGES)('loads the %s config', (stage) => {
    expect(loadStageConfig(stage).stage).toBe(stage);
  });

  it.each([['nope'], [undefined], [''], ['PROD']])('rejects stage %j, naming the valid ones', (stage) => {
    expect(() => loadStageConfig(stage)).toThrow(/dev\|staging\|prod\|local/);
  });

  it('rejects a config whose k-anonymity threshold is below 5', () => {
    const weak = { ...stageConfigs.dev, anonymity: { ...stageConfigs.dev.anonymity, kActivity: 4 } };
    const result = StageConfigSchema.safeParse(weak);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['anonymity.kActivity']);
    expect(StageConfigSchema.safeParse(stageConfigs.dev).success).toBe(true);
  });

  it('keeps every stage timeout below API Gateway’s 29 s and memory at 256 MB or more', () => {
    for (const stage of STAGES) {
      const { lambda } = loadStageConfig(stage);
      expect(lambda.timeoutSeconds).toBeLessThan(29);
      expect(lambda.memoryMb).toBeGreaterThanOrEqual(256);
    }
  });
});

describe('bin/app.ts', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'mha-infra-app-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Runs the CDK entry point the way the CLI does: context through CDK_CONTEXT_JSON, output to CDK_OUTDIR.
  // What it checks is the entry point's wiring; the templates themselves are validated in-process by the
  // other files (the same synthesis), so the child skips the CDK's built-in CloudFormation validation,
  // whose engine takes several seconds to load in every new process. cdk-nag still runs.
  const runApp = (context: Record<string, unknown>) =>
    run(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_OUTDIR: outdir,
        CDK_VALIDATION: 'false',
      },
    });

  it('fails without a stage and names the valid stages', async () => {
    const failure = await runApp({}).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('no stage: pass -c stage=<dev|staging|prod|local>');
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  });

  it('fails on an unknown stage', async () => {
    await expect(runApp({ stage: 'qa' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown stage "qa"'),
    });
  });

  it('synthesizes the stack mha-<stage> for a valid stage', async () => {
    await runApp({ stage: 'staging', 'aws:cdk:disable-asset-staging': true });
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<
        string,
        { type: string; properties?: { stackName?: string; terminationProtection?: boolean } }
      >;
    };
    const stacks = Object.entries(manifest.artifacts).filter(
      ([, a]) => a.type === 'aws:cloudformation:stack',
    );
    // The CLI deploys under `stackName`, which the manifest omits when it equals the artifact id.
    expect(stacks.map(([id, a]) => a.properties?.stackName ?? id)).toEqual(['mha-staging']);
    expect(stacks[0]?.[1].properties?.terminationProtection).toBeFalsy();
  });
});
