import { STAGES, StageConfigSchema, type Stage, type StageConfig } from './schema.ts';
import { stageConfigs } from './stages.ts';

export { STAGES, type Stage, type StageConfig } from './schema.ts';

export const isStage = (value: unknown): value is Stage =>
  typeof value === 'string' && (STAGES as readonly string[]).includes(value);

/**
 * The validated config of a stage. An unknown or missing stage is an error that names the valid ones;
 * an invalid config (say, k below 5) fails here, before anything is synthesized or started.
 */
export const loadStageConfig = (stage: unknown): StageConfig => {
  if (!isStage(stage)) {
    const given = stage === undefined || stage === '' ? 'no stage' : `unknown stage "${String(stage)}"`;
    throw new Error(`${given}: pass -c stage=<${STAGES.join('|')}>`);
  }
  const result = StageConfigSchema.safeParse(stageConfigs[stage]);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid config for stage ${stage}: ${problems}`);
  }
  return result.data;
};
