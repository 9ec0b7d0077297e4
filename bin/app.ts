#!/usr/bin/env node
/**
 * CDK entry point: `npx cdk synth|diff|deploy -c stage=<dev|staging|prod|local>`.
 * The stage is required; an unknown or missing one fails before anything is synthesized. cdk-nag checks
 * every synthesis; accepted findings are acknowledged with their reasons in lib/compliance.ts.
 */
import { App } from 'aws-cdk-lib';
import { loadStageConfig, type StageConfig } from '../lib/config/index.ts';

const app = new App();

let config: StageConfig;
try {
  config = loadStageConfig(app.node.tryGetContext('stage'));
} catch (error) {
  // A usage error, not a crash: the message names the valid stages; a stack trace would bury it.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

// The stack and the checks are loaded once the stage is known: a usage error answers in a moment.
const [{ MhaStack, stackNameFor }, { addComplianceChecks }] = await Promise.all([
  import('../lib/stack.ts'),
  import('../lib/compliance.ts'),
]);
new MhaStack(app, stackNameFor(config.stage), { config });
// cdk-nag (AwsSolutions + HIPAA Security) as validation plugins: an unacknowledged finding stops synth.
// Registered on the app, they check every stack's resources, the nested route-function stacks' included.
addComplianceChecks(app);
app.synth();
