import { describe, expect, it } from 'vitest';
import { parseRuntimeEnv } from '#contract/runtime-env.ts';

const resources = { message: 'Help is here', contacts: [{ name: 'Line', phone: '116 123' }] };

describe('CRISIS_RESOURCES', () => {
  it('parses the stage crisis resources from JSON', () => {
    expect(
      parseRuntimeEnv({ STAGE: 'dev', CRISIS_RESOURCES: JSON.stringify(resources) }).crisisResources,
    ).toEqual(resources);
    expect(parseRuntimeEnv({ STAGE: 'dev' }).crisisResources).toBeUndefined();
  });

  it.each([
    ['not JSON', '{message'],
    ['the wrong shape', JSON.stringify({ message: 'x' })],
  ])('rejects %s, naming the variable', (_what, value) => {
    expect(() => parseRuntimeEnv({ STAGE: 'dev', CRISIS_RESOURCES: value })).toThrow(/CRISIS_RESOURCES/);
  });
});
