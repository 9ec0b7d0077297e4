import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { compliancePacks } from '../../lib/compliance.ts';
import { STAGES, synthStage } from './synth.ts';

/** Every finding of the AwsSolutions and HIPAA Security packs (errors and warnings) not acknowledged. */
const findingsOf = (app: IConstruct): string[] =>
  compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (resource) =>
            `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
        ),
      ),
  );

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: unknown;
}

const acknowledgementsOf = (app: IConstruct): Acknowledgement[] =>
  app.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: node.node.path,
          id,
          reason,
        })),
      ),
  );

/** An acknowledgement a reviewer could accept says why, in a sentence. */
const weakReasons = (acknowledgements: readonly Acknowledgement[]): string[] =>
  acknowledgements
    .filter(
      ({ reason }) =>
        typeof reason !== 'string' ||
        reason.trim().length < 40 ||
        /\b(todo|tbd|fixme|ignore)\b/i.test(reason),
    )
    .map(({ path, id, reason }) => `${id} at ${path}: ${JSON.stringify(reason)}`);

/** Synthesized once per stage (bundling skipped): the aspects that acknowledge findings run on synth. */
const synthesizedWithChecks = (stage: (typeof STAGES)[number]) => {
  const synthesized = synthStage(stage);
  return { ...synthesized, findings: findingsOf(synthesized.app) };
};

/** CloudFormation's limit per stack; past it a deployment fails, whatever cdk-nag says. */
const CLOUDFORMATION_RESOURCE_LIMIT = 500;

describe.each(STAGES)('cdk-nag on stage %s', (stage) => {
  const { app, findings, template } = synthesizedWithChecks(stage);

  it(`fits CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT}-resource limit`, () => {
    const count = Object.keys(template.toJSON().Resources as object).length;
    expect(count).toBeLessThanOrEqual(CLOUDFORMATION_RESOURCE_LIMIT);
  });

  it('has no unacknowledged AwsSolutions or HIPAA Security finding, error or warning', () => {
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = acknowledgementsOf(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    expect(weakReasons(acknowledgements)).toEqual([]);
  });
});

describe('the cdk-nag checks themselves', () => {
  it('report a new resource that breaks a rule', () => {
    const { app } = synthStage('dev', {
      extend: (stack) => {
        new sqs.Queue(stack, 'UnencryptedScratchQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      },
    });
    const findings = findingsOf(app).filter((f) => f.includes('UnencryptedScratchQueue'));
    expect(findings.map((f) => f.split(' ')[1])).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });

  it('flag an acknowledgement without a reason', () => {
    const { app } = synthStage('dev', {
      extend: (stack) => {
        Validations.of(stack.purgeJob.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS2', reason: '' });
        Validations.of(stack.data.table).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'TODO' });
      },
    });
    const weak = weakReasons(acknowledgementsOf(app));
    expect(weak).toHaveLength(2);
    expect(weak).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AwsSolutions-SQS2 at mha-dev/PurgeJob/DeadLetterQueue'),
        expect.stringContaining('AwsSolutions-DDB3 at mha-dev/Data/Table'),
      ]),
    );
  });
});
