import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/routes.ts';
import { compliancePacks } from '../../lib/compliance.ts';
import { routeFunctionsStackId } from '../../lib/constructs/route-functions.ts';
import { stackNameFor } from '../../lib/stack.ts';
import { resourceCountOf, STAGES, synthStage, templatesOf } from './synth.ts';

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

/** CloudFormation's limit per stack (a nested stack is one); past it a deployment fails, whatever cdk-nag says. */
const CLOUDFORMATION_RESOURCE_LIMIT = 500;
/**
 * What any one stack of a stage may hold: headroom below the limit, so that growth (routes go to the
 * nested stacks of their area, their methods to the top-level stack) shows here long before a deployment
 * fails.
 */
const RESOURCE_BUDGET = 450;

describe.each(STAGES)('cdk-nag on stage %s', (stage) => {
  const synthesized = synthesizedWithChecks(stage);
  const { app, findings, stack } = synthesized;
  const counts = templatesOf(synthesized).map((t) => [t.path, resourceCountOf(t)] as const);

  it('has the top-level stack and a nested stack per route area', () => {
    expect(counts[0]?.[0]).toBe(stackNameFor(stage));
    expect(counts.slice(1).map(([path]) => path)).toEqual(
      [...new Set(routeTable.map((route) => route.tag))].map(
        (area) => `${stackNameFor(stage)}/Api/${routeFunctionsStackId(area)}`,
      ),
    );
    expect(stack.stackName).toBe(stackNameFor(stage));
  });

  it(`fits CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT}-resource limit in every stack`, () => {
    for (const [path, count] of counts)
      expect(count, path).toBeLessThanOrEqual(CLOUDFORMATION_RESOURCE_LIMIT);
  });

  it(`keeps every stack, top-level and nested, under ${RESOURCE_BUDGET} resources`, () => {
    for (const [path, count] of counts) expect(count, path).toBeLessThan(RESOURCE_BUDGET);
  });

  it('has no unacknowledged AwsSolutions or HIPAA Security finding, error or warning', () => {
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = acknowledgementsOf(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    expect(weakReasons(acknowledgements)).toEqual([]);
  });

  it('acknowledges the accepted findings of the route functions inside their nested stacks', () => {
    // The nested stack names the parent's table through a parameter: the acknowledgement must use the
    // name cdk-nag sees there (lib/compliance.ts), or the findings above would not be empty.
    const nested = acknowledgementsOf(app).filter(({ path }) => /\/Api\/[A-Za-z]+Functions\//.test(path));
    expect(nested.map(({ id }) => id.replace(/^annotation::/i, ''))).toEqual(
      expect.arrayContaining([
        'HIPAA.Security-LambdaInsideVPC',
        'HIPAA.Security-IAMNoInlinePolicy',
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<referenceto[A-Za-z0-9]+Arn>\/index\/\*\]$/),
      ]),
    );
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

  it('report a resource of a nested stack that breaks a rule', () => {
    const { app } = synthStage('dev', {
      extend: (stack) => {
        const area = stack.api.functionStacks.get('health');
        if (!area) throw new Error('no health functions stack');
        new sqs.Queue(area, 'UnencryptedScratchQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      },
    });
    const findings = findingsOf(app).filter((f) => f.includes('HealthFunctions/UnencryptedScratchQueue'));
    expect(findings.map((f) => f.split(' ')[1])).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });

  it('report a wildcard resource beside the accepted ones (tracing, stream listing)', () => {
    const { app } = synthStage('staging', {
      extend: (stack) => {
        stack.purgeJob.function.function.addToRolePolicy(
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
        );
      },
    });
    expect(
      findingsOf(app).filter((f) => f.includes('IAM5[Resource::*] at mha-staging/PurgeJob/')),
    ).toHaveLength(1);
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
