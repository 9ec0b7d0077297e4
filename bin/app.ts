#!/usr/bin/env node
/**
 * CDK entry point: `npx cdk synth|diff|deploy -c stage=<dev|staging|prod|local>`.
 * The stage is required; an unknown or missing one fails before anything is synthesized.
 */
import { App } from 'aws-cdk-lib';
import { loadStageConfig, type StageConfig } from '../lib/config/index.ts';
import { MhaStack, stackNameFor } from '../lib/stack.ts';

const app = new App();

let config: StageConfig;
try {
  config = loadStageConfig(app.node.tryGetContext('stage'));
} catch (error) {
  // A usage error, not a crash: the message names the valid stages; a stack trace would bury it.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

new MhaStack(app, stackNameFor(config.stage), { config });
app.synth();
