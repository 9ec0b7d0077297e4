import { describe, expect, it } from 'vitest';
import { checkedInConsoleApiTypes, generateConsoleApiTypes } from '../../lib/build/console-api-types.ts';

describe("the console's API types", () => {
  it('are what the generator writes from the current OpenAPI document (npm run generate:api-types)', async () => {
    expect(checkedInConsoleApiTypes()).toBe(await generateConsoleApiTypes());
  }, 20_000);
});
