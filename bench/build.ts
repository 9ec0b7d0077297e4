/**
 * Build benchmark: the bundling pass on its own (a fresh build directory, then the same directory
 * again: its cache), `cdk synth` of one stage through the CDK CLI as a developer runs it, and every stage
 * synthesized in one process as the infra tests do (the pass built once and shared). The all-stages run
 * also counts what each stage deploys that costs money whatever the load (alarms, log groups, keys,
 * secrets, dashboards, web ACL rules, functions and their memory): the cost model's fixed part.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFunctions, serviceFunctionEntries } from '../lib/build/function-bundles.ts';
import { runChild } from './support.ts';
import { REPO_ROOT } from '../lib/repo-root.ts';

/** What one stage deploys that is billed per month whatever the traffic, and its functions' memory. */
export interface StageFacts {
  stage: string;
  synthMs: number;
  functions: number;
  memoryMb: number;
  alarms: number;
  logGroups: number;
  kmsKeys: number;
  secrets: number;
  dashboards: number;
  webAclRules: number;
  pipes: number;
  tracing: boolean;
  logRetentionDays: number;
  pointInTimeRecovery: boolean;
  featurePlan: string;
  machineClients: number;
}

export interface BuildResult {
  bundlePass: { functions: number; freshMs: number; cachedMs: number };
  cdkSynthOneStageMs: number;
  allStagesInOneProcessMs: number;
  stages: StageFacts[];
}

/** Synthesizes every stage in this process (a child of the benchmark) and describes each. */
const synthesizeAllStages = async (): Promise<{ totalMs: number; stages: StageFacts[] }> => {
  const started = performance.now();
  const { App } = await import('aws-cdk-lib');
  const { addComplianceChecks } = await import('../lib/compliance.ts');
  const { loadStageConfig, STAGES } = await import('../lib/config/index.ts');
  const { MhaStack, stackNameFor } = await import('../lib/stack.ts');
  const { ServiceFunction } = await import('../lib/constructs/api-function.ts');
  const stages: StageFacts[] = [];
  for (const stage of STAGES) {
    const stageStarted = performance.now();
    const outdir = mkdtempSync(join(tmpdir(), `mha-bench-synth-${stage}-`));
    const app = new App({ outdir, context: { stage } });
    const config = loadStageConfig(stage);
    const stack = new MhaStack(app, stackNameFor(stage), { config });
    addComplianceChecks(app);
    app.synth();
    const synthMs = performance.now() - stageStarted;
    // Every template of the stage: the top-level stack's and its nested stacks' (files in the assembly).
    const resources = readdirSync(outdir)
      .filter((file) => file.endsWith('.template.json'))
      .flatMap((file) =>
        Object.values(
          (
            JSON.parse(readFileSync(join(outdir, file), 'utf8')) as {
              Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
            }
          ).Resources ?? {},
        ),
      );
    const count = (type: string) => resources.filter((resource) => resource.Type === type).length;
    const webAcl = resources.find((resource) => resource.Type === 'AWS::WAFv2::WebACL');
    stages.push({
      stage,
      synthMs,
      functions: stack.node.findAll().filter((node) => node instanceof ServiceFunction).length,
      memoryMb: config.lambda.memoryMb,
      alarms: count('AWS::CloudWatch::Alarm'),
      logGroups: count('AWS::Logs::LogGroup'),
      kmsKeys: count('AWS::KMS::Key'),
      secrets: count('AWS::SecretsManager::Secret'),
      dashboards: count('AWS::CloudWatch::Dashboard'),
      webAclRules: ((webAcl?.Properties?.Rules as unknown[] | undefined) ?? []).length,
      pipes: count('AWS::Pipes::Pipe'),
      tracing: config.lambda.tracing,
      logRetentionDays: config.logRetentionDays,
      pointInTimeRecovery: config.pointInTimeRecovery,
      featurePlan: config.cognito.featurePlan,
      machineClients: resources.filter(
        (resource) =>
          resource.Type === 'AWS::Cognito::UserPoolClient' &&
          ((resource.Properties?.AllowedOAuthFlows as string[] | undefined) ?? []).includes(
            'client_credentials',
          ),
      ).length,
    });
    rmSync(outdir, { recursive: true, force: true });
  }
  return { totalMs: performance.now() - started, stages };
};

export const benchmarkBuild = (log: (line: string) => void): BuildResult => {
  const buildDir = mkdtempSync(join(tmpdir(), 'mha-bench-build-'));
  const entries = serviceFunctionEntries();
  const fresh = bundleFunctions(entries, { buildDir, force: true });
  const cached = bundleFunctions(entries, { buildDir });
  rmSync(buildDir, { recursive: true, force: true });
  log(
    `  bundling pass: ${entries.length} functions in ${Math.round(fresh.ms)} ms fresh, ${Math.round(cached.ms)} ms from its cache`,
  );

  const outdir = mkdtempSync(join(tmpdir(), 'mha-bench-cdk-'));
  const started = performance.now();
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/cdk'), ['synth', '-c', 'stage=dev', '-q', '-o', outdir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const cdkSynthOneStageMs = performance.now() - started;
  rmSync(outdir, { recursive: true, force: true });
  log(`  npx cdk synth -c stage=dev -q: ${(cdkSynthOneStageMs / 1000).toFixed(1)} s`);

  const all = runChild<{ totalMs: number; stages: StageFacts[] }>(fileURLToPath(import.meta.url), ['child']);
  log(
    `  every stage in one process (cdk-nag on): ${(all.totalMs / 1000).toFixed(1)} s (${all.stages
      .map((s) => `${s.stage} ${(s.synthMs / 1000).toFixed(1)} s`)
      .join(', ')})`,
  );
  return {
    bundlePass: { functions: entries.length, freshMs: fresh.ms, cachedMs: cached.ms },
    cdkSynthOneStageMs,
    allStagesInOneProcessMs: all.totalMs,
    stages: all.stages,
  };
};

// As a child process: `node --import tsx bench/build.ts child` prints one JSON line.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'child') {
  synthesizeAllStages()
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
      process.exit(1);
    });
}
