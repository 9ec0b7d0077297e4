import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer direction as eslint.config.js enforces it (docs/extending.md, "Layers"): each import below
 * is linted as if written in the given file, and the rule must refuse exactly the ones against the
 * direction, by alias and by relative path.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

const refusals = async (file: string, specifier: string): Promise<string[]> => {
  const [result] = await eslint.lintText(`import type { X } from '${specifier}';\nexport type Y = X;\n`, {
    filePath: file,
  });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
};

const CASES: readonly (readonly [file: string, specifier: string, refused: boolean])[] = [
  ['shared/contract/example.ts', '#domain/clock.ts', true],
  ['shared/contract/example.ts', '../domain/clock.ts', true],
  ['shared/contract/routes/example.ts', '../../data/keys.ts', true],
  ['shared/contract/example.ts', './common.ts', false],
  ['shared/domain/example.ts', '#contract/common.ts', false],
  ['shared/domain/example.ts', '#data/keys.ts', true],
  ['shared/domain/example.ts', '#observability/powertools.ts', true],
  ['shared/domain/instruments/example.ts', '../../http/errors.ts', true],
  ['shared/observability/example.ts', '#contract/runtime-env.ts', false],
  ['shared/observability/example.ts', '#domain/clock.ts', true],
  ['shared/data/example.ts', '#domain/clock.ts', false],
  ['shared/data/example.ts', '#observability/powertools.ts', false],
  ['shared/data/example.ts', '#http/errors.ts', true],
  ['shared/data/example.ts', '../http/errors.ts', true],
  ['shared/http/example.ts', '#data/keys.ts', false],
  ['shared/http/example.ts', '../../functions/health/get-health.ts', true],
  ['shared/domain/example.ts', '../../lib/config/index.ts', true],
  ['functions/health/example.ts', '#http/handler-factory.ts', false],
  ['functions/health/example.ts', '#data/keys.ts', false],
  ['functions/health/example.ts', '../../lib/config/index.ts', true],
  ['functions/health/example.ts', '../../test/unit/support/test-env.ts', true],
  ['lib/local/example.ts', '../../shared/data/dynamodb/keys.ts', false],
  ['shared/workflows/example.ts', '#data/erasure-repository.ts', false],
  ['shared/workflows/example.ts', '#http/errors.ts', true],
  ['shared/data/example.ts', '#workflows/purge-erased-user.ts', true],
  ['shared/http/example.ts', '../workflows/purge-erased-user.ts', true],
  ['functions/jobs/example.ts', '#workflows/purge-erased-user.ts', false],
  // Cognito only through its adapters.
  ['functions/auth/example.ts', '@aws-sdk/client-cognito-identity-provider', true],
  ['shared/http/example.ts', '@aws-sdk/client-cognito-identity-provider', true],
  ['shared/data/example.ts', '@aws-sdk/client-cognito-identity-provider', true],
  ['shared/data/cognito/example.ts', '@aws-sdk/client-cognito-identity-provider', false],
  ['shared/data/cognito/example.ts', '#http/errors.ts', true],
  ['lib/admin/example.ts', '@aws-sdk/client-cognito-identity-provider', false],
  ['lib/local/example.ts', '../../functions/jobs/purge-erased-users.ts', false],
];

describe('layer rules', () => {
  // Loading the configuration (typescript-eslint included) takes seconds on a busy machine: once, here.
  beforeAll(async () => {
    await eslint.calculateConfigForFile('shared/contract/example.ts');
  }, 60_000);

  it('cover every folder of shared/ (a new folder needs its place in the layer list of eslint.config.js)', async () => {
    const folders = readdirSync(resolve(ROOT, 'shared'), { withFileTypes: true }).filter((entry) =>
      entry.isDirectory(),
    );
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const config = (await eslint.calculateConfigForFile(`shared/${folder.name}/example.ts`)) as {
        rules?: Record<string, unknown>;
      };
      expect(config.rules?.['no-restricted-imports'], folder.name).toBeDefined();
    }
  });

  it.each(CASES)('in %s, importing %s is refused: %s', async (file, specifier, refused) => {
    const messages = await refusals(file, specifier);
    expect(messages.length > 0, messages.join('; ')).toBe(refused);
  });
});
